package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"crossguard"

	"github.com/jackc/pgx/v5"
)

// declarationEntrySQL reads a declaration with its decision, the profiles
// of the decision in their order, and its inspection; the columns of a
// missing decision or inspection are NULL.
const declarationEntrySQL = `SELECT d.body, d.received_at,
    c.channel, c.score, c.selected_by, c.model_version, c.crossing, c.decided_at, c.reasons,
    (SELECT array_agg(profile_id ORDER BY pos) FROM decision_profiles WHERE declaration_id = d.id),
    i.result, i.seizure_id, i.recovered_revenue, i.notes, i.fraud, i.critical, i.source, i.at
FROM declarations d
LEFT JOIN decisions c ON c.declaration_id = d.id
LEFT JOIN inspections i ON i.declaration_id = d.id
WHERE d.id = $1`

// decisionCols receives the columns of a decision read with a LEFT JOIN
// (channel, score, selected_by, model_version, crossing, decided_at,
// reasons, then the array of its profiles in their order), all NULL for a
// declaration without a decision.
type decisionCols struct {
	channel, selectedBy, crossing, reasons *string
	score                                  *float64
	modelVersion                           *int64
	decided                                *time.Time
	profiles                               []string
}

// dest returns the scan destinations of the columns, in their order.
func (c *decisionCols) dest() []any {
	return []any{&c.channel, &c.score, &c.selectedBy, &c.modelVersion, &c.crossing, &c.decided, &c.reasons, &c.profiles}
}

// decision decodes the decision of declaration id, nil if it has none.
// Profiles is nil when no profile matched.
func (c *decisionCols) decision(id string) (*crossguard.Decision, error) {
	if c.channel == nil {
		return nil, nil
	}
	d := &crossguard.Decision{DeclarationID: id, Channel: *c.channel, Score: *c.score, SelectedBy: *c.selectedBy,
		ModelVersion: *c.modelVersion, Crossing: *c.crossing, DecidedAt: c.decided.UTC(), Profiles: c.profiles}
	if err := json.Unmarshal([]byte(*c.reasons), &d.Reasons); err != nil {
		return nil, fmt.Errorf("decision of %s: decode reasons: %w", id, err)
	}
	if len(d.Profiles) == 0 {
		d.Profiles = nil
	}
	return d, nil
}

// DeclarationEntry returns a stored declaration with its decision and
// inspection, or ENOTFOUND. Decision.Profiles is nil when no profile
// matched.
func (s *Store) DeclarationEntry(ctx context.Context, id string) (*crossguard.DeclarationEntry, error) {
	var (
		body                             []byte
		received                         time.Time
		dc                               decisionCols
		revenue                          *float64
		inspected                        *time.Time
		result, seizureID, notes, source *string
		fraud, critical                  *int32
	)
	dest := append(append([]any{&body, &received}, dc.dest()...),
		&result, &seizureID, &revenue, &notes, &fraud, &critical, &source, &inspected)
	err := s.pool.QueryRow(ctx, declarationEntrySQL, id).Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, crossguard.Errorf(crossguard.ENOTFOUND, "declaration %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("declaration %s: %w", id, err)
	}
	e := &crossguard.DeclarationEntry{Declaration: &crossguard.Declaration{}, ReceivedAt: received.UTC()}
	if err := json.Unmarshal(body, e.Declaration); err != nil {
		return nil, fmt.Errorf("declaration %s: decode: %w", id, err)
	}
	if e.Decision, err = dc.decision(id); err != nil {
		return nil, err
	}
	if result != nil {
		e.Inspection = &crossguard.Inspection{DeclarationID: id, Result: *result, SeizureID: *seizureID,
			RecoveredRevenue: *revenue, Notes: *notes, Source: *source, At: inspected.UTC(),
			Label: crossguard.Label{Fraud: int(*fraud), Critical: int(*critical)}}
	}
	return e, nil
}

// The queries of RecentScores at all crossings and at one: each scans
// its index backwards, reading the index only, and stops after LIMIT
// rows.
const (
	recentScoresSQL   = `SELECT score FROM decisions ORDER BY decided_at DESC, declaration_id DESC LIMIT $1`
	recentScoresAtSQL = `SELECT score FROM decisions WHERE crossing = $2 ORDER BY decided_at DESC, declaration_id DESC LIMIT $1`
)

// RecentScores returns the scores of the last n decisions at a crossing
// ("" for all crossings), newest first (ties by declaration id,
// descending).
func (s *Store) RecentScores(ctx context.Context, crossing string, n int) ([]float64, error) {
	scores := []float64{}
	if n <= 0 {
		return scores, nil
	}
	q, args := recentScoresSQL, []any{n}
	if crossing != "" {
		q, args = recentScoresAtSQL, []any{n, crossing}
	}
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("recent scores at %q: %w", crossing, err)
	}
	var v float64
	_, err = pgx.ForEachRow(rows, []any{&v}, func() error {
		scores = append(scores, v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("recent scores at %q: %w", crossing, err)
	}
	return scores, nil
}
