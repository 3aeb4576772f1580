-- The knowledge base: every version is a complete copy, written once by
-- SaveVersion and never edited. Child rows keep their input order in seq.

CREATE TABLE kb_versions (
    version    INTEGER PRIMARY KEY,
    as_of      TEXT    NOT NULL, -- YYYY-MM-DD: the day the facts were last checked
    created_at TEXT    NOT NULL, -- UTC instant
    author     TEXT    NOT NULL,
    changelog  TEXT    NOT NULL,
    status     TEXT    NOT NULL CHECK (status IN ('draft', 'published', 'archived'))
);

CREATE TABLE units (
    version           INTEGER NOT NULL REFERENCES kb_versions (version) ON DELETE CASCADE,
    seq               INTEGER NOT NULL,
    code              TEXT    NOT NULL,
    name              TEXT    NOT NULL,
    type              TEXT    NOT NULL,
    short_name        TEXT    NOT NULL,
    former_province   TEXT    NOT NULL,
    former_districts  TEXT    NOT NULL,
    old_units         INTEGER NOT NULL,
    province          TEXT    NOT NULL,
    province_code     TEXT    NOT NULL,
    resolution        TEXT    NOT NULL,
    resolution_clause TEXT    NOT NULL,
    address           TEXT    NOT NULL,
    phone             TEXT    NOT NULL,
    PRIMARY KEY (version, seq),
    UNIQUE (version, code)
);

CREATE TABLE mappings (
    version           INTEGER NOT NULL REFERENCES kb_versions (version) ON DELETE CASCADE,
    seq               INTEGER NOT NULL,
    old_code          TEXT    NOT NULL,
    old_name          TEXT    NOT NULL,
    old_name_gso      TEXT    NOT NULL,
    old_type          TEXT    NOT NULL,
    old_district      TEXT    NOT NULL,
    old_district_code TEXT    NOT NULL,
    old_province      TEXT    NOT NULL,
    old_province_code TEXT    NOT NULL,
    new_code          TEXT    NOT NULL,
    new_name          TEXT    NOT NULL,
    new_province      TEXT    NOT NULL,
    new_province_code TEXT    NOT NULL,
    whole             BOOLEAN NOT NULL,
    share             TEXT    NOT NULL,
    part_kind         TEXT    NOT NULL,
    resolution        TEXT    NOT NULL,
    resolution_clause TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    PRIMARY KEY (version, seq)
);

CREATE TABLE history (
    version          INTEGER NOT NULL REFERENCES kb_versions (version) ON DELETE CASCADE,
    seq              INTEGER NOT NULL,
    former_name      TEXT    NOT NULL,
    former_district  TEXT    NOT NULL,
    former_province  TEXT    NOT NULL,
    former_code      TEXT    NOT NULL,
    current_name     TEXT    NOT NULL,
    current_district TEXT    NOT NULL,
    current_code     TEXT    NOT NULL,
    whole            BOOLEAN NOT NULL,
    change           TEXT    NOT NULL,
    resolutions      TEXT    NOT NULL, -- JSON array, oldest first
    effective        TEXT,             -- YYYY-MM-DD
    source           TEXT    NOT NULL,
    PRIMARY KEY (version, seq)
);

CREATE TABLE district_aliases (
    version          INTEGER NOT NULL REFERENCES kb_versions (version) ON DELETE CASCADE,
    seq              INTEGER NOT NULL,
    former_district  TEXT    NOT NULL,
    former_province  TEXT    NOT NULL,
    current_district TEXT    NOT NULL,
    change           TEXT    NOT NULL,
    resolutions      TEXT    NOT NULL, -- JSON array
    effective        TEXT,             -- YYYY-MM-DD
    source           TEXT    NOT NULL,
    PRIMARY KEY (version, seq)
);

CREATE TABLE procedures (
    version            INTEGER NOT NULL REFERENCES kb_versions (version) ON DELETE CASCADE,
    seq                INTEGER NOT NULL,
    id                 TEXT    NOT NULL,
    name               TEXT    NOT NULL,
    aliases            TEXT    NOT NULL, -- JSON array
    field              TEXT    NOT NULL,
    authority          TEXT    NOT NULL,
    office_levels      TEXT    NOT NULL, -- JSON array, main level first
    jurisdiction_basis TEXT    NOT NULL,
    file_anywhere      TEXT    NOT NULL,
    online             TEXT    NOT NULL,
    processing_time    TEXT    NOT NULL,
    fee                TEXT    NOT NULL,
    documents          TEXT    NOT NULL, -- JSON array
    legal_basis        TEXT    NOT NULL,
    source_urls        TEXT    NOT NULL, -- JSON array
    confidence         TEXT    NOT NULL,
    PRIMARY KEY (version, seq),
    UNIQUE (version, id)
);

CREATE TABLE land_branches (
    version      INTEGER NOT NULL REFERENCES kb_versions (version) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    branch_no    TEXT    NOT NULL,
    branch_name  TEXT    NOT NULL,
    commune_unit TEXT    NOT NULL,
    source_url   TEXT    NOT NULL,
    note         TEXT    NOT NULL,
    PRIMARY KEY (version, seq)
);
