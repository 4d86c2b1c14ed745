-- What release 0.1's single history applied as its first script (store's V1).
CREATE TABLE audit_event (
    id          VARCHAR(36)  NOT NULL PRIMARY KEY,
    occurred_at TIMESTAMP    NOT NULL,
    app_id      VARCHAR(64),
    actor       VARCHAR(200) NOT NULL,
    action      VARCHAR(100) NOT NULL,
    subject     VARCHAR(200),
    detail      VARCHAR(1000)
);
CREATE TABLE note (
    id       VARCHAR(36) NOT NULL PRIMARY KEY,
    audit_id VARCHAR(36) REFERENCES audit_event (id)
);
