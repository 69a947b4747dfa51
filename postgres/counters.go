package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Counters returns the totals of the counter name by label, from the
// counters table that triggers keep (see migration 0011).
func (s *Store) Counters(ctx context.Context, name string) (map[string]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT label, n FROM counters WHERE name = $1`, name)
	if err != nil {
		return nil, fmt.Errorf("read counter %s: %w", name, err)
	}
	out := map[string]int64{}
	var label string
	var n int64
	if _, err := pgx.ForEachRow(rows, []any{&label, &n}, func() error { out[label] = n; return nil }); err != nil {
		return nil, fmt.Errorf("read counter %s: %w", name, err)
	}
	return out, nil
}
