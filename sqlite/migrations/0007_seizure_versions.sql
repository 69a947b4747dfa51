-- 0007: the history of the versions of each seizure this node has held.
--
-- seizures keeps only the latest version of a seizure; seizure_versions
-- keeps every live version this node stored of it, so that a seizure's
-- page can show how the record changed. version and updated_at are the
-- version's own; stored_at is when this node stored it: the version's
-- updated_at for a version written here (the node stamps it with its clock
-- as it writes), the database's clock for any other. received is 1 for a
-- version this node did not write (one received over federation, or
-- another origin's record); via is the peer a version came from (NULL if
-- it did not come over federation). body is the seizure's JSON as stored.
--
-- The triggers on seizures keep the history in the transaction of every
-- write, whichever path it takes. A row that becomes deleted (a tombstone,
-- a withdrawn copy) or is deleted takes its whole history with it: nothing
-- of a record this node no longer holds stays on the node. An update that
-- changes neither the version nor the body (a change sequence number, a
-- copy's source) adds nothing.
CREATE TABLE seizure_versions (
    id         TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    stored_at  TEXT NOT NULL,
    received   INTEGER NOT NULL CHECK (received IN (0, 1)),
    via        TEXT,
    body       TEXT NOT NULL,
    PRIMARY KEY (id, version)
) WITHOUT ROWID;

CREATE TRIGGER seizure_versions_insert AFTER INSERT ON seizures WHEN NEW.deleted = 0
BEGIN
    INSERT INTO seizure_versions (id, version, updated_at, stored_at, received, via, body)
    SELECT NEW.id, NEW.version, NEW.updated_at,
        iif(received, strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000000Z', NEW.updated_at), received, NEW.via, NEW.body
    FROM (SELECT NEW.via IS NOT NULL OR NEW.origin IS NOT coalesce((SELECT node_id FROM node), NEW.origin) AS received)
    WHERE true
    ON CONFLICT (id, version) DO UPDATE SET updated_at = excluded.updated_at, stored_at = excluded.stored_at,
        received = excluded.received, via = excluded.via, body = excluded.body;
END;

CREATE TRIGGER seizure_versions_update AFTER UPDATE OF version, body, deleted ON seizures
WHEN NEW.deleted = 0 AND (OLD.deleted <> 0 OR OLD.version IS NOT NEW.version OR OLD.body IS NOT NEW.body)
BEGIN
    INSERT INTO seizure_versions (id, version, updated_at, stored_at, received, via, body)
    SELECT NEW.id, NEW.version, NEW.updated_at,
        iif(received, strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000000Z', NEW.updated_at), received, NEW.via, NEW.body
    FROM (SELECT NEW.via IS NOT NULL OR NEW.origin IS NOT coalesce((SELECT node_id FROM node), NEW.origin) AS received)
    WHERE true
    ON CONFLICT (id, version) DO UPDATE SET updated_at = excluded.updated_at, stored_at = excluded.stored_at,
        received = excluded.received, via = excluded.via, body = excluded.body;
END;

CREATE TRIGGER seizure_versions_gone AFTER UPDATE ON seizures WHEN NEW.deleted <> 0
BEGIN
    DELETE FROM seizure_versions WHERE id = NEW.id;
END;

CREATE TRIGGER seizure_versions_delete AFTER DELETE ON seizures
BEGIN
    DELETE FROM seizure_versions WHERE id = OLD.id;
END;

-- The versions held so far: the latest of each live seizure.
INSERT INTO seizure_versions (id, version, updated_at, stored_at, received, via, body)
SELECT id, version, updated_at, iif(received, strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000000Z', updated_at), received, via, body
FROM (SELECT s.*, s.via IS NOT NULL OR s.origin IS NOT coalesce((SELECT node_id FROM node), s.origin) AS received FROM seizures AS s WHERE s.deleted = 0);
