-- The dashboard's trends count conversations by the hour they began, and
-- its rates start no earlier than the first conversation stored: both read
-- this index (MIN(created_at) is one lookup).
CREATE INDEX conversations_created ON conversations (created_at, unit_code);
