-- Citizens' 👍 (+1) / 👎 (−1) on the bot's answers: one rating per answer,
-- the last one given wins.
CREATE TABLE feedback (
    id              INTEGER PRIMARY KEY,
    conversation_id TEXT    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    message_id      INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE, -- the rated answer
    score           INTEGER NOT NULL CHECK (score IN (-1, 1)),
    created_at      TEXT    NOT NULL,
    UNIQUE (message_id)
);
-- Thumbs-down in a time window (the editors' unanswered questions).
CREATE INDEX feedback_window ON feedback (score, created_at, message_id);

-- Unanswered-question groups an editor has dealt with (a new alias or a
-- curated answer): occurrences up to done_at no longer show.
CREATE TABLE unanswered_done (
    key        TEXT PRIMARY KEY, -- the group's folded text
    actor      TEXT NOT NULL,
    resolution TEXT NOT NULL,
    done_at    TEXT NOT NULL
);
