-- 0007_seizure_versions: the history of the versions of each seizure this
-- node has held, as in the sqlite backend's 0007_seizure_versions.sql.
--
-- seizures keeps only the latest version of a seizure; seizure_versions
-- keeps every live version this node stored of it. version and updated_at
-- are the version's own; stored_at is when this node stored it: the
-- version's updated_at for a version written here (the node stamps it with
-- its clock as it writes), the time of the storing transaction for any
-- other. received is true for a version this node did not write (one
-- received over federation, or another origin's record); via is the peer
-- a version came from (NULL if it did not come over federation). body is
-- the seizure's JSON as stored.
--
-- Statement-level triggers on seizures keep the history in the
-- transaction of every write, whichever path it takes. A row that becomes
-- deleted (a tombstone, a withdrawn copy) or is deleted takes its whole
-- history with it: nothing of a record this node no longer holds stays on
-- the node. An update that changes neither the version nor the body (a
-- change sequence number, a copy's source) adds nothing.
CREATE TABLE seizure_versions (
    id         text COLLATE "C" NOT NULL,
    version    bigint NOT NULL,
    updated_at timestamptz NOT NULL,
    stored_at  timestamptz NOT NULL,
    received   boolean NOT NULL,
    via        text,
    body       text NOT NULL,
    PRIMARY KEY (id, version)
);

-- seizure_versions_insert records the live rows a statement inserted.
CREATE FUNCTION seizure_versions_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO seizure_versions (id, version, updated_at, stored_at, received, via, body)
    SELECT r.id, r.version, r.updated_at, CASE WHEN x.received THEN now() ELSE r.updated_at END, x.received, r.via, r.body
    FROM new_rows AS r,
        LATERAL (SELECT r.via IS NOT NULL OR r.origin IS DISTINCT FROM coalesce((SELECT node_id FROM node), r.origin) AS received) AS x
    WHERE NOT r.deleted
    ON CONFLICT (id, version) DO UPDATE SET updated_at = excluded.updated_at, stored_at = excluded.stored_at,
        received = excluded.received, via = excluded.via, body = excluded.body;
    RETURN NULL;
END
$$;

-- seizure_versions_update records the rows a statement made live at a
-- new version or with a new body, and forgets the history of the rows it
-- made deleted.
CREATE FUNCTION seizure_versions_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM seizure_versions AS v USING new_rows AS r WHERE v.id = r.id AND r.deleted;
    INSERT INTO seizure_versions (id, version, updated_at, stored_at, received, via, body)
    SELECT r.id, r.version, r.updated_at, CASE WHEN x.received THEN now() ELSE r.updated_at END, x.received, r.via, r.body
    FROM old_rows AS o JOIN new_rows AS r ON r.id = o.id,
        LATERAL (SELECT r.via IS NOT NULL OR r.origin IS DISTINCT FROM coalesce((SELECT node_id FROM node), r.origin) AS received) AS x
    WHERE NOT r.deleted AND (o.deleted, o.version, o.body) IS DISTINCT FROM (r.deleted, r.version, r.body)
    ON CONFLICT (id, version) DO UPDATE SET updated_at = excluded.updated_at, stored_at = excluded.stored_at,
        received = excluded.received, via = excluded.via, body = excluded.body;
    RETURN NULL;
END
$$;

-- seizure_versions_delete forgets the history of the rows a statement
-- deleted.
CREATE FUNCTION seizure_versions_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM seizure_versions AS v USING old_rows AS o WHERE v.id = o.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER seizure_versions_insert AFTER INSERT ON seizures
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION seizure_versions_insert();
CREATE TRIGGER seizure_versions_update AFTER UPDATE ON seizures
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION seizure_versions_update();
CREATE TRIGGER seizure_versions_delete AFTER DELETE ON seizures
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION seizure_versions_delete();

-- The versions held so far: the latest of each live seizure.
INSERT INTO seizure_versions (id, version, updated_at, stored_at, received, via, body)
SELECT s.id, s.version, s.updated_at, CASE WHEN x.received THEN now() ELSE s.updated_at END, x.received, s.via, s.body
FROM seizures AS s,
    LATERAL (SELECT s.via IS NOT NULL OR s.origin IS DISTINCT FROM coalesce((SELECT node_id FROM node), s.origin) AS received) AS x
WHERE NOT s.deleted;
