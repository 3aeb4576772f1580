-- Conversations and their messages: the engine's durable memory.
-- Postgres: make the INTEGER PRIMARY KEY columns BIGINT GENERATED ALWAYS AS IDENTITY.

CREATE TABLE conversations (
    id          TEXT PRIMARY KEY, -- 32 hex digits, random
    channel     TEXT NOT NULL,    -- web | telegram | zalo-oa | zalo-bot | cli | eval
    external_id TEXT,             -- the channel's chat id; NULL when the channel has none
    mode        TEXT NOT NULL,    -- bot | queued | human | closed (copied from state_json)
    state_json  TEXT NOT NULL,    -- bot.State
    created_at  TEXT NOT NULL,    -- UTC instants, fixed width: text order is time order
    updated_at  TEXT NOT NULL,
    UNIQUE (channel, external_id)
);

CREATE INDEX conversations_mode ON conversations (mode, updated_at);

CREATE TABLE messages (
    id                 INTEGER PRIMARY KEY,
    conversation_id    TEXT    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    direction          TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
    text               TEXT    NOT NULL,
    lat                DOUBLE PRECISION, -- a shared pin (inbound)
    lon                DOUBLE PRECISION,
    answer_json        TEXT,             -- bot.Answer (outbound)
    kind               TEXT,             -- the answer's kind (outbound)
    reply_to           INTEGER REFERENCES messages (id), -- the inbound message answered
    channel_message_id TEXT,             -- the channel's message id, for idempotency
    created_at         TEXT    NOT NULL,
    UNIQUE (conversation_id, direction, channel_message_id)
);

CREATE INDEX messages_conversation ON messages (conversation_id, id);

CREATE TABLE handoff_requests (
    id              INTEGER PRIMARY KEY,
    conversation_id TEXT    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    message_id      INTEGER REFERENCES messages (id), -- the bot's handoff answer
    reason          TEXT    NOT NULL,
    unit_code       TEXT,             -- the new unit's queue; NULL: the city-level queue
    created_at      TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'open'
);

-- A conversation waits in at most one queue at a time.
CREATE UNIQUE INDEX handoff_requests_one_open ON handoff_requests (conversation_id) WHERE status = 'open';

CREATE INDEX handoff_requests_queue ON handoff_requests (status, unit_code, created_at);
