-- Zalo OA's own state: the OA's access/refresh token pair (the refresh
-- token is single-use: each refresh returns a new pair, written here in one
-- transaction before it is used) and each follower's last inbound message,
-- for the 48-hour reply window.

CREATE TABLE zalooa_tokens (
    app_id        TEXT PRIMARY KEY,
    access_token  TEXT NOT NULL,
    refresh_token TEXT NOT NULL,
    expires_at    TEXT,          -- UTC RFC 3339; NULL: unknown
    updated_at    TEXT NOT NULL
);

CREATE TABLE zalooa_users (
    user_id         TEXT PRIMARY KEY, -- OA-scoped user id, kept as text
    last_inbound_at TEXT NOT NULL     -- UTC, fixed width: text order is time order
);
