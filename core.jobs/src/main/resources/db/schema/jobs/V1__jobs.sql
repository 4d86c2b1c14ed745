-- db-scheduler's table (its PostgreSQL definition, in SQL that H2 also reads), under this
-- bundle's name. One row per scheduled run: task_instance is '<type>/<key>', task_data the
-- run's JSON (type, key, app, account, data, attempt, interval).
CREATE TABLE job_execution (
    task_name            VARCHAR(100)             NOT NULL,
    task_instance        VARCHAR(310)             NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN                  NOT NULL,
    picked_by            VARCHAR(100),
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT                   NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX job_execution_time_idx ON job_execution (execution_time);
CREATE INDEX job_execution_heartbeat_idx ON job_execution (last_heartbeat);
CREATE INDEX job_execution_priority_idx ON job_execution (priority DESC, execution_time ASC);

-- Runs that used up their attempts: kept for the operator, who can retry them.
CREATE TABLE job_dead (
    id         VARCHAR(310)             NOT NULL PRIMARY KEY,
    job_type   VARCHAR(100)             NOT NULL,
    app_id     VARCHAR(64),
    account_id VARCHAR(64),
    payload    BYTEA                    NOT NULL,
    attempts   INT                      NOT NULL,
    last_error VARCHAR(1000),
    died_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX job_dead_type_idx ON job_dead (job_type);
CREATE INDEX job_dead_account_idx ON job_dead (account_id);

-- Accounts whose runs wait: until a time (the provider's Retry-After), or until released
-- (held_until NULL: the account needs its user to link it again).
CREATE TABLE job_hold (
    account_id VARCHAR(64)              NOT NULL PRIMARY KEY,
    held_until TIMESTAMP WITH TIME ZONE,
    reason     VARCHAR(200)             NOT NULL
);
