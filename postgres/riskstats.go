package postgres

import (
	"context"
	"fmt"
	"time"

	"crossguard"
	"crossguard/storekit"

	"github.com/jackc/pgx/v5"
)

// riskGroupsSQL counts the decisions made in [from, to) by crossing
// point, channel and what selected them: how many, how many were inspected, how many
// inspections found something, and the revenue they recovered.
const riskGroupsSQL = `SELECT d.crossing, d.channel, d.selected_by, count(*), count(i.declaration_id),
    count(*) FILTER (WHERE i.result <> 'no_finding'), coalesce(sum(i.recovered_revenue), 0)
FROM decisions d LEFT JOIN inspections i ON i.declaration_id = d.declaration_id
WHERE d.decided_at >= $1 AND d.decided_at < $2
GROUP BY d.crossing, d.channel, d.selected_by`

// riskProfilesSQL counts the same by profile that matched.
const riskProfilesSQL = `SELECT p.profile_id, count(*), count(i.declaration_id),
    count(*) FILTER (WHERE i.result <> 'no_finding'), coalesce(sum(i.recovered_revenue), 0)
FROM decisions d
JOIN decision_profiles p ON p.declaration_id = d.declaration_id
LEFT JOIN inspections i ON i.declaration_id = d.declaration_id
WHERE d.decided_at >= $1 AND d.decided_at < $2
GROUP BY p.profile_id ORDER BY p.profile_id`

// RiskStats computes hit rates over the decisions made in [from, to):
// per profile (by profile id, Name left for the caller), per channel (red,
// yellow, blue, green, each present, then any other channel by name), per
// channel at each crossing point, of
// the decisions the model selected and of those random selection chose.
// Both queries read one snapshot.
func (s *Store) RiskStats(ctx context.Context, from, to time.Time) (*crossguard.RiskStats, error) {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("risk stats: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	st := storekit.NewRiskStatsBuilder(from, to)
	rows, err := tx.Query(ctx, riskGroupsSQL, from, to)
	if err != nil {
		return nil, fmt.Errorf("risk stats: %w", err)
	}
	var crossing, channel, selectedBy string
	var g crossguard.RateStats
	_, err = pgx.ForEachRow(rows, []any{&crossing, &channel, &selectedBy, &g.Selected, &g.Inspected, &g.Hits, &g.Revenue}, func() error {
		st.AddGroup(crossing, channel, selectedBy, &g)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("risk stats: %w", err)
	}
	rows, err = tx.Query(ctx, riskProfilesSQL, from, to)
	if err != nil {
		return nil, fmt.Errorf("risk stats by profile: %w", err)
	}
	var p crossguard.RateStats
	_, err = pgx.ForEachRow(rows, []any{&p.Key, &p.Selected, &p.Inspected, &p.Hits, &p.Revenue}, func() error {
		r := p
		st.Profiles = append(st.Profiles, &r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("risk stats by profile: %w", err)
	}
	return st.Finish(), nil
}
