-- 0009: the quarantine. A received record version that the node would now
-- refuse (found by `crossguard rescan`, removed by `crossguard rescan
-- --quarantine`) leaves the held records as a withdrawal removes a copy,
-- and its signed record is kept here, as received, with the reason, who
-- quarantined it and when, for the data-protection officer. deleted is 1
-- for a tombstone. via is the peer the version came from. Times as in 0001.
CREATE TABLE quarantine (
    key            INTEGER PRIMARY KEY,
    id             TEXT NOT NULL,
    kind           TEXT NOT NULL,
    origin         TEXT NOT NULL,
    version        INTEGER NOT NULL,
    deleted        INTEGER NOT NULL CHECK (deleted IN (0, 1)),
    via            TEXT NOT NULL,
    signed         TEXT NOT NULL,
    sig            TEXT NOT NULL,
    reason         TEXT NOT NULL,
    actor          TEXT NOT NULL,
    quarantined_at TEXT NOT NULL
);
