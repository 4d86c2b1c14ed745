-- The probe job's side effect, keyed by the run's idempotency key, and a log of every attempt.
CREATE TABLE itest_effect (
    job_key VARCHAR(200) NOT NULL PRIMARY KEY,
    worker  VARCHAR(100) NOT NULL,
    done_at TIMESTAMP    NOT NULL
);
CREATE TABLE itest_attempt (
    job_key    VARCHAR(200) NOT NULL,
    worker     VARCHAR(100) NOT NULL,
    started_at TIMESTAMP    NOT NULL
);
