-- 0009: the quarantine. A received record version that the node would now
-- refuse (found by `crossguard rescan`, removed by `crossguard rescan
-- --quarantine`) leaves the held records as a withdrawal removes a copy,
-- and its signed record is kept here, as received, with the reason, who
-- quarantined it and when, for the data-protection officer. deleted is
-- true for a tombstone. via is the peer the version came from. Its version
-- number means the same schema change as the sqlite backend's 0009.
CREATE TABLE quarantine (
    key            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id             text NOT NULL,
    kind           text NOT NULL,
    origin         text NOT NULL,
    version        bigint NOT NULL,
    deleted        boolean NOT NULL,
    via            text NOT NULL,
    signed         text NOT NULL,
    sig            text NOT NULL,
    reason         text NOT NULL,
    actor          text NOT NULL,
    quarantined_at timestamptz NOT NULL
);
