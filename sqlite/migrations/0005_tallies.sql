-- 0005: seizure tallies, the counts the dashboard reads.
--
-- seizure_tallies holds, per month of occurred_at (UTC, YYYY-MM), per
-- dimension and per key, the number of live seizures (deleted = 0) counted
-- there: each distinct goods category; the route 'ORIGIN>DESTINATION' if
-- both are set; the concealment; the place 'LAT,LON' in tenths of a degree
-- if both coordinates are numbers; the origin node. Empty keys are not
-- counted. crossguard.TallyKeys is the same definition in Go, and
-- crossguard.TallyPlaceKey that of the place key: k = CAST(abs(x) * 10 +
-- 0.5 AS INTEGER) in double arithmetic (the cast truncates, which is the
-- floor of a positive number), written k / 10 '.' k % 10 with a minus sign
-- only if x < 0 and k > 0. occurred_at is integer nanoseconds: the month
-- is that of the second it falls in, rounding down.
--
-- The triggers on seizures keep the counts in the transaction of every
-- write, whichever path it takes (creates, updates, deletes, received
-- versions, tombstones and withdrawals all insert or update seizures
-- rows). An update counts only when a column that keys depend on changes;
-- it adds the net difference of the old and the new row's keys. A count
-- that falls to zero is deleted: the partial index finds those rows at
-- once.
CREATE TABLE seizure_tallies (
    month TEXT NOT NULL,
    dim   TEXT NOT NULL,
    key   TEXT NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (month, dim, key)
) WITHOUT ROWID;
CREATE INDEX seizure_tallies_zero ON seizure_tallies (month) WHERE n = 0;

-- seizure_tally_keys lists the keys of every live seizure by the rules
-- above; the triggers apply the same rules to one row.
CREATE VIEW seizure_tally_keys (seizure, month, dim, key) AS
SELECT seizure, month, dim, key FROM (
    SELECT DISTINCT s.key AS seizure, strftime('%Y-%m', s.occurred_at / 1000000000 - (s.occurred_at % 1000000000 < 0), 'unixepoch') AS month, 'category' AS dim, json_extract(g.value, '$.category') AS key
        FROM seizures AS s, json_each(s.body, '$.goods') AS g WHERE s.deleted = 0
    UNION ALL SELECT s.key, strftime('%Y-%m', s.occurred_at / 1000000000 - (s.occurred_at % 1000000000 < 0), 'unixepoch'), 'route', nullif(json_extract(s.body, '$.route.origin'), '') || '>' || nullif(json_extract(s.body, '$.route.destination'), '')
        FROM seizures AS s WHERE s.deleted = 0
    UNION ALL SELECT s.key, strftime('%Y-%m', s.occurred_at / 1000000000 - (s.occurred_at % 1000000000 < 0), 'unixepoch'), 'concealment', json_extract(s.body, '$.concealment')
        FROM seizures AS s WHERE s.deleted = 0
    UNION ALL SELECT seizure, month, 'place', iif(lat < 0 AND klat > 0, '-', '') || (klat / 10) || '.' || (klat % 10) || ','
            || iif(lon < 0 AND klon > 0, '-', '') || (klon / 10) || '.' || (klon % 10)
        FROM (SELECT seizure, month, lat, lon, CAST(abs(lat) * 10 + 0.5 AS INTEGER) AS klat, CAST(abs(lon) * 10 + 0.5 AS INTEGER) AS klon
            FROM (SELECT s.key AS seizure, strftime('%Y-%m', s.occurred_at / 1000000000 - (s.occurred_at % 1000000000 < 0), 'unixepoch') AS month, json_extract(s.body, '$.place.lat') AS lat, json_extract(s.body, '$.place.lon') AS lon
                FROM seizures AS s WHERE s.deleted = 0)
            WHERE typeof(lat) IN ('integer', 'real') AND typeof(lon) IN ('integer', 'real'))
    UNION ALL SELECT s.key, strftime('%Y-%m', s.occurred_at / 1000000000 - (s.occurred_at % 1000000000 < 0), 'unixepoch'), 'origin', s.origin
        FROM seizures AS s WHERE s.deleted = 0
)
WHERE key <> '';

CREATE TRIGGER seizure_tallies_insert AFTER INSERT ON seizures WHEN NEW.deleted = 0
BEGIN
    INSERT INTO seizure_tallies (month, dim, key, n)
    SELECT strftime('%Y-%m', NEW.occurred_at / 1000000000 - (NEW.occurred_at % 1000000000 < 0), 'unixepoch'), dim, key, 1 FROM (
        SELECT DISTINCT 'category' AS dim, json_extract(g.value, '$.category') AS key FROM json_each(NEW.body, '$.goods') AS g
        UNION ALL SELECT 'route', nullif(json_extract(NEW.body, '$.route.origin'), '') || '>' || nullif(json_extract(NEW.body, '$.route.destination'), '')
        UNION ALL SELECT 'concealment', json_extract(NEW.body, '$.concealment')
        UNION ALL SELECT 'place', iif(lat < 0 AND klat > 0, '-', '') || (klat / 10) || '.' || (klat % 10) || ','
                || iif(lon < 0 AND klon > 0, '-', '') || (klon / 10) || '.' || (klon % 10)
            FROM (SELECT lat, lon, CAST(abs(lat) * 10 + 0.5 AS INTEGER) AS klat, CAST(abs(lon) * 10 + 0.5 AS INTEGER) AS klon
                FROM (SELECT json_extract(NEW.body, '$.place.lat') AS lat, json_extract(NEW.body, '$.place.lon') AS lon)
                WHERE typeof(lat) IN ('integer', 'real') AND typeof(lon) IN ('integer', 'real'))
        UNION ALL SELECT 'origin', NEW.origin
    ) WHERE key <> ''
    ON CONFLICT (month, dim, key) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER seizure_tallies_delete AFTER DELETE ON seizures WHEN OLD.deleted = 0
BEGIN
    INSERT INTO seizure_tallies (month, dim, key, n)
    SELECT strftime('%Y-%m', OLD.occurred_at / 1000000000 - (OLD.occurred_at % 1000000000 < 0), 'unixepoch'), dim, key, -1 FROM (
        SELECT DISTINCT 'category' AS dim, json_extract(g.value, '$.category') AS key FROM json_each(OLD.body, '$.goods') AS g
        UNION ALL SELECT 'route', nullif(json_extract(OLD.body, '$.route.origin'), '') || '>' || nullif(json_extract(OLD.body, '$.route.destination'), '')
        UNION ALL SELECT 'concealment', json_extract(OLD.body, '$.concealment')
        UNION ALL SELECT 'place', iif(lat < 0 AND klat > 0, '-', '') || (klat / 10) || '.' || (klat % 10) || ','
                || iif(lon < 0 AND klon > 0, '-', '') || (klon / 10) || '.' || (klon % 10)
            FROM (SELECT lat, lon, CAST(abs(lat) * 10 + 0.5 AS INTEGER) AS klat, CAST(abs(lon) * 10 + 0.5 AS INTEGER) AS klon
                FROM (SELECT json_extract(OLD.body, '$.place.lat') AS lat, json_extract(OLD.body, '$.place.lon') AS lon)
                WHERE typeof(lat) IN ('integer', 'real') AND typeof(lon) IN ('integer', 'real'))
        UNION ALL SELECT 'origin', OLD.origin
    ) WHERE key <> ''
    ON CONFLICT (month, dim, key) DO UPDATE SET n = n + excluded.n;
    DELETE FROM seizure_tallies WHERE n = 0;
END;

CREATE TRIGGER seizure_tallies_update AFTER UPDATE OF deleted, occurred_at, origin, body ON seizures
WHEN (OLD.deleted = 0 OR NEW.deleted = 0)
    AND (OLD.deleted IS NOT NEW.deleted OR OLD.occurred_at IS NOT NEW.occurred_at OR OLD.origin IS NOT NEW.origin OR OLD.body IS NOT NEW.body)
BEGIN
    INSERT INTO seizure_tallies (month, dim, key, n)
    SELECT month, dim, key, sum(d) FROM (
        SELECT strftime('%Y-%m', OLD.occurred_at / 1000000000 - (OLD.occurred_at % 1000000000 < 0), 'unixepoch') AS month, dim, key, -1 AS d FROM (
            SELECT DISTINCT 'category' AS dim, json_extract(g.value, '$.category') AS key FROM json_each(OLD.body, '$.goods') AS g
            UNION ALL SELECT 'route', nullif(json_extract(OLD.body, '$.route.origin'), '') || '>' || nullif(json_extract(OLD.body, '$.route.destination'), '')
            UNION ALL SELECT 'concealment', json_extract(OLD.body, '$.concealment')
            UNION ALL SELECT 'place', iif(lat < 0 AND klat > 0, '-', '') || (klat / 10) || '.' || (klat % 10) || ','
                    || iif(lon < 0 AND klon > 0, '-', '') || (klon / 10) || '.' || (klon % 10)
                FROM (SELECT lat, lon, CAST(abs(lat) * 10 + 0.5 AS INTEGER) AS klat, CAST(abs(lon) * 10 + 0.5 AS INTEGER) AS klon
                    FROM (SELECT json_extract(OLD.body, '$.place.lat') AS lat, json_extract(OLD.body, '$.place.lon') AS lon)
                    WHERE typeof(lat) IN ('integer', 'real') AND typeof(lon) IN ('integer', 'real'))
            UNION ALL SELECT 'origin', OLD.origin
        ) WHERE OLD.deleted = 0
        UNION ALL
        SELECT strftime('%Y-%m', NEW.occurred_at / 1000000000 - (NEW.occurred_at % 1000000000 < 0), 'unixepoch'), dim, key, 1 FROM (
            SELECT DISTINCT 'category' AS dim, json_extract(g.value, '$.category') AS key FROM json_each(NEW.body, '$.goods') AS g
            UNION ALL SELECT 'route', nullif(json_extract(NEW.body, '$.route.origin'), '') || '>' || nullif(json_extract(NEW.body, '$.route.destination'), '')
            UNION ALL SELECT 'concealment', json_extract(NEW.body, '$.concealment')
            UNION ALL SELECT 'place', iif(lat < 0 AND klat > 0, '-', '') || (klat / 10) || '.' || (klat % 10) || ','
                    || iif(lon < 0 AND klon > 0, '-', '') || (klon / 10) || '.' || (klon % 10)
                FROM (SELECT lat, lon, CAST(abs(lat) * 10 + 0.5 AS INTEGER) AS klat, CAST(abs(lon) * 10 + 0.5 AS INTEGER) AS klon
                    FROM (SELECT json_extract(NEW.body, '$.place.lat') AS lat, json_extract(NEW.body, '$.place.lon') AS lon)
                    WHERE typeof(lat) IN ('integer', 'real') AND typeof(lon) IN ('integer', 'real'))
            UNION ALL SELECT 'origin', NEW.origin
        ) WHERE NEW.deleted = 0
    ) WHERE key <> '' GROUP BY month, dim, key HAVING sum(d) <> 0
    ON CONFLICT (month, dim, key) DO UPDATE SET n = n + excluded.n;
    DELETE FROM seizure_tallies WHERE n = 0;
END;

-- The counts of the seizures stored so far.
INSERT INTO seizure_tallies (month, dim, key, n)
SELECT month, dim, key, count(*) FROM seizure_tally_keys WHERE true GROUP BY month, dim, key;
