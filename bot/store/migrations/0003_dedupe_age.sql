-- Channel dedupe keys by age, for their retention (PruneDedupeKeys).
CREATE INDEX messages_dedupe_age ON messages (created_at)
    WHERE channel_message_id IS NOT NULL AND direction = 'in';
