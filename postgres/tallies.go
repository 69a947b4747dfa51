package postgres

import (
	"context"

	"crossguard"
	"crossguard/storekit"
)

var _ crossguard.TallyStore = (*Store)(nil)

// SeizureTallies returns the non-zero tallies of the months from fromMonth
// to toMonth inclusive (empty means unbounded), ordered by month, dimension
// and key. The triggers of migration 0005 keep them with every write.
func (s *Store) SeizureTallies(ctx context.Context, fromMonth, toMonth string) ([]*crossguard.Tally, error) {
	fromMonth, toMonth, err := storekit.TallyMonthRange(fromMonth, toMonth)
	if err != nil {
		return nil, err
	}
	return queryRows(ctx, s.pool, "read seizure tallies", storekit.All(storekit.ScanTally), `SELECT month, dim, key, n FROM seizure_tallies
		WHERE month >= $1 AND month <= $2 AND n <> 0 ORDER BY month, dim, key`, fromMonth, toMonth)
}
