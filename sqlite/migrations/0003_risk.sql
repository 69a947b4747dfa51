-- 0003: risk targeting. Declarations with their decisions and
-- inspections, the watch list, trained model versions and the local
-- states of profiles. All of it is local to the node: nothing here takes a
-- change sequence number, enters the change feed or is ever a record.
-- Times are text as in 0001 (nanoseconds, UTC). Decisions and inspections
-- are written only with their declaration, or after the store checked it
-- exists, so they carry no foreign key (whose check would need a
-- statement journal for every multi-row insert of an import).

-- declarations holds every declaration received: id is its declaration
-- id, received_at when the node received it, date its declared date
-- (YYYY-MM-DD), crossing its crossing point ('' if none), body its JSON.
-- declarations_received lists them in received order, ties by id, for
-- LabelledDeclarations.
CREATE TABLE declarations (
    id          TEXT NOT NULL UNIQUE,
    received_at TEXT NOT NULL,
    crossing    TEXT NOT NULL,
    date        TEXT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX declarations_received ON declarations (received_at, id);

-- decisions holds the decision made on a declaration (at most one).
-- model_version is 0 when no model scored it; reasons is the JSON array of
-- its reasons. decisions_crossing serves RecentScores at one crossing,
-- decisions_decided RecentScores at all crossings and RiskStats; both end
-- with the declaration id, the tie-break of RecentScores, and the score,
-- so that RecentScores reads the index only.
CREATE TABLE decisions (
    declaration_id TEXT PRIMARY KEY,
    channel        TEXT NOT NULL,
    score          REAL NOT NULL,
    selected_by    TEXT NOT NULL,
    model_version  INTEGER NOT NULL,
    crossing       TEXT NOT NULL,
    decided_at     TEXT NOT NULL,
    reasons        TEXT NOT NULL
);
CREATE INDEX decisions_crossing ON decisions (crossing, decided_at, declaration_id, score);
CREATE INDEX decisions_decided ON decisions (decided_at, declaration_id, score);

-- decision_profiles has one row per profile that matched a decided
-- declaration, pos its place in Decision.Profiles, for the hit rates of
-- each profile.
CREATE TABLE decision_profiles (
    declaration_id TEXT NOT NULL,
    profile_id     TEXT NOT NULL,
    pos            INTEGER NOT NULL,
    PRIMARY KEY (declaration_id, profile_id)
) WITHOUT ROWID;

-- inspections holds the latest inspection of a declaration: its result,
-- the label it gives (fraud 0 or 1, critical 0 to 2) and where it came
-- from (source: file or officer).
CREATE TABLE inspections (
    declaration_id    TEXT PRIMARY KEY,
    result            TEXT NOT NULL,
    seizure_id        TEXT NOT NULL,
    recovered_revenue REAL NOT NULL,
    notes             TEXT NOT NULL,
    fraud             INTEGER NOT NULL,
    critical          INTEGER NOT NULL,
    source            TEXT NOT NULL,
    at                TEXT NOT NULL
);

-- watchlist holds watch-list entries, removed ones included (removed_at
-- set); watchlist_expires finds those not yet expired at a time.
CREATE TABLE watchlist (
    id               TEXT PRIMARY KEY,
    identifier_type  TEXT NOT NULL,
    identifier_value TEXT NOT NULL,
    channel          TEXT NOT NULL,
    reason           TEXT NOT NULL,
    expires_at       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    source           TEXT NOT NULL,
    removed_at       TEXT
);
CREATE INDEX watchlist_expires ON watchlist (expires_at);

-- models holds trained model versions, numbered from 1. info is the
-- crossguard.ModelInfo JSON (its version, active flag and activation time
-- are the columns'); file comes last so that reading the other columns
-- never reads its overflow pages. models_one_active lets at most one
-- version be active.
CREATE TABLE models (
    version      INTEGER PRIMARY KEY,
    active       INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
    activated_at TEXT,
    created_at   TEXT NOT NULL,
    info         TEXT NOT NULL,
    file         BLOB NOT NULL
);
CREATE UNIQUE INDEX models_one_active ON models (active) WHERE active = 1;

-- profile_states holds the local state a profile was last set to; a
-- profile without a row has its default state (see crossguard.ProfileStore).
CREATE TABLE profile_states (
    id    TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('active', 'inactive', 'disabled')),
    at    TEXT NOT NULL
);
