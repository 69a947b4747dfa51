-- 0005: seizure tallies, the counts the dashboard reads.
--
-- seizure_tallies holds, per month of occurred_at (UTC, YYYY-MM), per
-- dimension and per key, the number of live seizures (NOT deleted) counted
-- there: each distinct goods category; the route 'ORIGIN>DESTINATION' if
-- both are set; the concealment; the place 'LAT,LON' in tenths of a degree
-- if both coordinates are numbers; the origin node. Empty keys are not
-- counted. crossguard.TallyKeys is the same definition in Go, and
-- crossguard.TallyPlaceKey that of the place key: k = floor(abs(x) * 10 +
-- 0.5) in double precision, written k / 10 '.' k % 10 with a minus sign
-- only if x < 0 and k > 0. The SQLite store computes exactly the same.
--
-- Statement-level triggers on seizures keep the counts in the transaction
-- of every write, whichever path it takes (creates, updates, deletes,
-- received versions, tombstones and withdrawals all insert or update
-- seizures rows): each adds the net difference that the statement's rows
-- make, one upsert per key however many rows it wrote. Counts that fall to
-- zero are deleted; the partial index finds those rows at once. Writers
-- take turns on the heads row, so the upserts of two transactions never
-- wait on each other in opposite orders.
CREATE TABLE seizure_tallies (
    month text COLLATE "C" NOT NULL,
    dim   text COLLATE "C" NOT NULL,
    key   text COLLATE "C" NOT NULL,
    n     bigint NOT NULL,
    PRIMARY KEY (month, dim, key)
);
CREATE INDEX seizure_tallies_zero ON seizure_tallies (month) WHERE n = 0;

-- tally_tenths writes a coordinate rounded to tenths of a degree. It is
-- inlined where it is called with a cheap argument.
CREATE FUNCTION tally_tenths(x double precision) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN x < 0 AND floor(abs(x) * 10::double precision + 0.5::double precision) > 0 THEN '-' ELSE '' END
        || (floor(abs(x) * 10::double precision + 0.5::double precision)::bigint / 10)::text || '.'
        || (floor(abs(x) * 10::double precision + 0.5::double precision)::bigint % 10)::text
$$;

-- seizure_tally_counts returns the query that counts the keys of the rows
-- that the query src returns, with columns occurred_at, origin, body and
-- d (+1 to add the row, -1 to take it away): the net count of each key
-- that changes. Each body is parsed once.
CREATE FUNCTION seizure_tally_counts(src text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
    SELECT format($q$
        WITH r AS MATERIALIZED (
            SELECT to_char(s.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, s.origin, s.body::jsonb AS j, s.d
            FROM (%s) AS s
        ), keys AS (
            SELECT r.month, 'category' AS dim, c.key, r.d
            FROM r, LATERAL (SELECT DISTINCT g ->> 'category' AS key
                FROM jsonb_array_elements(CASE jsonb_typeof(r.j -> 'goods') WHEN 'array' THEN r.j -> 'goods' ELSE '[]'::jsonb END) AS g) AS c
            UNION ALL
            SELECT month, 'route', nullif(j #>> '{route,origin}', '') || '>' || nullif(j #>> '{route,destination}', ''), d FROM r
            UNION ALL
            SELECT month, 'concealment', j ->> 'concealment', d FROM r
            UNION ALL
            SELECT month, 'place', tally_tenths((j #>> '{place,lat}')::double precision) || ','
                || tally_tenths((j #>> '{place,lon}')::double precision), d
            FROM r WHERE jsonb_typeof(j #> '{place,lat}') = 'number' AND jsonb_typeof(j #> '{place,lon}') = 'number'
            UNION ALL
            SELECT month, 'origin', origin, d FROM r
        )
        SELECT month, dim, key, sum(d)::bigint AS n FROM keys WHERE key <> ''
        GROUP BY month, dim, key HAVING sum(d) <> 0$q$, src)
$f$;

-- seizure_tallies_change keeps the tallies of the rows a statement wrote
-- (its transition tables are visible to the queries it runs by EXECUTE):
-- it adds the live rows inserted, takes away the live rows deleted, and
-- for rows updated adds the difference of old and new, counting only rows
-- of which a column that keys depend on changed (not, say, the seq of a
-- row served to a peer).
CREATE FUNCTION seizure_tallies_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Statements that wrote no rows (an upsert fires both its insert and
    -- its update trigger) cost no planning.
    IF TG_OP = 'DELETE' THEN
        IF NOT EXISTS (SELECT FROM old_rows) THEN
            RETURN NULL;
        END IF;
    ELSIF NOT EXISTS (SELECT FROM new_rows) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        EXECUTE 'INSERT INTO seizure_tallies (month, dim, key, n) '
            || seizure_tally_counts('SELECT occurred_at, origin, body, 1 AS d FROM new_rows WHERE NOT deleted')
            || ' ON CONFLICT (month, dim, key) DO UPDATE SET n = seizure_tallies.n + excluded.n';
    ELSIF TG_OP = 'DELETE' THEN
        EXECUTE 'INSERT INTO seizure_tallies (month, dim, key, n) '
            || seizure_tally_counts('SELECT occurred_at, origin, body, -1 AS d FROM old_rows WHERE NOT deleted')
            || ' ON CONFLICT (month, dim, key) DO UPDATE SET n = seizure_tallies.n + excluded.n';
    ELSE
        EXECUTE 'INSERT INTO seizure_tallies (month, dim, key, n) '
            || seizure_tally_counts($q$
                SELECT x.occurred_at, x.origin, x.body, x.d
                FROM old_rows AS o JOIN new_rows AS r ON r.id = o.id,
                LATERAL (SELECT o.occurred_at, o.origin, o.body, -1 AS d WHERE NOT o.deleted
                    UNION ALL SELECT r.occurred_at, r.origin, r.body, 1 WHERE NOT r.deleted) AS x
                WHERE (o.deleted, o.occurred_at, o.origin, o.body) IS DISTINCT FROM (r.deleted, r.occurred_at, r.origin, r.body)$q$)
            || ' ON CONFLICT (month, dim, key) DO UPDATE SET n = seizure_tallies.n + excluded.n';
    END IF;
    DELETE FROM seizure_tallies WHERE n = 0;
    RETURN NULL;
END
$$;

CREATE TRIGGER seizure_tallies_insert AFTER INSERT ON seizures
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION seizure_tallies_change();
CREATE TRIGGER seizure_tallies_delete AFTER DELETE ON seizures
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION seizure_tallies_change();
CREATE TRIGGER seizure_tallies_update AFTER UPDATE ON seizures
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION seizure_tallies_change();

-- The counts of the seizures stored so far.
DO $$
BEGIN
    EXECUTE 'INSERT INTO seizure_tallies (month, dim, key, n) '
        || seizure_tally_counts('SELECT occurred_at, origin, body, 1 AS d FROM seizures WHERE NOT deleted');
END
$$;
