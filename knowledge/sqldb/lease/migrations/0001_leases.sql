-- Leases: who does a piece of work that only one gateway may do at a time
-- (send a channel's outbox, answer a conversation, refresh the Zalo OA's
-- token, run a scheduled job). A lease is held until expires_at and renewed
-- by its holder; once expired, any gateway may take it, and the epoch goes
-- up: work done under an older epoch is refused (fencing).
CREATE TABLE leases (
    name        TEXT    PRIMARY KEY,           -- e.g. "outbox:telegram", "inbox:c_…"
    holder      TEXT    NOT NULL,              -- the gateway holding it (lease.NewHolder)
    epoch       INTEGER NOT NULL,              -- 1, 2, … one more each time the holder changes
    expires_at  TEXT    NOT NULL,              -- UTC instant, fixed width: text order is time order
    acquired_at TEXT    NOT NULL,              -- when this epoch began
    renewals    INTEGER NOT NULL DEFAULT 0     -- renewals in this epoch (0: just taken)
);
