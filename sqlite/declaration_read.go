package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"crossguard"
)

// declarationEntrySQL reads a declaration with its decision, the profiles
// of the decision in their order, and its inspection; the columns of a
// missing decision or inspection are NULL.
const declarationEntrySQL = `SELECT d.body, d.received_at,
    c.channel, c.score, c.selected_by, c.model_version, c.crossing, c.decided_at, c.reasons,
    (SELECT json_group_array(profile_id) FROM
        (SELECT profile_id FROM decision_profiles WHERE declaration_id = d.id ORDER BY pos)),
    i.result, i.seizure_id, i.recovered_revenue, i.notes, i.fraud, i.critical, i.source, i.at
FROM declarations d
LEFT JOIN decisions c ON c.declaration_id = d.id
LEFT JOIN inspections i ON i.declaration_id = d.id
WHERE d.id = ?`

// decisionCols receives the columns of a decision read with a LEFT JOIN
// (channel, score, selected_by, model_version, crossing, decided_at,
// reasons, then the JSON array of its profiles in their order), all NULL
// for a declaration without a decision.
type decisionCols struct {
	channel, selectedBy, crossing, decided sql.NullString
	reasons, profiles                      sql.NullString
	score                                  sql.NullFloat64
	modelVersion                           sql.NullInt64
}

// dest returns the scan destinations of the columns, in their order.
func (c *decisionCols) dest() []any {
	return []any{&c.channel, &c.score, &c.selectedBy, &c.modelVersion, &c.crossing, &c.decided, &c.reasons, &c.profiles}
}

// decision decodes the decision of declaration id, nil if it has none.
// Profiles is nil when no profile matched.
func (c *decisionCols) decision(id string) (*crossguard.Decision, error) {
	if !c.channel.Valid {
		return nil, nil
	}
	d := &crossguard.Decision{DeclarationID: id, Channel: c.channel.String, Score: c.score.Float64,
		SelectedBy: c.selectedBy.String, ModelVersion: c.modelVersion.Int64, Crossing: c.crossing.String}
	var err error
	if d.DecidedAt, err = parseTime(c.decided.String); err != nil {
		return nil, fmt.Errorf("read decision of %s: %w", id, err)
	}
	if err := json.Unmarshal([]byte(c.reasons.String), &d.Reasons); err != nil {
		return nil, fmt.Errorf("read decision of %s: decode reasons: %w", id, err)
	}
	if err := json.Unmarshal([]byte(c.profiles.String), &d.Profiles); err != nil {
		return nil, fmt.Errorf("read decision of %s: decode profiles: %w", id, err)
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
		body, received                              string
		dc                                          decisionCols
		result, seizureID, notes, source, inspected sql.NullString
		revenue                                     sql.NullFloat64
		fraud, critical                             sql.NullInt64
	)
	dest := append(append([]any{&body, &received}, dc.dest()...),
		&result, &seizureID, &revenue, &notes, &fraud, &critical, &source, &inspected)
	err := s.r.QueryRowContext(ctx, declarationEntrySQL, id).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, crossguard.Errorf(crossguard.ENOTFOUND, "declaration %s not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("read declaration %s: %w", id, err)
	}
	e := &crossguard.DeclarationEntry{Declaration: &crossguard.Declaration{}}
	if err := json.Unmarshal([]byte(body), e.Declaration); err != nil {
		return nil, fmt.Errorf("read declaration %s: decode: %w", id, err)
	}
	if e.ReceivedAt, err = parseTime(received); err != nil {
		return nil, fmt.Errorf("read declaration %s: %w", id, err)
	}
	if e.Decision, err = dc.decision(id); err != nil {
		return nil, err
	}
	if result.Valid {
		in := &crossguard.Inspection{DeclarationID: id, Result: result.String, SeizureID: seizureID.String,
			RecoveredRevenue: revenue.Float64, Notes: notes.String, Source: source.String,
			Label: crossguard.Label{Fraud: int(fraud.Int64), Critical: int(critical.Int64)}}
		if in.At, err = parseTime(inspected.String); err != nil {
			return nil, fmt.Errorf("read inspection of %s: %w", id, err)
		}
		e.Inspection = in
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
	scores := []float64{}
	if n <= 0 {
		return scores, nil
	}
	q, args := recentScoresSQL, []any{n}
	if crossing != "" {
		q, args = recentScoresAtSQL, []any{crossing, n}
	}
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("recent scores at %q: %w", crossing, err)
	}
	defer rows.Close()
	for rows.Next() {
		var v float64
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("recent scores at %q: %w", crossing, err)
		}
		scores = append(scores, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("recent scores at %q: %w", crossing, err)
	}
	return scores, nil
}
