-- One row the gateway rewrites for /readyz: a write that fails (a full
-- disk, a read-only or damaged file) makes the gateway not ready.
CREATE TABLE IF NOT EXISTS health_probe ( -- sqldb.Open creates it too
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at TEXT NOT NULL
);
