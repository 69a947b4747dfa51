-- 0002: federation. Received records, records of kinds without a table of
-- their own, peers and what each peer may hold.

-- A seizure row is live (deleted = 0), a tombstone (deleted = 1), or a
-- withdrawn copy (deleted = 1 and withdrawn = 1): a received record this
-- node may no longer hold, whose body keeps only its id, kind, origin and
-- version. Withdrawn copies are deleted rows so that every query of live
-- seizures (deleted = 0) and every partial index leaves them out. via is
-- the peer a received version came from, signed and sig the origin's
-- canonical record JSON and base64 signature; all three are NULL for this
-- node's own records (and signed and sig for withdrawn copies). path is
-- the path of a live received copy's current source (a JSON array of node
-- ids, origin first and via last; see sources), NULL otherwise. A
-- tombstone of a record never held has occurred_at 0 and country ''.
ALTER TABLE seizures ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1) AND (withdrawn = 0 OR deleted = 1));
ALTER TABLE seizures ADD COLUMN via TEXT;
ALTER TABLE seizures ADD COLUMN signed TEXT;
ALTER TABLE seizures ADD COLUMN sig TEXT;
ALTER TABLE seizures ADD COLUMN path TEXT;

-- seizures_origin drives lists filtered on one origin, in list order.
CREATE INDEX seizures_origin ON seizures (origin, occurred_at DESC, id DESC) WHERE deleted = 0;

-- records holds the records of kinds without a table of their own
-- (annotations), in the same states as seizures. seq numbers the latest
-- change from the same counter as seizures.seq (heads.change_seq); an id
-- is in at most one of the two tables. target is the id of the record an
-- annotation refers to (NULL for a tombstone of a record never held).
-- body is the whole record's JSON (the header's for tombstones, and only
-- id, kind, origin and version for withdrawn copies). via, signed, sig and
-- path as in seizures.
CREATE TABLE records (
    key          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    seq          INTEGER NOT NULL UNIQUE,
    origin       TEXT NOT NULL,
    version      INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    distribution TEXT NOT NULL,
    tlp          TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    withdrawn    INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1) AND (withdrawn = 0 OR deleted = 1)),
    target       TEXT,
    body         TEXT NOT NULL,
    via          TEXT,
    signed       TEXT,
    sig          TEXT,
    path         TEXT
);
CREATE INDEX records_target ON records (target, kind, created_at, id) WHERE deleted = 0;

-- peers are the nodes this node knows: card, sharing policy (kinds is a
-- JSON array) and the state of the exchange. Times as in 0001.
CREATE TABLE peers (
    id             TEXT PRIMARY KEY,
    agency         TEXT NOT NULL,
    country        TEXT NOT NULL,
    name           TEXT NOT NULL,
    url            TEXT NOT NULL,
    public_key     TEXT NOT NULL,
    protocol       INTEGER NOT NULL,
    relationship   TEXT NOT NULL,
    kinds          TEXT NOT NULL,
    max_tlp        TEXT NOT NULL,
    origin_only    INTEGER NOT NULL CHECK (origin_only IN (0, 1)),
    added_at       TEXT NOT NULL,
    cursor         INTEGER NOT NULL DEFAULT 0,
    remote_head    INTEGER NOT NULL DEFAULT 0,
    last_exchange  TEXT,
    received       INTEGER NOT NULL DEFAULT 0,
    refused        INTEGER NOT NULL DEFAULT 0,
    sent           INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT NOT NULL DEFAULT '',
    last_error_at  TEXT,
    last_served_at TEXT
);

-- shares are the records each peer may hold: version is the version last
-- served to it. withdrawn_seq is NULL while the peer may keep the record;
-- once a withdrawal of it was served, it is the change sequence number at
-- which it was, and the row stays (the peer may still hold the record,
-- should the page not have reached it) until the peer asks for changes
-- after that number, or is served a version of the record again.
-- shares_withdrawn finds a peer's pending withdrawals up to a cursor.
CREATE TABLE shares (
    peer          TEXT NOT NULL REFERENCES peers (id) ON DELETE CASCADE,
    record        TEXT NOT NULL,
    version       INTEGER NOT NULL,
    withdrawn_seq INTEGER,
    PRIMARY KEY (peer, record)
) WITHOUT ROWID;
CREATE INDEX shares_withdrawn ON shares (peer, withdrawn_seq) WHERE withdrawn_seq IS NOT NULL;

-- sources are, per received record (of either table), the peers that
-- served it a version and have not withdrawn it since: the version and its
-- path (a JSON array of node ids, origin first and the peer last). A live
-- copy is held while a source's version is the copy's version; the row's
-- via and path are those of one of them. Tombstones and withdrawn copies
-- need none: a tombstone clears them, and those left on a withdrawn copy
-- are older versions. Removing a peer leaves its sources (no foreign key):
-- the copies it sent stay, supported by its last offers.
CREATE TABLE sources (
    id      TEXT NOT NULL,
    peer    TEXT NOT NULL,
    version INTEGER NOT NULL,
    path    TEXT NOT NULL,
    PRIMARY KEY (id, peer)
) WITHOUT ROWID;
