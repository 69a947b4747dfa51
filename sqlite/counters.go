package sqlite

import (
	"context"
	"fmt"
)

// Counters returns the totals of the counter name by label, from the
// counters table that triggers keep (see migration 0011).
func (s *Store) Counters(ctx context.Context, name string) (map[string]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT label, n FROM counters WHERE name = ?`, name)
	if err != nil {
		return nil, fmt.Errorf("read counter %s: %w", name, err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var label string
		var n int64
		if err := rows.Scan(&label, &n); err != nil {
			return nil, fmt.Errorf("read counter %s: %w", name, err)
		}
		out[label] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read counter %s: %w", name, err)
	}
	return out, nil
}
