package sqlite

import (
	"context"
	"strings"

	"crossguard"
	"crossguard/storekit"
)

// storedDecisionsChunk is the most ids StoredDecisions binds in one query.
const storedDecisionsChunk = 500

// storedDecisionsHead starts the query of StoredDecisions: the ids among
// those bound that are stored, with the columns of their decision (see
// storekit.ScanStoredDecisions), NULL when a declaration has none. The
// bound ids and a closing parenthesis follow. It reads the declarations'
// unique index and the decisions' primary key, never a declaration's body.
const storedDecisionsHead = `SELECT d.id,
    c.channel, c.score, c.selected_by, c.model_version, c.crossing, c.decided_at, c.reasons,
    CASE WHEN c.declaration_id IS NULL THEN NULL ELSE
        (SELECT json_group_array(profile_id) FROM
            (SELECT profile_id FROM decision_profiles WHERE declaration_id = d.id ORDER BY pos)) END
FROM declarations d
LEFT JOIN decisions c ON c.declaration_id = d.id
WHERE d.id IN (`

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
	args := make([]any, len(part))
	for i, id := range part {
		args[i] = id
	}
	q := storedDecisionsHead + "?" + strings.Repeat(", ?", len(part)-1) + ")"
	_, err := queryRows(ctx, s.r, "stored decisions", storekit.ScanStoredDecisions(out), q, args...)
	return err
}
