package sqlite

import (
	"context"
	"time"

	"crossguard"
	"crossguard/storekit"
)

// queueSelect reads a decided declaration with its decision, the
// profiles of the decision in their order, and its inspection (NULL
// columns when not inspected), as storekit.ScanQueueEntry reads them.
const queueSelect = `SELECT c.declaration_id, d.body, d.received_at,
    c.channel, c.score, c.selected_by, c.model_version, c.crossing, c.decided_at, c.reasons,
    (SELECT json_group_array(profile_id) FROM
        (SELECT profile_id FROM decision_profiles WHERE declaration_id = c.declaration_id ORDER BY pos)),
    i.result, i.seizure_id, i.recovered_revenue, i.notes, i.fraud, i.critical, i.source, i.at
FROM decisions c
JOIN declarations d ON d.id = c.declaration_id
LEFT JOIN inspections i ON i.declaration_id = c.declaration_id`

// queueQuery returns the query of a page of the declaration queue, its
// arguments and the size of the page (see storekit.DecisionQueueQuery),
// the time of the cursor as decided_at stores it.
func queueQuery(f crossguard.DecisionFilter) (string, []any, int, error) {
	var args []any
	q, limit, err := storekit.DecisionQueueQuery(queueSelect, f, func(v any) string {
		if t, ok := v.(time.Time); ok {
			v = formatTime(t)
		}
		args = append(args, v)
		return "?"
	})
	return q, args, limit, err
}

// RecentDecisions returns a page of the declaration queue: decided
// declarations, newest decision first, ties by declaration id descending.
func (s *Store) RecentDecisions(ctx context.Context, f crossguard.DecisionFilter) (*crossguard.DecisionPage, error) {
	q, args, limit, err := queueQuery(f)
	if err != nil {
		return nil, err
	}
	items, err := queryRows(ctx, s.r, "declaration queue", storekit.All(storekit.ScanQueueEntry), q, args...)
	if err != nil {
		return nil, err
	}
	return storekit.DecisionPage(items, limit), nil
}

// recentDeclarationsSQL walks declarations_received backwards and stops
// after LIMIT rows.
const recentDeclarationsSQL = `SELECT d.id, d.body, d.received_at,
    i.result, i.seizure_id, i.recovered_revenue, i.notes, i.fraud, i.critical, i.source, i.at
FROM declarations d
LEFT JOIN inspections i ON i.declaration_id = d.id
ORDER BY d.received_at DESC, d.id DESC LIMIT ?`

// RecentDeclarations returns the n most recently received declarations,
// newest first (ties by id, descending), with their inspections; their
// decisions are not read.
func (s *Store) RecentDeclarations(ctx context.Context, n int) ([]*crossguard.DeclarationEntry, error) {
	if n <= 0 {
		return []*crossguard.DeclarationEntry{}, nil
	}
	return queryRows(ctx, s.r, "recent declarations", storekit.All(storekit.ScanRecentDeclaration), recentDeclarationsSQL, n)
}
