-- The offline index of linked mailboxes: which accounts are synced, where each change stream
-- stands, and the messages' metadata (never their bodies).

-- An account whose mailbox is synced (its mail, its calendars, or both). seq numbers the index's
-- changes of this account (each transaction that changes it takes the next one; readers page by it);
-- tombstones up to purged_seq were deleted by the retention, so a reader's token before it is stale.
CREATE TABLE mailbox_sync (
    account_id       VARCHAR(40)  NOT NULL PRIMARY KEY,
    app_id           VARCHAR(64)  NOT NULL,
    interval_seconds INT          NOT NULL,
    sync_mail        BOOLEAN      NOT NULL,
    sync_calendar    BOOLEAN      NOT NULL,
    seq              BIGINT       NOT NULL,
    purged_seq       BIGINT       NOT NULL,
    ready            BOOLEAN      NOT NULL,
    last_run_at      TIMESTAMP,
    last_error       VARCHAR(500),
    created_at       TIMESTAMP    NOT NULL
);
CREATE INDEX mailbox_sync_app_idx ON mailbox_sync (app_id);

-- One change stream of a synced mailbox (a Graph folder, Gmail's history, a calendar as
-- calendar:<id>): the provider's cursor,
-- (next_cursor), whether a full pass is under way, and the pass's generation (rows of the stream the pass did
-- not see are gone at its end).
CREATE TABLE mailbox_sync_stream (
    account_id VARCHAR(40)   NOT NULL,
    stream     VARCHAR(300)  NOT NULL,
    next_cursor VARCHAR(8000),
    full_pass  BOOLEAN       NOT NULL,
    gen        INT           NOT NULL,
    updated_at TIMESTAMP     NOT NULL,
    PRIMARY KEY (account_id, stream)
);

-- A message's metadata in the unified shape (record_json), or a tombstone (deleted) kept so
-- that readers paging by seq learn of the deletion.
CREATE TABLE mailbox_message (
    account_id  VARCHAR(40)    NOT NULL,
    message_id  VARCHAR(300)   NOT NULL,
    stream      VARCHAR(300)   NOT NULL,
    gen         INT            NOT NULL,
    record_json VARCHAR(65536) NOT NULL,
    hash        VARCHAR(64)    NOT NULL,
    seq         BIGINT         NOT NULL,
    deleted     BOOLEAN        NOT NULL,
    changed_at  TIMESTAMP      NOT NULL,
    PRIMARY KEY (account_id, message_id)
);
CREATE INDEX mailbox_message_seq_idx ON mailbox_message (account_id, seq);
CREATE INDEX mailbox_message_stream_idx ON mailbox_message (account_id, stream, gen);

-- An event (one occurrence of a recurring one) in the window of a synced calendar, in the unified
-- shape (record_json), or a tombstone; as mailbox_message.
CREATE TABLE calendar_event (
    account_id  VARCHAR(40)    NOT NULL,
    event_id    VARCHAR(300)   NOT NULL,
    stream      VARCHAR(300)   NOT NULL,
    gen         INT            NOT NULL,
    record_json VARCHAR(65536) NOT NULL,
    hash        VARCHAR(64)    NOT NULL,
    seq         BIGINT         NOT NULL,
    deleted     BOOLEAN        NOT NULL,
    changed_at  TIMESTAMP      NOT NULL,
    PRIMARY KEY (account_id, event_id)
);
CREATE INDEX calendar_event_seq_idx ON calendar_event (account_id, seq);
CREATE INDEX calendar_event_stream_idx ON calendar_event (account_id, stream, gen);
