-- 0002_federation: what a node needs to exchange records with its peers.
-- Received record versions live in the same tables as own ones; the peers
-- and what each may hold are new tables. Its version number means the same
-- schema change as the sqlite backend's 0002.

-- seizures now also holds seizures received from peers. deleted is true for
-- every row that is not live: tombstones, and copies withdrawn by a peer
-- (withdrawn), so that the partial indexes and every read of live
-- seizures leave both out. A withdrawn row keeps nothing readable: its body
-- is a header with only id, kind, origin and version, and its content
-- columns (occurred_at, country, distribution, tlp) are NULL; occurred_at
-- and country are NULL too for the tombstone of a seizure never held. via
-- is the peer a received version came from (the copy's current source),
-- signed the origin's canonical record JSON of that version and sig its
-- base64 signature; all three are NULL for own records, and signed and sig
-- are NULL for withdrawn rows. path is the nodes a live received copy
-- passed through to reach this node, as a JSON array of node ids, origin
-- first and via last (the path its current source offered); NULL for own
-- records, tombstones and withdrawn rows.
ALTER TABLE seizures
    ADD COLUMN withdrawn boolean NOT NULL DEFAULT false,
    ADD COLUMN via text,
    ADD COLUMN signed text,
    ADD COLUMN sig text,
    ADD COLUMN path text,
    ADD CONSTRAINT seizures_withdrawn_not_live CHECK (deleted OR NOT withdrawn),
    ALTER COLUMN occurred_at DROP NOT NULL,
    ALTER COLUMN country DROP NOT NULL,
    ALTER COLUMN distribution DROP NOT NULL,
    ALTER COLUMN tlp DROP NOT NULL;

-- seizures_live_origin serves lists of one origin's seizures (own ones, or
-- one peer's) in list order.
CREATE INDEX seizures_live_origin ON seizures (origin, occurred_at DESC, id DESC) WHERE NOT deleted;

-- records holds the records of kinds without a table of their own
-- (annotations so far), own or received, live, deleted or withdrawn, with
-- the same meanings as the same columns of seizures. seq is drawn from the
-- same counter (heads.change_seq) as seizures.seq, and an id is in at most
-- one of the two tables. target is the id of the record an annotation
-- refers to (NULL when unknown, as for a tombstone of a record never held,
-- and for withdrawn rows). body is the whole record JSON as stored: the
-- node's own encoding for own records, the origin's canonical JSON for
-- received ones, a header for tombstones and withdrawn rows.
CREATE TABLE records (
    id           text COLLATE "C" PRIMARY KEY,
    kind         text COLLATE "C" NOT NULL,
    seq          bigint NOT NULL UNIQUE,
    origin       text NOT NULL,
    version      bigint NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    distribution text,
    tlp          text,
    deleted      boolean NOT NULL DEFAULT false,
    withdrawn    boolean NOT NULL DEFAULT false,
    target       text COLLATE "C",
    body         text NOT NULL,
    via          text,
    signed       text,
    sig          text,
    path         text,
    CONSTRAINT records_withdrawn_not_live CHECK (deleted OR NOT withdrawn)
);
CREATE INDEX records_live_target ON records (target, kind, created_at, id) WHERE NOT deleted;

-- peers are the other nodes this node knows: the node card, the sharing
-- policy this node applies to the peer, and the state of the exchange with
-- it (the peer's feed cursor applied here, its head as of the last pull,
-- counters, the last error in words).
CREATE TABLE peers (
    id             text COLLATE "C" PRIMARY KEY,
    agency         text NOT NULL,
    country        text NOT NULL,
    name           text NOT NULL,
    url            text NOT NULL,
    public_key     text NOT NULL,
    protocol       integer NOT NULL,
    relationship   text NOT NULL,
    kinds          text[] NOT NULL,
    max_tlp        text NOT NULL,
    origin_only    boolean NOT NULL DEFAULT false,
    added_at       timestamptz NOT NULL,
    cursor         bigint NOT NULL DEFAULT 0,
    remote_head    bigint NOT NULL DEFAULT 0,
    last_exchange  timestamptz,
    received       bigint NOT NULL DEFAULT 0,
    refused        bigint NOT NULL DEFAULT 0,
    sent           bigint NOT NULL DEFAULT 0,
    last_error     text NOT NULL DEFAULT '',
    last_error_at  timestamptz,
    last_served_at timestamptz
);

-- shares says which records a peer may hold: the version of each last
-- served to it. withdrawn_seq is NULL while the peer may keep the record;
-- once a withdrawal of it was served, it is the change sequence number at
-- which it was, and the row stays (the page may not have reached the peer,
-- which then still holds the record) until the peer asks for changes after
-- that number, or is served a version of the record again. All of a peer's
-- rows go with the peer. record_id has no foreign key: the record is in
-- seizures or in records. shares_withdrawn finds a peer's pending
-- withdrawals up to its cursor, and that there are none, at every pull.
CREATE TABLE shares (
    peer          text COLLATE "C" NOT NULL REFERENCES peers (id) ON DELETE CASCADE,
    record_id     text COLLATE "C" NOT NULL,
    version       bigint NOT NULL,
    withdrawn_seq bigint,
    PRIMARY KEY (peer, record_id)
);
CREATE INDEX shares_withdrawn ON shares (peer, withdrawn_seq) WHERE withdrawn_seq IS NOT NULL;

-- sources are, per received record, the peers that offered this node a
-- version of it and have not withdrawn it since: the version each offered
-- and the path it came along (a JSON array of node ids, origin first and
-- the peer last). A received copy is held while a source offers its
-- version; seizures.via and records.via name the current one. A tombstone
-- clears a record's sources. peer has no foreign key: removing a peer
-- leaves the copies it sent, supported by its last offers, so that they
-- can still be withdrawn if it is added again. The primary key serves the
-- reads of a page's sources (by id).
CREATE TABLE sources (
    id      text COLLATE "C" NOT NULL,
    peer    text COLLATE "C" NOT NULL,
    version bigint NOT NULL,
    path    text NOT NULL,
    PRIMARY KEY (id, peer)
);
