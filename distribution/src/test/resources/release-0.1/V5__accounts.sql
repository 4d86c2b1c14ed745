-- Linked accounts and the token vault (core.tokens). Every secret column holds a sealed value
-- (AES-256-GCM, key id inside, app + row + column as associated data); nothing here is a secret in clear.

-- An app's own OAuth client for a connector (the developer's Salesforce connected app, HubSpot app...).
CREATE TABLE app_connector (
    id            VARCHAR(36)   NOT NULL PRIMARY KEY,
    app_id        VARCHAR(64)   NOT NULL REFERENCES app (id) ON DELETE CASCADE,
    connector_id  VARCHAR(64)   NOT NULL,
    client_id     VARCHAR(512)  NOT NULL,
    client_secret VARCHAR(4000) NOT NULL,
    scopes        VARCHAR(4000) NOT NULL,
    options       VARCHAR(8000) NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    CONSTRAINT app_connector_key UNIQUE (app_id, connector_id)
);

-- One-time tickets that carry a signed-in user into a linking dialog (stored as SHA-256 hashes).
CREATE TABLE connect_ticket (
    ticket_hash  VARCHAR(64) NOT NULL PRIMARY KEY,
    app_id       VARCHAR(64) NOT NULL REFERENCES app (id) ON DELETE CASCADE,
    user_id      VARCHAR(36) NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    connector_id VARCHAR(64) NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    used_at      TIMESTAMP
);

-- A linking flow between start and callback: state (hashed), the PKCE verifier (sealed), the
-- browser binding (hashed), and the authorization server the code may be redeemed at.
CREATE TABLE connect_flow (
    state_hash   VARCHAR(64)   NOT NULL PRIMARY KEY,
    app_id       VARCHAR(64)   NOT NULL REFERENCES app (id) ON DELETE CASCADE,
    user_id      VARCHAR(36)   NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    connector_id VARCHAR(64)   NOT NULL,
    binding_hash VARCHAR(64)   NOT NULL,
    verifier     VARCHAR(4000),
    token_url    VARCHAR(2000) NOT NULL,
    redirect_uri VARCHAR(2000) NOT NULL,
    return_url   VARCHAR(2000),
    expires_at   TIMESTAMP NOT NULL,
    used_at      TIMESTAMP
);

CREATE INDEX connect_flow_expiry ON connect_flow (expires_at);
CREATE INDEX connect_ticket_expiry ON connect_ticket (expires_at);

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
