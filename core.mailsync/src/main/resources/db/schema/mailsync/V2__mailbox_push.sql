-- A provider's change notifications for a synced mailbox (a Graph subscription): the resource it
-- watches, the SHA-256 of the clientState it must send back (the secret itself is not kept), and
-- when it expires. renew_at makes the account's next run renew it (its expiry is near, or the
-- provider asked for reauthorization).
CREATE TABLE mailbox_push (
    subscription_id   VARCHAR(200) NOT NULL PRIMARY KEY,
    account_id        VARCHAR(40)  NOT NULL,
    app_id            VARCHAR(64)  NOT NULL,
    resource          VARCHAR(200) NOT NULL,
    client_state_hash VARCHAR(64)  NOT NULL,
    expires_at        TIMESTAMP    NOT NULL,
    renew_at          TIMESTAMP    NOT NULL
);
CREATE INDEX mailbox_push_account_idx ON mailbox_push (account_id);
