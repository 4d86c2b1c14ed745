-- A schema of another bundle, for tests: it references the store's table.
CREATE TABLE note (
    id       VARCHAR(36) NOT NULL PRIMARY KEY,
    audit_id VARCHAR(36) REFERENCES audit_event (id)
);
