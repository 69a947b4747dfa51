-- 0010_audit_heads: signed audit heads, the same schema change as the
-- sqlite backend's 0010. audit_heads holds every signed audit head this
-- node holds: its own (via NULL) and those its direct peers sent, each
-- peer's own (via is that peer), kept for ever as evidence of what their
-- logs held (see docs/federation.md, Audit heads). signed is the origin's
-- canonical record JSON and sig its base64 signature; first_seq, seq and
-- hash are copied out of it for queries. received_at is when it was
-- stored here (for an own head, when it was signed). An own head is also a
-- row of records (kind audit_head) so that the change feed serves it.
CREATE TABLE audit_heads (
    id          text COLLATE "C" PRIMARY KEY,
    origin      text COLLATE "C" NOT NULL,
    first_seq   bigint NOT NULL,
    seq         bigint NOT NULL,
    hash        text NOT NULL,
    signed      text NOT NULL,
    sig         text NOT NULL,
    via         text,
    received_at timestamptz NOT NULL
);
CREATE INDEX audit_heads_origin ON audit_heads (origin, first_seq, seq, id);
