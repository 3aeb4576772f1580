-- Curated answers carry their legal basis, their sources (with dates) and
-- a confidence, like procedures.
ALTER TABLE curated_answers ADD COLUMN legal_basis TEXT NOT NULL DEFAULT '';
ALTER TABLE curated_answers ADD COLUMN sources TEXT NOT NULL DEFAULT '[]'; -- JSON array of {title, url, date}
ALTER TABLE curated_answers ADD COLUMN confidence TEXT NOT NULL DEFAULT '';
