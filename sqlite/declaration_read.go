package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"crossguard"
	"crossguard/storekit"
)

// declarationEntrySQL reads a declaration with its decision, the profiles
// of the decision in their order, and its inspection; the columns of a
// missing decision or inspection are NULL (see
// storekit.ScanDeclarationEntry).
const declarationEntrySQL = `SELECT d.body, d.received_at,
    c.channel, c.score, c.selected_by, c.model_version, c.crossing, c.decided_at, c.reasons,
    (SELECT json_group_array(profile_id) FROM
        (SELECT profile_id FROM decision_profiles WHERE declaration_id = d.id ORDER BY pos)),
    i.result, i.seizure_id, i.recovered_revenue, i.notes, i.fraud, i.critical, i.source, i.at
FROM declarations d
LEFT JOIN decisions c ON c.declaration_id = d.id
LEFT JOIN inspections i ON i.declaration_id = d.id
WHERE d.id = ?`

// DeclarationEntry returns a stored declaration with its decision and
// inspection, or ENOTFOUND. Decision.Profiles is nil when no profile
// matched.
func (s *Store) DeclarationEntry(ctx context.Context, id string) (*crossguard.DeclarationEntry, error) {
	e, err := storekit.ScanDeclarationEntry(s.r.QueryRowContext(ctx, declarationEntrySQL, id).Scan, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, crossguard.Errorf(crossguard.ENOTFOUND, "declaration %s not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("read declaration %s: %w", id, err)
	}
	return e, nil
}

// The queries of RecentScores at all crossings and at one: each walks
// its index backwards and stops after LIMIT rows.
const (
	recentScoresSQL   = `SELECT score FROM decisions ORDER BY decided_at DESC, declaration_id DESC LIMIT ?`
	recentScoresAtSQL = `SELECT score FROM decisions WHERE crossing = ? ORDER BY decided_at DESC, declaration_id DESC LIMIT ?`
)

// RecentScores returns the scores of the last n decisions at a crossing
// ("" for all crossings), newest first (ties by declaration id,
// descending), from the index alone.
func (s *Store) RecentScores(ctx context.Context, crossing string, n int) ([]float64, error) {
	if n <= 0 {
		return []float64{}, nil
	}
	q, args := recentScoresSQL, []any{n}
	if crossing != "" {
		q, args = recentScoresAtSQL, []any{crossing, n}
	}
	return queryRows(ctx, s.r, fmt.Sprintf("recent scores at %q", crossing), storekit.All(storekit.ScanOne[float64]), q, args...)
}
