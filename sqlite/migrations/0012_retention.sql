-- 0012: retention (see docs/retention.md).
--
-- seizures_retention and records_retention find the live records of one
-- origin (and kind) and distribution oldest created_at first, so that a
-- retention run reads only the records it deletes and its status counts
-- them from the index alone. sources_peer finds the copies a peer was a
-- source of, for peer remove --purge.
CREATE INDEX seizures_retention ON seizures (origin, distribution, created_at) WHERE deleted = 0;
CREATE INDEX records_retention ON records (kind, origin, distribution, created_at) WHERE deleted = 0;
CREATE INDEX sources_peer ON sources (peer, id);
