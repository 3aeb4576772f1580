-- Ward queues: a handoff request is queued ('open'), owned by a staff member
-- ('assigned') or 'closed'. The city-level queue is the unit code 'city'.
ALTER TABLE handoff_requests ADD COLUMN assignee_id INTEGER;         -- bot/staff user id
ALTER TABLE handoff_requests ADD COLUMN assignee_name TEXT;
ALTER TABLE handoff_requests ADD COLUMN claimed_at TEXT;
ALTER TABLE handoff_requests ADD COLUMN first_response_at TEXT;
ALTER TABLE handoff_requests ADD COLUMN due_at TEXT;                 -- first-response SLA deadline
ALTER TABLE handoff_requests ADD COLUMN escalated_at TEXT;           -- SLA breach escalated to supervisors
ALTER TABLE handoff_requests ADD COLUMN closed_at TEXT;
ALTER TABLE handoff_requests ADD COLUMN outcome TEXT;                -- resolved | referred | no_response | handed_back | spam
ALTER TABLE handoff_requests ADD COLUMN procedure_id TEXT;           -- the matter when handed off
ALTER TABLE handoff_requests ADD COLUMN summary TEXT;                -- what the bot knew, for staff

UPDATE handoff_requests SET unit_code = 'city' WHERE unit_code IS NULL;

DROP INDEX handoff_requests_one_open;
-- A conversation has at most one active (queued or owned) request.
CREATE UNIQUE INDEX handoff_requests_one_active ON handoff_requests (conversation_id)
    WHERE status IN ('open', 'assigned');
CREATE INDEX handoff_requests_assignee ON handoff_requests (assignee_id, status);
CREATE INDEX handoff_requests_created ON handoff_requests (created_at);

-- Outbound messages written by a person (NULL: the bot).
ALTER TABLE messages ADD COLUMN author_id INTEGER;
ALTER TABLE messages ADD COLUMN author_name TEXT;

-- What happened to a handoff besides messages: internal notes, claims,
-- transfers, hand-backs, closes, escalations.
CREATE TABLE handoff_events (
    id              INTEGER PRIMARY KEY,
    handoff_id      INTEGER NOT NULL REFERENCES handoff_requests (id) ON DELETE CASCADE,
    conversation_id TEXT    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL, -- queued | claimed | note | transferred | handed_back | closed | escalated | rated
    actor_id        INTEGER,          -- staff user; NULL: the system or the citizen
    actor_name      TEXT,
    text            TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL
);
CREATE INDEX handoff_events_conversation ON handoff_events (conversation_id, id);

-- Canned replies per unit ('city' for the city level).
CREATE TABLE canned_replies (
    id         INTEGER PRIMARY KEY,
    unit_code  TEXT NOT NULL,
    title      TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX canned_replies_unit ON canned_replies (unit_code, title);

-- Per-unit settings editable in the console: office hours and SLA target.
CREATE TABLE unit_settings (
    unit_code   TEXT PRIMARY KEY,
    hours_json  TEXT    NOT NULL,  -- handoff.Hours
    sla_seconds INTEGER NOT NULL,  -- first-response target in office hours
    updated_by  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);

-- Citizen satisfaction after a closed handoff.
CREATE TABLE csat (
    id              INTEGER PRIMARY KEY,
    handoff_id      INTEGER NOT NULL REFERENCES handoff_requests (id) ON DELETE CASCADE,
    conversation_id TEXT    NOT NULL,
    unit_code       TEXT    NOT NULL,
    score           INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment         TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL,
    UNIQUE (handoff_id)
);
CREATE INDEX csat_unit ON csat (unit_code, created_at);
