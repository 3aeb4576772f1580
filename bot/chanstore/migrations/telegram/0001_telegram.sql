-- Telegram's own state: the payloads behind inline-keyboard buttons
-- (callback_data is at most 64 bytes, so buttons carry a short key) and
-- the long-polling offset.

CREATE TABLE telegram_callbacks (
    key        TEXT PRIMARY KEY, -- base64url of the payload's SHA-256, 16 chars
    payload    TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE telegram_poll_offsets (
    bot_id      TEXT PRIMARY KEY, -- the numeric prefix of the bot token
    next_offset BIGINT NOT NULL,  -- greater by one than the last update handled
    updated_at  TEXT NOT NULL
);
