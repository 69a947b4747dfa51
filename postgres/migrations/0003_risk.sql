-- 0003_risk: risk targeting. Declarations with their decisions and
-- inspections, the watch list, trained model versions and the local
-- states of profiles, as in the sqlite backend's 0003_risk.sql. All of it
-- is local to the node: nothing here takes a change sequence number,
-- enters the change feed or is ever a record. Decisions and inspections
-- are written only with their declaration, or after the store checked it
-- exists, so they carry no foreign key (whose per-row trigger would slow
-- bulk imports).

-- declarations holds every declaration received: id is its declaration
-- id, received_at when the node received it, date its declared date
-- (YYYY-MM-DD), crossing its crossing point ('' if none), body its JSON.
-- declarations_received lists them in received order, ties by id, for
-- LabelledDeclarations.
CREATE TABLE declarations (
    id          text COLLATE "C" PRIMARY KEY,
    received_at timestamptz NOT NULL,
    crossing    text COLLATE "C" NOT NULL,
    date        text NOT NULL,
    body        text NOT NULL
);
CREATE INDEX declarations_received ON declarations (received_at, id);

-- decisions holds the decision made on a declaration (at most one).
-- model_version is 0 when no model scored it; reasons is the JSON array of
-- its reasons. decisions_crossing serves RecentScores at one crossing,
-- decisions_decided RecentScores at all crossings and RiskStats; both end
-- with the declaration id, the tie-break of RecentScores, and include the
-- score, so that RecentScores reads the index only.
CREATE TABLE decisions (
    declaration_id text COLLATE "C" PRIMARY KEY,
    channel        text COLLATE "C" NOT NULL,
    score          double precision NOT NULL,
    selected_by    text COLLATE "C" NOT NULL,
    model_version  bigint NOT NULL,
    crossing       text COLLATE "C" NOT NULL,
    decided_at     timestamptz NOT NULL,
    reasons        text NOT NULL
);
CREATE INDEX decisions_crossing ON decisions (crossing, decided_at, declaration_id) INCLUDE (score);
CREATE INDEX decisions_decided ON decisions (decided_at, declaration_id) INCLUDE (score);

-- decision_profiles has one row per profile that matched a decided
-- declaration, pos its place in Decision.Profiles, for the hit rates of
-- each profile.
CREATE TABLE decision_profiles (
    declaration_id text COLLATE "C" NOT NULL,
    profile_id     text COLLATE "C" NOT NULL,
    pos            integer NOT NULL,
    PRIMARY KEY (declaration_id, profile_id)
);

-- inspections holds the latest inspection of a declaration: its result,
-- the label it gives (fraud 0 or 1, critical 0 to 2) and where it came
-- from (source: file or officer).
CREATE TABLE inspections (
    declaration_id    text COLLATE "C" PRIMARY KEY,
    result            text COLLATE "C" NOT NULL,
    seizure_id        text NOT NULL,
    recovered_revenue double precision NOT NULL,
    notes             text NOT NULL,
    fraud             integer NOT NULL,
    critical          integer NOT NULL,
    source            text NOT NULL,
    at                timestamptz NOT NULL
);

-- watchlist holds watch-list entries, removed ones included (removed_at
-- set); watchlist_expires finds those not yet expired at a time.
CREATE TABLE watchlist (
    id               text COLLATE "C" PRIMARY KEY,
    identifier_type  text NOT NULL,
    identifier_value text NOT NULL,
    channel          text NOT NULL,
    reason           text NOT NULL,
    expires_at       timestamptz NOT NULL,
    created_at       timestamptz NOT NULL,
    source           text NOT NULL,
    removed_at       timestamptz
);
CREATE INDEX watchlist_expires ON watchlist (expires_at);

-- models holds trained model versions, numbered from 1. info is the
-- crossguard.ModelInfo JSON (its version, active flag and activation time
-- are the columns'); file is the model file. models_one_active lets at
-- most one version be active.
CREATE TABLE models (
    version      bigint PRIMARY KEY,
    active       boolean NOT NULL DEFAULT false,
    activated_at timestamptz,
    created_at   timestamptz NOT NULL,
    info         text NOT NULL,
    file         bytea NOT NULL
);
CREATE UNIQUE INDEX models_one_active ON models (active) WHERE active;

-- profile_states holds the local state a profile was last set to; a
-- profile without a row has its default state (see crossguard.ProfileStore).
CREATE TABLE profile_states (
    id    text COLLATE "C" PRIMARY KEY,
    state text NOT NULL CHECK (state IN ('active', 'inactive', 'disabled')),
    at    timestamptz NOT NULL
);
