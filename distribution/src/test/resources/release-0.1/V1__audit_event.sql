-- Portable SQL only: these scripts run unchanged on H2 (embedded default) and PostgreSQL.
-- Times are TIMESTAMP in UTC (the launcher runs the JVM in UTC): EclipseLink 2.7 cannot read
-- H2's TIMESTAMP WITH TIME ZONE values into java.sql.Timestamp.
CREATE TABLE audit_event (
    id          VARCHAR(36)   NOT NULL PRIMARY KEY,
    occurred_at TIMESTAMP NOT NULL,
    app_id      VARCHAR(64),
    actor       VARCHAR(200)  NOT NULL,
    action      VARCHAR(100)  NOT NULL,
    subject     VARCHAR(200),
    detail      VARCHAR(2000)
);

CREATE INDEX audit_event_app_time ON audit_event (app_id, occurred_at);
