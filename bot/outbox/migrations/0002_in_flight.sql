-- A row is marked 'sending' (in flight) in the database before its send
-- starts and leaves that status when the outcome is recorded. A row found
-- 'sending' when the gateway starts was in flight when the previous process
-- died: the platform may or may not have it. OUTBOX_IN_DOUBT decides: send
-- it again ('pending') or hold it for staff ('in_doubt').
--
-- SQLite cannot change a CHECK constraint, so the table is rebuilt (nothing
-- references it). Postgres: ALTER TABLE outbox DROP CONSTRAINT …, ADD
-- CONSTRAINT … CHECK (…), ADD COLUMN sending_at TEXT.

CREATE TABLE outbox_next (
    id         INTEGER PRIMARY KEY,
    channel    TEXT    NOT NULL,
    chat_id    TEXT    NOT NULL,
    update_key TEXT    NOT NULL,
    chunk      INTEGER NOT NULL,
    body_json  TEXT    NOT NULL,
    status     TEXT    NOT NULL DEFAULT 'pending'
               CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'in_doubt')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    sent_at    TEXT,
    last_error TEXT,
    sending_at TEXT,                          -- when the last send started
    UNIQUE (channel, update_key, chunk)
);

INSERT INTO outbox_next (id, channel, chat_id, update_key, chunk, body_json, status, attempts,
                         next_at, created_at, sent_at, last_error)
    SELECT id, channel, chat_id, update_key, chunk, body_json, status, attempts,
           next_at, created_at, sent_at, last_error
    FROM outbox;

DROP TABLE outbox;
ALTER TABLE outbox_next RENAME TO outbox;

CREATE INDEX outbox_chat ON outbox (status, channel, chat_id, id);
CREATE INDEX outbox_due ON outbox (status, next_at);
