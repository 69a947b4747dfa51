-- 0013_node_keys: the key history of nodes. Each row is a key a node
-- (this node or a peer, origin-only peers included) retired by a key
-- handover: the handover's time, the end of its grace period on
-- federation links, the key_handover record's id and the key that
-- replaced it. The current key stays in node.public_key and
-- peers.public_key. A retired key still verifies the versions its node
-- made up to retired_at (see docs/federation.md, "Key rotation").
CREATE TABLE node_keys (
    node_id     TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    retired_at  TEXT NOT NULL,
    grace_until TEXT NOT NULL,
    handover    TEXT NOT NULL,
    successor   TEXT NOT NULL,
    PRIMARY KEY (node_id, public_key)
);
