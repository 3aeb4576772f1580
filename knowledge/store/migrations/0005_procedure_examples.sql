-- Example questions per procedure, as citizens ask them: the matter
-- reader learns from them (JSON array, like aliases).
ALTER TABLE procedures ADD COLUMN examples TEXT NOT NULL DEFAULT '[]';
