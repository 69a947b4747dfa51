package sqlite

import (
	"context"
	"fmt"
	"time"

	"crossguard"
	"crossguard/storekit"
)

// riskGroupsSQL counts the decisions made in [from, to) by crossing
// point, channel and what selected them: how many, how many were inspected, how many
// inspections found something, and the revenue they recovered.
const riskGroupsSQL = `SELECT d.crossing, d.channel, d.selected_by, count(*), count(i.declaration_id),
    coalesce(sum(i.result <> 'no_finding'), 0), coalesce(sum(i.recovered_revenue), 0)
FROM decisions d LEFT JOIN inspections i ON i.declaration_id = d.declaration_id
WHERE d.decided_at >= ? AND d.decided_at < ?
GROUP BY d.crossing, d.channel, d.selected_by`

// riskProfilesSQL counts the same by profile that matched.
const riskProfilesSQL = `SELECT p.profile_id, count(*), count(i.declaration_id),
    coalesce(sum(i.result <> 'no_finding'), 0), coalesce(sum(i.recovered_revenue), 0)
FROM decisions d
JOIN decision_profiles p ON p.declaration_id = d.declaration_id
LEFT JOIN inspections i ON i.declaration_id = d.declaration_id
WHERE d.decided_at >= ? AND d.decided_at < ?
GROUP BY p.profile_id ORDER BY p.profile_id`

// RiskStats computes hit rates over the decisions made in [from, to):
// per profile (by profile id, Name left for the caller), per channel (red,
// yellow, blue, green, each present, then any other channel by name), per
// channel at each crossing point, of
// the decisions the model selected and of those random selection chose.
func (s *Store) RiskStats(ctx context.Context, from, to time.Time) (*crossguard.RiskStats, error) {
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("risk stats: %w", err)
	}
	defer tx.Rollback()
	st := storekit.NewRiskStatsBuilder(from, to)
	lo, hi := formatTime(from), formatTime(to)
	rows, err := tx.QueryContext(ctx, riskGroupsSQL, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("risk stats: %w", err)
	}
	for rows.Next() {
		var crossing, channel, selectedBy string
		var r crossguard.RateStats
		if err := rows.Scan(&crossing, &channel, &selectedBy, &r.Selected, &r.Inspected, &r.Hits, &r.Revenue); err != nil {
			rows.Close()
			return nil, fmt.Errorf("risk stats: %w", err)
		}
		st.AddGroup(crossing, channel, selectedBy, &r)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("risk stats: %w", err)
	}
	rows, err = tx.QueryContext(ctx, riskProfilesSQL, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("risk stats by profile: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r := &crossguard.RateStats{}
		if err := rows.Scan(&r.Key, &r.Selected, &r.Inspected, &r.Hits, &r.Revenue); err != nil {
			return nil, fmt.Errorf("risk stats by profile: %w", err)
		}
		st.Profiles = append(st.Profiles, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("risk stats by profile: %w", err)
	}
	return st.Finish(), nil
}
