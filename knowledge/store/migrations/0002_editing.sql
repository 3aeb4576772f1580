-- Editing: unit offices, city service points, curated answers and synonyms
-- as versioned KB data; the one shared draft; the audit log.
ALTER TABLE units ADD COLUMN hotline TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN hours TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN map_url TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN office_notes TEXT NOT NULL DEFAULT '';

CREATE TABLE service_points (
    version INTEGER NOT NULL REFERENCES kb_versions (version) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    id      TEXT    NOT NULL,
    name    TEXT    NOT NULL,
    address TEXT    NOT NULL,
    phone   TEXT    NOT NULL,
    hours   TEXT    NOT NULL,
    map_url TEXT    NOT NULL,
    matters TEXT    NOT NULL, -- JSON array of procedure ids
    notes   TEXT    NOT NULL,
    PRIMARY KEY (version, seq),
    UNIQUE (version, id)
);

CREATE TABLE curated_answers (
    version      INTEGER NOT NULL REFERENCES kb_versions (version) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    id           TEXT    NOT NULL,
    questions    TEXT    NOT NULL, -- JSON array of phrasings
    answer       TEXT    NOT NULL,
    procedure_id TEXT    NOT NULL,
    unit_code    TEXT    NOT NULL,
    source_url   TEXT    NOT NULL,
    notes        TEXT    NOT NULL,
    PRIMARY KEY (version, seq),
    UNIQUE (version, id)
);

CREATE TABLE synonyms (
    version INTEGER NOT NULL REFERENCES kb_versions (version) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    phrase  TEXT    NOT NULL, -- folded
    means   TEXT    NOT NULL, -- folded
    PRIMARY KEY (version, seq),
    UNIQUE (version, phrase)
);

-- The one shared draft (its kb_versions row has status 'draft'). singleton
-- makes a second draft impossible; state 'publishing' is the claim of a
-- publish in progress; revision counts the edits.
CREATE TABLE kb_draft (
    singleton  INTEGER NOT NULL DEFAULT 1 PRIMARY KEY CHECK (singleton = 1),
    version    INTEGER NOT NULL UNIQUE REFERENCES kb_versions (version) ON DELETE CASCADE,
    base       INTEGER NOT NULL,
    revision   INTEGER NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('draft', 'publishing')),
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    updated_by TEXT    NOT NULL
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL, -- UTC instant
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    entity      TEXT    NOT NULL,
    entity_id   TEXT    NOT NULL,
    summary     TEXT    NOT NULL,
    before_json TEXT    NOT NULL,
    after_json  TEXT    NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
