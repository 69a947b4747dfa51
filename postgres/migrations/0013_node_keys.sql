-- 0013_node_keys: the key history of nodes, as in the sqlite backend's
-- 0013_node_keys.sql. Each row is a key a node (this node or a peer,
-- origin-only peers included) retired by a key handover: the handover's
-- time, the end of its grace period on federation links, the key_handover
-- record's id and the key that replaced it. The current key stays in
-- node.public_key and peers.public_key.
CREATE TABLE node_keys (
    node_id     text COLLATE "C" NOT NULL,
    public_key  text NOT NULL,
    retired_at  timestamptz NOT NULL,
    grace_until timestamptz NOT NULL,
    handover    text NOT NULL,
    successor   text NOT NULL,
    PRIMARY KEY (node_id, public_key)
);
