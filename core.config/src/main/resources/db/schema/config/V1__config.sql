-- Configuration documents per app, organization and user (core.config).
CREATE TABLE config_document (
    id         VARCHAR(36)     NOT NULL PRIMARY KEY,
    app_id     VARCHAR(64)     NOT NULL REFERENCES app (id) ON DELETE CASCADE,
    scope      VARCHAR(8)      NOT NULL,
    owner_id   VARCHAR(64)     NOT NULL,
    doc_key    VARCHAR(64)     NOT NULL,
    body       VARCHAR(1048576) NOT NULL,
    locked     VARCHAR(8000)   NOT NULL,
    version    BIGINT          NOT NULL,
    updated_at TIMESTAMP       NOT NULL,
    updated_by VARCHAR(100)    NOT NULL,
    CONSTRAINT config_document_key UNIQUE (app_id, scope, owner_id, doc_key)
);

-- Users granted the organization-admin role for configuration (through the admin API).
CREATE TABLE org_admin (
    id              VARCHAR(36) NOT NULL PRIMARY KEY,
    app_id          VARCHAR(64) NOT NULL REFERENCES app (id) ON DELETE CASCADE,
    organization_id VARCHAR(36) NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    user_id         VARCHAR(36) NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    created_at      TIMESTAMP   NOT NULL,
    CONSTRAINT org_admin_key UNIQUE (app_id, organization_id, user_id)
);
