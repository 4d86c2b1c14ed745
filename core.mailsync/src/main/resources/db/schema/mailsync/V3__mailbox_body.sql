-- The bodies of synced messages, kept only for the folders an app asked for (its connector option
-- sync.bodies) and sealed with the vault's key for the app, the account and the message (a value
-- copied to another row does not open). body_folders on the account: the provider folder ids whose
-- messages' bodies are kept, as the last run resolved them (a change means a full pass, to fill them).
CREATE TABLE mailbox_body (
    account_id VARCHAR(40)      NOT NULL,
    message_id VARCHAR(300)     NOT NULL,
    app_id     VARCHAR(64)      NOT NULL,
    sealed     VARCHAR(1048576) NOT NULL,
    PRIMARY KEY (account_id, message_id)
);

ALTER TABLE mailbox_sync ADD COLUMN body_folders VARCHAR(4000);
