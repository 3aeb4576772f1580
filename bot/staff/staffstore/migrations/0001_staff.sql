-- Staff users of the ward and city consoles, their units and their login sessions.
-- Postgres: make staff_users.id BIGINT GENERATED ALWAYS AS IDENTITY.

CREATE TABLE staff_users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE, -- [a-z0-9._-]{3,40}
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL,        -- staff | supervisor | city_admin | editor
    password_hash TEXT    NOT NULL,        -- bcrypt
    max_chats     INTEGER NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins INTEGER NOT NULL DEFAULT 0, -- wrong passwords in a row
    locked_until  TEXT,                       -- UTC instant; NULL: not locked
    created_at    TEXT    NOT NULL,           -- UTC instants, fixed width: text order is time order
    updated_at    TEXT    NOT NULL
);

-- The queues a staff member or supervisor works: new-unit codes or 'city'.
CREATE TABLE staff_units (
    user_id   INTEGER NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    unit_code TEXT    NOT NULL,
    PRIMARY KEY (user_id, unit_code)
);

CREATE INDEX staff_units_unit ON staff_units (unit_code);

-- Only the sha256 of a session token is stored.
CREATE TABLE staff_sessions (
    token_hash TEXT    PRIMARY KEY, -- hex sha256 of the token
    user_id    INTEGER NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    csrf       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL
);

CREATE INDEX staff_sessions_user ON staff_sessions (user_id);
CREATE INDEX staff_sessions_expiry ON staff_sessions (expires_at);
