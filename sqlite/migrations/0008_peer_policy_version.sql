-- 0008: the version of each peer's sharing policy, and how far it has been
-- reconciled.
--
-- policy_version counts the changes of a peer's card and policy: PutPeer
-- raises it in the transaction that saves the change. The feed builds each
-- page with the policy of one version and records what it served only if
-- that version is still the peer's (see docs/federation.md). A change of
-- policy also needs the records served under the old one brought in line
-- (withdrawn or sent again); reconciled_version is the version up to which
-- that was done. While it is below policy_version the reconcile is pending,
-- and a node runs it when it starts serving and while it serves, so a
-- process that dies between the save and the reconcile loses nothing.
--
-- Peers known before this migration start at 0: the first serve reconciles
-- each of them once, which repairs what an earlier version may have left
-- behind (a withdrawal or send lost to a page built with a stale policy).
ALTER TABLE peers ADD COLUMN policy_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE peers ADD COLUMN reconciled_version INTEGER NOT NULL DEFAULT 0;

-- shares outlive their peer: a removed node keeps the copies it was served
-- (and its cursor), so if it is added again the node must still know what
-- it may hold, to withdraw what the new policy forbids and send the
-- tombstones of records deleted meanwhile. PutPeer leaves such a peer's
-- reconcile pending. SQLite cannot drop a foreign key: the table is
-- rebuilt without it.
CREATE TABLE shares_kept (
    peer          TEXT NOT NULL,
    record        TEXT NOT NULL,
    version       INTEGER NOT NULL,
    withdrawn_seq INTEGER,
    PRIMARY KEY (peer, record)
) WITHOUT ROWID;
INSERT INTO shares_kept (peer, record, version, withdrawn_seq) SELECT peer, record, version, withdrawn_seq FROM shares;
DROP TABLE shares;
ALTER TABLE shares_kept RENAME TO shares;
CREATE INDEX shares_withdrawn ON shares (peer, withdrawn_seq) WHERE withdrawn_seq IS NOT NULL;
