-- 0011_peer_refusals: what a peer refused stays in its status until an
-- operator has acknowledged it, refusals and withdrawals are counted per
-- peer, and the counters that /metrics reads survive a restart; as in the
-- sqlite backend's 0011_peer_refusals.sql, which explains each column.
ALTER TABLE peers
    ADD COLUMN last_refusal text NOT NULL DEFAULT '',
    ADD COLUMN last_refusal_at timestamptz,
    ADD COLUMN last_refusal_kind text NOT NULL DEFAULT '',
    ADD COLUMN last_refusal_id text NOT NULL DEFAULT '',
    ADD COLUMN last_refusal_origin text NOT NULL DEFAULT '',
    ADD COLUMN refused_unacked bigint NOT NULL DEFAULT 0,
    ADD COLUMN withdrawals_received bigint NOT NULL DEFAULT 0,
    ADD COLUMN withdrawals_sent bigint NOT NULL DEFAULT 0;

-- peer_refusals counts the envelopes refused from each peer by class of
-- reason; refusals counted before this migration are 'other'.
CREATE TABLE peer_refusals (
    peer  text COLLATE "C" NOT NULL REFERENCES peers (id) ON DELETE CASCADE,
    class text NOT NULL,
    count bigint NOT NULL,
    PRIMARY KEY (peer, class)
);
INSERT INTO peer_refusals (peer, class, count) SELECT id, 'other', refused FROM peers WHERE refused > 0;

-- counters are running totals that only grow, kept by triggers:
-- ('decisions', channel) and ('import_rows', 'imported' or 'rejected').
CREATE TABLE counters (
    name  text NOT NULL,
    label text NOT NULL,
    n     bigint NOT NULL,
    PRIMARY KEY (name, label)
);
INSERT INTO counters (name, label, n) SELECT 'decisions', channel, count(*) FROM decisions GROUP BY channel;
INSERT INTO counters (name, label, n) VALUES
    ('import_rows', 'imported', (SELECT coalesce(sum(imported), 0) FROM imports)),
    ('import_rows', 'rejected', (SELECT coalesce(sum(rejected), 0) FROM imports));

-- decisions_count adds the decisions a statement inserted, by channel, in
-- one statement whatever their number.
CREATE FUNCTION decisions_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO counters (name, label, n)
        SELECT 'decisions', channel, count(*) FROM new_rows GROUP BY channel
        ON CONFLICT (name, label) DO UPDATE SET n = counters.n + excluded.n;
    RETURN NULL;
END
$$;
CREATE TRIGGER decisions_counted AFTER INSERT ON decisions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION decisions_count();

-- imports_count adds the rows an import's progress moved on by (all of
-- them for a new import); progress only moves forward, and greatest()
-- keeps the totals from going back should it not.
CREATE FUNCTION imports_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d_imported bigint := NEW.imported;
    d_rejected bigint := NEW.rejected;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        d_imported := greatest(NEW.imported - OLD.imported, 0);
        d_rejected := greatest(NEW.rejected - OLD.rejected, 0);
    END IF;
    UPDATE counters SET n = n + d_imported WHERE name = 'import_rows' AND label = 'imported';
    UPDATE counters SET n = n + d_rejected WHERE name = 'import_rows' AND label = 'rejected';
    RETURN NULL;
END
$$;
CREATE TRIGGER imports_counted AFTER INSERT OR UPDATE OF imported, rejected ON imports
    FOR EACH ROW EXECUTE FUNCTION imports_count();
