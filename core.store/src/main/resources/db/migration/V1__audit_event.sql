-- Portable SQL only: these scripts run unchanged on H2 (embedded default) and PostgreSQL.
CREATE TABLE audit_event (
    id          VARCHAR(36)   NOT NULL PRIMARY KEY,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    app_id      VARCHAR(64),
    actor       VARCHAR(200)  NOT NULL,
    action      VARCHAR(100)  NOT NULL,
    subject     VARCHAR(200),
    detail      VARCHAR(2000)
);

CREATE INDEX audit_event_app_time ON audit_event (app_id, occurred_at);
