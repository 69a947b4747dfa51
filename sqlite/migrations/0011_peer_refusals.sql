-- 0011: what a peer refused stays in its status until an operator has
-- acknowledged it, refusals and withdrawals are counted per peer, and the
-- counters that /metrics reads survive a restart.

-- last_refusal* describe the last envelope refused from the peer since the
-- last acknowledgement (crossguard peer ack): its reason in words, when,
-- and the kind, id and origin of the record it named (each '' when the
-- envelope had none); refused_unacked counts the refusals since that
-- acknowledgement. All are cleared by an acknowledgement only: a clean
-- page or an idle pull leaves them. withdrawals_received counts the
-- withdrawals from the peer that dropped it as a source of a copy (a page
-- applied twice counts them once), withdrawals_sent those served to it
-- (sent counts them too). Times as in 0001.
ALTER TABLE peers ADD COLUMN last_refusal TEXT NOT NULL DEFAULT '';
ALTER TABLE peers ADD COLUMN last_refusal_at TEXT;
ALTER TABLE peers ADD COLUMN last_refusal_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE peers ADD COLUMN last_refusal_id TEXT NOT NULL DEFAULT '';
ALTER TABLE peers ADD COLUMN last_refusal_origin TEXT NOT NULL DEFAULT '';
ALTER TABLE peers ADD COLUMN refused_unacked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE peers ADD COLUMN withdrawals_received INTEGER NOT NULL DEFAULT 0;
ALTER TABLE peers ADD COLUMN withdrawals_sent INTEGER NOT NULL DEFAULT 0;

-- peer_refusals counts the envelopes refused from each peer by class of
-- reason (crossguard.RefusalClasses, a small fixed set), so that the sum
-- over a peer's classes is its peers.refused. Refusals counted before this
-- migration had no class: they are counted as 'other'.
CREATE TABLE peer_refusals (
    peer  TEXT NOT NULL REFERENCES peers (id) ON DELETE CASCADE,
    class TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (peer, class)
);
INSERT INTO peer_refusals (peer, class, count) SELECT id, 'other', refused FROM peers WHERE refused > 0;

-- counters are running totals that only grow, kept by triggers so that
-- deleting rows (retention, a forgotten import) never makes them go back:
-- ('decisions', channel) counts the channel decisions made, and
-- ('import_rows', 'imported' or 'rejected') the rows of CSV imports of
-- seizures and declarations. They start from what the tables hold.
CREATE TABLE counters (
    name  TEXT NOT NULL,
    label TEXT NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (name, label)
);
INSERT INTO counters (name, label, n) SELECT 'decisions', channel, count(*) FROM decisions GROUP BY channel;
INSERT INTO counters (name, label, n) VALUES
    ('import_rows', 'imported', (SELECT coalesce(sum(imported), 0) FROM imports)),
    ('import_rows', 'rejected', (SELECT coalesce(sum(rejected), 0) FROM imports));

CREATE TRIGGER decisions_counted AFTER INSERT ON decisions
BEGIN
    INSERT INTO counters (name, label, n) VALUES ('decisions', NEW.channel, 1)
        ON CONFLICT (name, label) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER imports_counted AFTER INSERT ON imports
BEGIN
    UPDATE counters SET n = n + NEW.imported WHERE name = 'import_rows' AND label = 'imported';
    UPDATE counters SET n = n + NEW.rejected WHERE name = 'import_rows' AND label = 'rejected';
END;
-- An import's progress only moves forward; max() keeps the totals from
-- going back should a row ever be rewritten with smaller counts.
CREATE TRIGGER imports_progress_counted AFTER UPDATE OF imported, rejected ON imports
BEGIN
    UPDATE counters SET n = n + max(NEW.imported - OLD.imported, 0) WHERE name = 'import_rows' AND label = 'imported';
    UPDATE counters SET n = n + max(NEW.rejected - OLD.rejected, 0) WHERE name = 'import_rows' AND label = 'rejected';
END;
