-- 0010: signed audit heads. audit_heads holds every signed audit head this
-- node holds: its own (via NULL) and those its direct peers sent, each
-- peer's own (via is that peer), kept for ever as evidence of what their
-- logs held (see docs/federation.md, Audit heads). signed is the origin's
-- canonical record JSON and sig its base64 signature; first_seq, seq and
-- hash are copied out of it for queries. received_at is when it was
-- stored here (for an own head, when it was signed). An own head is also a
-- row of records (kind audit_head) so that the change feed serves it.
CREATE TABLE audit_heads (
    id          TEXT PRIMARY KEY,
    origin      TEXT NOT NULL,
    first_seq   INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    hash        TEXT NOT NULL,
    signed      TEXT NOT NULL,
    sig         TEXT NOT NULL,
    via         TEXT,
    received_at TEXT NOT NULL
);
CREATE INDEX audit_heads_origin ON audit_heads (origin, first_seq, seq, id);
