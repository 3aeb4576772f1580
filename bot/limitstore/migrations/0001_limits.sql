-- The rate limits' counters when several gateways share the database
-- (bot/limitstore): fixed windows (the per-sender flood limit) and token
-- buckets kept as their theoretical arrival time (the chat API's
-- per-address limits). Times are Unix milliseconds.
CREATE TABLE rate_windows (
    key      TEXT PRIMARY KEY,
    start_ms INTEGER NOT NULL,
    n        INTEGER NOT NULL
);
CREATE TABLE rate_buckets (
    key    TEXT PRIMARY KEY,
    tat_ms INTEGER NOT NULL
);
