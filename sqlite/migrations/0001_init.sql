-- 0001: the initial schema of a crossguard node.
--
-- Times are UTC text in RFC 3339 with a fixed-width fraction (nanoseconds,
-- or microseconds for the audit log) so that text order is time order,
-- except seizures.occurred_at and seizure_goods.occurred_at, which are
-- integer nanoseconds since 1970 for compact, fast list indexes.

CREATE TABLE node (
    singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
    node_id    TEXT NOT NULL,
    agency     TEXT NOT NULL,
    node       TEXT NOT NULL,
    country    TEXT NOT NULL,
    name       TEXT NOT NULL,
    public_key TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- heads is the single row every write transaction reads and advances: the
-- last change sequence number and the last audit entry.
CREATE TABLE heads (
    singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
    change_seq INTEGER NOT NULL,
    audit_seq  INTEGER NOT NULL,
    audit_hash TEXT NOT NULL
);
INSERT INTO heads (singleton, change_seq, audit_seq, audit_hash)
VALUES (1, 0, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- seizures holds every seizure, live or tombstone. key is the rowid, in
-- insertion order, referenced by seizure_goods. fts_key is the rowid of a
-- live seizure's row in seizure_fts: its high bits are the second of
-- occurred_at (see key.go), so that full-text matches come out of the FTS
-- index newest first, second by second.
CREATE TABLE seizures (
    key          INTEGER PRIMARY KEY,
    fts_key      INTEGER UNIQUE,
    id           TEXT NOT NULL UNIQUE,
    seq          INTEGER NOT NULL UNIQUE,
    origin       TEXT NOT NULL,
    version      INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    occurred_at  INTEGER NOT NULL,
    country      TEXT NOT NULL,
    distribution TEXT NOT NULL,
    tlp          TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    body         TEXT NOT NULL
);
CREATE INDEX seizures_live ON seizures (occurred_at DESC, id DESC) WHERE deleted = 0;
CREATE INDEX seizures_country ON seizures (country, occurred_at DESC, id DESC) WHERE deleted = 0;

-- seizure_goods has one row per goods line of a live seizure. The first_*
-- flags mark the first line of a seizure with its category, chapter,
-- heading and subheading, so that the partial indexes list each seizure
-- once, in occurred_at order. occurred_at and country are copied from the
-- seizure so that lists walk these indexes in order and filter on country
-- without reading the seizure.
CREATE TABLE seizure_goods (
    seizure        INTEGER NOT NULL REFERENCES seizures (key),
    line           INTEGER NOT NULL,
    category       TEXT NOT NULL,
    hs             TEXT NOT NULL,
    hs2            TEXT,
    hs4            TEXT,
    hs6            TEXT,
    occurred_at    INTEGER NOT NULL,
    country        TEXT NOT NULL,
    first_category INTEGER NOT NULL,
    first_hs2      INTEGER NOT NULL,
    first_hs4      INTEGER NOT NULL,
    first_hs6      INTEGER NOT NULL,
    PRIMARY KEY (seizure, line)
) WITHOUT ROWID;
CREATE INDEX seizure_goods_category ON seizure_goods (category, occurred_at DESC, country) WHERE first_category = 1;
CREATE INDEX seizure_goods_hs2 ON seizure_goods (hs2, occurred_at DESC, country) WHERE first_hs2 = 1;
CREATE INDEX seizure_goods_hs4 ON seizure_goods (hs4, occurred_at DESC, country) WHERE first_hs4 = 1;
CREATE INDEX seizure_goods_hs6 ON seizure_goods (hs6, occurred_at DESC, country) WHERE first_hs6 = 1;

-- seizure_fts indexes the goods descriptions and narrative of live
-- seizures, and in facets their categories, country and HS prefixes as
-- coded tokens (see fts.go), so that a search applies those filters inside
-- the full-text index. Its rowid is seizures.fts_key.
CREATE VIRTUAL TABLE seizure_fts USING fts5 (
    goods, narrative, facets,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE users (
    name       TEXT PRIMARY KEY,
    role       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE tokens (
    hash       TEXT PRIMARY KEY,
    user_name  TEXT NOT NULL REFERENCES users (name),
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX tokens_user ON tokens (user_name);

-- audit is the append-only, hash-chained audit log; the triggers refuse
-- any change to an entry once written.
CREATE TABLE audit (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_record_id ON audit (record_id);
CREATE INDEX audit_actor ON audit (actor);
CREATE INDEX audit_action ON audit (action);
CREATE INDEX audit_at ON audit (at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be deleted');
END;

CREATE TABLE imports (
    file_hash   TEXT PRIMARY KEY,
    file_name   TEXT NOT NULL,
    lines_done  INTEGER NOT NULL,
    imported    INTEGER NOT NULL,
    rejected    INTEGER NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT
);
