-- The web chat becomes a channel like the others: its conversations are
-- found by (channel, external_id) in the inbox, with the conversation id as
-- the chat id, and they carry the SHA-256 of the citizen's secret token (the
-- id alone is no credential). Web conversations opened before have no token:
-- the citizen API no longer serves them and the page opens a new one.
ALTER TABLE conversations ADD COLUMN token_hash TEXT;
UPDATE conversations SET external_id = id WHERE channel = 'web' AND external_id IS NULL;
