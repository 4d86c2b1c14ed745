-- Linked accounts and their tokens (core.vault; release 0.1 created this table in its
-- V5__accounts.sql). The token columns hold sealed values (AES-256-GCM, key id inside, app + row +
-- column as associated data); nothing here is a secret in clear.
CREATE TABLE account (
    id             VARCHAR(36)   NOT NULL PRIMARY KEY,
    app_id         VARCHAR(64)   NOT NULL REFERENCES app (id) ON DELETE CASCADE,
    user_id        VARCHAR(36)   NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    connector_id   VARCHAR(64)   NOT NULL,
    external_id    VARCHAR(512)  NOT NULL,
    display_name   VARCHAR(512)  NOT NULL,
    base_url       VARCHAR(2000) NOT NULL,
    token_url      VARCHAR(2000) NOT NULL,
    instance_url   VARCHAR(2000),
    scopes         VARCHAR(4000) NOT NULL,
    attributes     VARCHAR(8000) NOT NULL,
    status         VARCHAR(24)   NOT NULL,
    access_token   VARCHAR(16000) NOT NULL,
    refresh_token  VARCHAR(16000),
    expires_at     TIMESTAMP,
    token_version  BIGINT        NOT NULL,
    failures       INT           NOT NULL,
    cooldown_until TIMESTAMP,
    last_error     VARCHAR(200),
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    CONSTRAINT account_key UNIQUE (app_id, user_id, connector_id, external_id)
);

CREATE INDEX account_user ON account (app_id, user_id);
