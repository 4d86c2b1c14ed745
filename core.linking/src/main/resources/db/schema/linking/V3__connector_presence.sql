-- The connectors this server has announced (connector.installed), and when one was last seen gone
-- (connector.removed): the events are sent when this changes, not at every start.
CREATE TABLE linking_connector (
    id           VARCHAR(64) NOT NULL PRIMARY KEY,
    installed_at TIMESTAMP   NOT NULL,
    removed_at   TIMESTAMP
);
