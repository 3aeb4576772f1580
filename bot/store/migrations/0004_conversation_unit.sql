-- The unit a conversation is about (the dialogue state's resolved unit;
-- NULL: none yet), for the city dashboard's per-unit handoff rate, and the
-- indexes that keep the dashboard's window queries cheap.
ALTER TABLE conversations ADD COLUMN unit_code TEXT;
-- Conversations active in a time window, grouped by unit (covering).
CREATE INDEX conversations_unit ON conversations (updated_at, unit_code, created_at);
-- Answers of one kind in a time window (fallbacks: unresolved questions).
CREATE INDEX messages_kind ON messages (kind, created_at);
-- Ratings in a time window.
CREATE INDEX csat_created ON csat (created_at, unit_code, score);
-- Handoffs created in a time window, per unit (covers the SLA columns).
CREATE INDEX handoff_requests_window ON handoff_requests (created_at, unit_code, first_response_at, due_at, closed_at);
