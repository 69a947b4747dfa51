-- 0001_init: the whole initial schema of a crossguard node on PostgreSQL.
-- It describes the same tables, with the same meanings, as the sqlite
-- backend's 0001_init.sql. Identifiers and codes use the "C" collation so
-- that they compare and sort byte by byte, as SQLite does.

-- node is the identity of the node the database belongs to (one row).
CREATE TABLE node (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    node_id    text NOT NULL,
    agency     text NOT NULL,
    node       text NOT NULL,
    country    text NOT NULL,
    name       text NOT NULL,
    public_key text NOT NULL,
    created_at timestamptz NOT NULL
);

-- heads holds the last change sequence number and the last audit entry (one
-- row). Every write transaction locks it first (SELECT ... FOR UPDATE), which
-- serializes writers, also across processes, so that change sequence numbers
-- are gap-free in commit order and the audit log is a single chain.
CREATE TABLE heads (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    change_seq bigint NOT NULL,
    audit_seq  bigint NOT NULL,
    audit_hash text NOT NULL
);
INSERT INTO heads (change_seq, audit_seq, audit_hash)
VALUES (0, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- seizures holds every seizure, live or deleted (a tombstone), at its latest
-- version. seq is the change sequence number of that version. body is the
-- JSON of the crossguard.Seizure, or of its crossguard.Header for a
-- tombstone, byte for byte as the node encoded it. fts indexes the goods
-- descriptions and the narrative (words folded to lower case without
-- diacritics); it is empty for tombstones.
CREATE TABLE seizures (
    id           text COLLATE "C" PRIMARY KEY,
    seq          bigint NOT NULL UNIQUE,
    origin       text NOT NULL,
    version      bigint NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    occurred_at  timestamptz NOT NULL,
    country      text COLLATE "C" NOT NULL,
    distribution text NOT NULL,
    tlp          text NOT NULL,
    deleted      boolean NOT NULL DEFAULT false,
    body         text NOT NULL,
    fts          tsvector NOT NULL DEFAULT ''::tsvector
);
CREATE INDEX seizures_live_occurred ON seizures (occurred_at DESC, id DESC) WHERE NOT deleted;
CREATE INDEX seizures_live_country ON seizures (country, occurred_at DESC, id DESC) WHERE NOT deleted;
CREATE INDEX seizures_fts ON seizures USING gin (fts);

-- seizure_goods has one row per goods line of a live seizure, so that lists
-- filter by category and HS code through an index in list order. line is
-- the position in the goods list, from 0. hs is the code as given; hs2, hs4
-- and hs6 are its first 2, 4 and 6 digits (NULL where it is shorter).
-- occurred_at and country repeat the seizure's: occurred_at and seizure_id
-- give the indexes the list order, and country, carried in each index, lets
-- a list by category (or HS code) and country skip the other countries'
-- seizures without reading them. Rows are removed when the seizure is
-- deleted and rewritten when it is updated, in the same transaction as the
-- seizure row. seizure_id has no foreign key: the per-row check would cost
-- more than all of the table's indexes together on bulk imports, and only
-- the store writes this table.
CREATE TABLE seizure_goods (
    seizure_id  text COLLATE "C" NOT NULL,
    line        integer NOT NULL,
    category    text COLLATE "C" NOT NULL,
    hs          text COLLATE "C" NOT NULL,
    hs2         text COLLATE "C",
    hs4         text COLLATE "C",
    hs6         text COLLATE "C",
    occurred_at timestamptz NOT NULL,
    country     text COLLATE "C" NOT NULL,
    PRIMARY KEY (seizure_id, line)
);
CREATE INDEX seizure_goods_category ON seizure_goods (category, occurred_at DESC, seizure_id DESC) INCLUDE (country);
CREATE INDEX seizure_goods_hs2 ON seizure_goods (hs2, occurred_at DESC, seizure_id DESC) INCLUDE (country);
CREATE INDEX seizure_goods_hs4 ON seizure_goods (hs4, occurred_at DESC, seizure_id DESC) INCLUDE (country);
CREATE INDEX seizure_goods_hs6 ON seizure_goods (hs6, occurred_at DESC, seizure_id DESC) INCLUDE (country);

-- users are the people and machines with a role on this node.
CREATE TABLE users (
    name       text PRIMARY KEY,
    role       text NOT NULL,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);

-- tokens holds the SHA-256 hashes of users' API tokens.
CREATE TABLE tokens (
    hash       text PRIMARY KEY,
    user_name  text NOT NULL REFERENCES users (name),
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX tokens_user ON tokens (user_name);

-- audit is the append-only, hash-chained audit log. Empty record_kind,
-- record_id and detail are stored as ''.
CREATE TABLE audit (
    seq         bigint PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor       text NOT NULL,
    action      text NOT NULL,
    record_kind text NOT NULL DEFAULT '',
    record_id   text NOT NULL DEFAULT '',
    outcome     text NOT NULL,
    detail      text NOT NULL DEFAULT '',
    prev_hash   text NOT NULL,
    hash        text NOT NULL
);
CREATE INDEX audit_record_id ON audit (record_id, seq);
CREATE INDEX audit_actor ON audit (actor, seq);
CREATE INDEX audit_action ON audit (action, seq);
CREATE INDEX audit_at ON audit (at);

-- audit_append_only refuses every change to the audit log but an insert.
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- imports keeps the progress of CSV imports, keyed by the file's SHA-256.
CREATE TABLE imports (
    file_hash   text PRIMARY KEY,
    file_name   text NOT NULL,
    lines_done  bigint NOT NULL,
    imported    bigint NOT NULL,
    rejected    bigint NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz
);
