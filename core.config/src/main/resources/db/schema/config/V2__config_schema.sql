-- Optional JSON Schema per configuration key, set by the app's developer.
CREATE TABLE config_schema (
    id         VARCHAR(36)    NOT NULL PRIMARY KEY,
    app_id     VARCHAR(64)    NOT NULL REFERENCES app (id) ON DELETE CASCADE,
    doc_key    VARCHAR(64)    NOT NULL,
    body       VARCHAR(262144) NOT NULL,
    updated_at TIMESTAMP      NOT NULL,
    CONSTRAINT config_schema_key UNIQUE (app_id, doc_key)
);
