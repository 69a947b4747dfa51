package postgres

import (
	"context"

	"crossguard"
	"crossguard/storekit"
)

// storedDecisionsChunk is the most ids StoredDecisions sends in one query.
const storedDecisionsChunk = 1000

// storedDecisionsSQL returns the ids of the array $1 that are stored,
// with the columns of their decision (see storekit.ScanStoredDecisions),
// NULL when a declaration has none. It reads the declarations' primary key and the
// decisions', never a declaration's body.
const storedDecisionsSQL = `SELECT d.id,
    c.channel, c.score, c.selected_by, c.model_version, c.crossing, c.decided_at, c.reasons,
    CASE WHEN c.declaration_id IS NULL THEN NULL ELSE
        (SELECT json_agg(profile_id ORDER BY pos) FROM decision_profiles WHERE declaration_id = d.id) END
FROM declarations d
LEFT JOIN decisions c ON c.declaration_id = d.id
WHERE d.id = ANY($1::text[])`

// StoredDecisions returns, for each of ids that is stored, its decision,
// or nil for a declaration stored without one; ids not stored are absent.
// It queries storedDecisionsChunk ids at a time.
func (s *Store) StoredDecisions(ctx context.Context, ids []string) (map[string]*crossguard.Decision, error) {
	return storekit.StoredDecisions(ids, storedDecisionsChunk, func(part []string, out map[string]*crossguard.Decision) error {
		return s.storedDecisions(ctx, part, out)
	})
}

// storedDecisions adds the stored ids of part, with their decisions, to
// out, in one query.
func (s *Store) storedDecisions(ctx context.Context, part []string, out map[string]*crossguard.Decision) error {
	_, err := queryRows(ctx, s.pool, "stored decisions", storekit.ScanStoredDecisions(out), storedDecisionsSQL, part)
	return err
}
