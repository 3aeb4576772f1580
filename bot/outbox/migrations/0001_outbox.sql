-- The outbox: every message the gateway sends to a channel, one row per
-- chunk, written before it is sent. (channel, update_key, chunk) is unique,
-- so one inbound update can never produce two sends.
-- Postgres: make id BIGINT GENERATED ALWAYS AS IDENTITY.

CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    channel    TEXT    NOT NULL,              -- telegram | zalo-oa | zalo-bot
    chat_id    TEXT    NOT NULL,              -- the channel's chat id
    update_key TEXT    NOT NULL,              -- what the message answers, e.g. "in:42" (inbound message 42)
    chunk      INTEGER NOT NULL,              -- 0, 1, … in sending order
    body_json  TEXT    NOT NULL,              -- outbox.OutMessage, rendered for the channel
    status     TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,    -- failed attempts so far
    next_at    TEXT    NOT NULL,              -- UTC instants, fixed width: text order is time order
    created_at TEXT    NOT NULL,
    sent_at    TEXT,
    last_error TEXT,
    UNIQUE (channel, update_key, chunk)
);

-- The head of each chat's queue, and the due rows.
CREATE INDEX outbox_chat ON outbox (status, channel, chat_id, id);
CREATE INDEX outbox_due ON outbox (status, next_at);
