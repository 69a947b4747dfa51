package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"crossguard"
)

// queueSelect reads a decided declaration with its decision, the
// profiles of the decision in their order, and its inspection (NULL
// columns when not inspected).
const queueSelect = `SELECT c.declaration_id, d.body, d.received_at,
    c.channel, c.score, c.selected_by, c.model_version, c.crossing, c.decided_at, c.reasons,
    (SELECT array_agg(profile_id ORDER BY pos) FROM decision_profiles WHERE declaration_id = c.declaration_id),
    i.result, i.seizure_id, i.recovered_revenue, i.notes, i.fraud, i.critical, i.source, i.at
FROM decisions c
JOIN declarations d ON d.id = c.declaration_id
LEFT JOIN inspections i ON i.declaration_id = c.declaration_id`

// queueQuery returns the query of a page of the declaration queue and its
// arguments: it walks decisions_crossing (one crossing) or
// decisions_decided (all) backwards from the cursor and stops after one
// row more than the page, to know whether another page follows.
func queueQuery(f crossguard.DecisionFilter) (string, []any, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.Crossing != "" {
		where = append(where, "c.crossing = "+arg(f.Crossing))
	}
	if f.Channel != "" {
		where = append(where, "c.channel = "+arg(f.Channel))
	}
	if f.Uninspected {
		where = append(where, "i.declaration_id IS NULL")
	}
	if f.Cursor != "" {
		at, id, err := crossguard.DecodeDecisionCursor(f.Cursor)
		if err != nil {
			return "", nil, err
		}
		where = append(where, "(c.decided_at, c.declaration_id) < ("+arg(at)+", "+arg(id)+")")
	}
	q := queueSelect
	if len(where) > 0 {
		q += "\nWHERE " + strings.Join(where, " AND ")
	}
	q += "\nORDER BY c.decided_at DESC, c.declaration_id DESC LIMIT " + arg(f.Limit+1)
	return q, args, nil
}

// RecentDecisions returns a page of the declaration queue: decided
// declarations, newest decision first, ties by declaration id descending.
func (s *Store) RecentDecisions(ctx context.Context, f crossguard.DecisionFilter) (*crossguard.DecisionPage, error) {
	f, err := f.Normalize()
	if err != nil {
		return nil, err
	}
	q, args, err := queueQuery(f)
	if err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("declaration queue: %w", err)
	}
	defer rows.Close()
	page := &crossguard.DecisionPage{Items: []*crossguard.DeclarationEntry{}}
	for rows.Next() {
		var (
			id       string
			body     []byte
			received time.Time
			dc       decisionCols
			ic       inspectionCols
		)
		dest := append(append([]any{&id, &body, &received}, dc.dest()...), ic.dest()...)
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("declaration queue: %w", err)
		}
		e := &crossguard.DeclarationEntry{Declaration: &crossguard.Declaration{}, ReceivedAt: received.UTC()}
		if err := json.Unmarshal(body, e.Declaration); err != nil {
			return nil, fmt.Errorf("declaration queue: decode %s: %w", id, err)
		}
		if e.Decision, err = dc.decision(id); err != nil {
			return nil, err
		}
		e.Inspection = ic.inspection(id)
		page.Items = append(page.Items, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("declaration queue: %w", err)
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		last := page.Items[f.Limit-1]
		page.NextCursor = crossguard.EncodeDecisionCursor(last.Decision.DecidedAt, last.Decision.DeclarationID)
	}
	return page, nil
}

// recentDeclarationsSQL walks declarations_received backwards and stops
// after LIMIT rows.
const recentDeclarationsSQL = `SELECT d.id, d.body, d.received_at,
    i.result, i.seizure_id, i.recovered_revenue, i.notes, i.fraud, i.critical, i.source, i.at
FROM declarations d
LEFT JOIN inspections i ON i.declaration_id = d.id
ORDER BY d.received_at DESC, d.id DESC LIMIT $1`

// RecentDeclarations returns the n most recently received declarations,
// newest first (ties by id, descending), with their inspections; their
// decisions are not read.
func (s *Store) RecentDeclarations(ctx context.Context, n int) ([]*crossguard.DeclarationEntry, error) {
	out := []*crossguard.DeclarationEntry{}
	if n <= 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, recentDeclarationsSQL, n)
	if err != nil {
		return nil, fmt.Errorf("recent declarations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id       string
			body     []byte
			received time.Time
			ic       inspectionCols
		)
		if err := rows.Scan(append([]any{&id, &body, &received}, ic.dest()...)...); err != nil {
			return nil, fmt.Errorf("recent declarations: %w", err)
		}
		e := &crossguard.DeclarationEntry{Declaration: &crossguard.Declaration{}, ReceivedAt: received.UTC()}
		if err := json.Unmarshal(body, e.Declaration); err != nil {
			return nil, fmt.Errorf("recent declarations: decode %s: %w", id, err)
		}
		e.Inspection = ic.inspection(id)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("recent declarations: %w", err)
	}
	return out, nil
}

// inspectionCols receives the columns of an inspection read with a LEFT
// JOIN (result, seizure_id, recovered_revenue, notes, fraud, critical,
// source, at), all NULL for a declaration not inspected.
type inspectionCols struct {
	result, seizureID, notes, source *string
	revenue                          *float64
	fraud, critical                  *int32
	at                               *time.Time
}

// dest returns the scan destinations of the columns, in their order.
func (c *inspectionCols) dest() []any {
	return []any{&c.result, &c.seizureID, &c.revenue, &c.notes, &c.fraud, &c.critical, &c.source, &c.at}
}

// inspection decodes the inspection of declaration id, nil if it has
// none.
func (c *inspectionCols) inspection(id string) *crossguard.Inspection {
	if c.result == nil {
		return nil
	}
	return &crossguard.Inspection{DeclarationID: id, Result: *c.result, SeizureID: *c.seizureID,
		RecoveredRevenue: *c.revenue, Notes: *c.notes, Source: *c.source, At: c.at.UTC(),
		Label: crossguard.Label{Fraud: int(*c.fraud), Critical: int(*c.critical)}}
}
