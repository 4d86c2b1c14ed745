-- Apps, organizations, users, sessions and the public halves of session signing keys.
CREATE TABLE app (
    id          VARCHAR(64)   NOT NULL PRIMARY KEY,
    name        VARCHAR(200)  NOT NULL,
    secret_hash VARCHAR(128)  NOT NULL,
    settings    VARCHAR(65536) NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE organization (
    id          VARCHAR(36)   NOT NULL PRIMARY KEY,
    app_id      VARCHAR(64)   NOT NULL REFERENCES app (id) ON DELETE CASCADE,
    kind        VARCHAR(20)   NOT NULL,
    external_id VARCHAR(255)  NOT NULL,
    name        VARCHAR(255),
    created_at  TIMESTAMP NOT NULL,
    CONSTRAINT organization_key UNIQUE (app_id, kind, external_id)
);

CREATE TABLE app_user (
    id              VARCHAR(36)  NOT NULL PRIMARY KEY,
    app_id          VARCHAR(64)  NOT NULL REFERENCES app (id) ON DELETE CASCADE,
    issuer_key      VARCHAR(512) NOT NULL,
    subject         VARCHAR(255) NOT NULL,
    organization_id VARCHAR(36)  REFERENCES organization (id) ON DELETE SET NULL,
    email           VARCHAR(320),
    display_name    VARCHAR(255),
    created_at      TIMESTAMP NOT NULL,
    last_seen_at    TIMESTAMP NOT NULL,
    CONSTRAINT app_user_key UNIQUE (app_id, issuer_key, subject)
);

CREATE INDEX app_user_app ON app_user (app_id, created_at);
CREATE INDEX organization_app ON organization (app_id, created_at);

CREATE TABLE user_session (
    id                  VARCHAR(36)  NOT NULL PRIMARY KEY,
    app_id              VARCHAR(64)  NOT NULL REFERENCES app (id) ON DELETE CASCADE,
    user_id             VARCHAR(36)  NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    created_at          TIMESTAMP NOT NULL,
    last_used_at        TIMESTAMP NOT NULL,
    absolute_expires_at TIMESTAMP NOT NULL,
    revoked_at          TIMESTAMP,
    revoked_reason      VARCHAR(40)
);

CREATE INDEX user_session_user ON user_session (user_id);
CREATE INDEX user_session_revoked ON user_session (revoked_at);

-- Every refresh token ever issued, as a SHA-256 hash; a used one presented again revokes its session.
CREATE TABLE session_refresh_token (
    token_hash VARCHAR(64) NOT NULL PRIMARY KEY,
    session_id VARCHAR(36) NOT NULL REFERENCES user_session (id) ON DELETE CASCADE,
    issued_at  TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);

CREATE INDEX session_refresh_token_session ON session_refresh_token (session_id);

-- Public keys only: each instance keeps its private signing key in memory and publishes the
-- public half so every instance can verify access tokens it did not sign.
CREATE TABLE signing_key (
    kid        VARCHAR(64)   NOT NULL PRIMARY KEY,
    public_jwk VARCHAR(4000) NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
