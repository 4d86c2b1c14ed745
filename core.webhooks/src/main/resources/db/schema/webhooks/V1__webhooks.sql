-- A developer's endpoints: where an app's events go, which types, and the signing secret
-- (sealed; during a rotation the previous one too, until previous_until).
CREATE TABLE webhook_endpoint (
    id              VARCHAR(40)   NOT NULL PRIMARY KEY,
    app_id          VARCHAR(64)   NOT NULL,
    url             VARCHAR(2000) NOT NULL,
    description     VARCHAR(500),
    event_types     VARCHAR(2000) NOT NULL,
    enabled         BOOLEAN       NOT NULL,
    disabled_reason VARCHAR(300),
    secret          VARCHAR(1000) NOT NULL,
    previous_secret VARCHAR(1000),
    previous_until  TIMESTAMP,
    failing_since   TIMESTAMP,
    created_at      TIMESTAMP     NOT NULL,
    updated_at      TIMESTAMP     NOT NULL
);
CREATE INDEX webhook_endpoint_app_idx ON webhook_endpoint (app_id);

-- The outbox: one row per event, written in the transaction of the change it reports; body is
-- the exact JSON every delivery of it sends.
CREATE TABLE webhook_event (
    id         VARCHAR(40)   NOT NULL PRIMARY KEY,
    app_id     VARCHAR(64)   NOT NULL,
    event_type VARCHAR(100)  NOT NULL,
    body       VARCHAR(65536) NOT NULL,
    created_at TIMESTAMP     NOT NULL
);
CREATE INDEX webhook_event_app_idx ON webhook_event (app_id, created_at);

-- One event to one endpoint, and its fate.
CREATE TABLE webhook_delivery (
    id           VARCHAR(40)  NOT NULL PRIMARY KEY,
    event_id     VARCHAR(40)  NOT NULL,
    endpoint_id  VARCHAR(40)  NOT NULL,
    app_id       VARCHAR(64)  NOT NULL,
    state        VARCHAR(20)  NOT NULL,
    attempts     INT          NOT NULL,
    last_status  INT,
    last_error   VARCHAR(300),
    created_at   TIMESTAMP    NOT NULL,
    updated_at   TIMESTAMP    NOT NULL
);
CREATE INDEX webhook_delivery_endpoint_idx ON webhook_delivery (endpoint_id, created_at);

-- Every attempt of a delivery: status, latency and the start of the answer (never a secret).
CREATE TABLE webhook_attempt (
    delivery_id VARCHAR(40)   NOT NULL,
    attempt     INT           NOT NULL,
    at          TIMESTAMP     NOT NULL,
    status      INT,
    latency_ms  INT           NOT NULL,
    response    VARCHAR(1024),
    error       VARCHAR(300)
);
CREATE INDEX webhook_attempt_delivery_idx ON webhook_attempt (delivery_id);
