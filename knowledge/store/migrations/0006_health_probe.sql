-- One row the gateway rewrites for /readyz: a write that fails (a full
-- disk, a read-only or damaged file) makes the gateway not ready.
CREATE TABLE health_probe (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at TEXT NOT NULL
);
