package postgres

import (
	"context"
	"fmt"

	"crossguard"
)

var _ crossguard.SeizureVersionStore = (*Store)(nil)

// SeizureVersions returns the versions this node has held of the live
// seizure id, oldest first. The triggers of migration 0007 keep them with
// every write.
func (s *Store) SeizureVersions(ctx context.Context, id string) ([]*crossguard.SeizureVersion, error) {
	rows, err := s.pool.Query(ctx, `SELECT version, updated_at, stored_at, received, coalesce(via, ''), body
		FROM seizure_versions WHERE id = $1 ORDER BY version`, id)
	if err != nil {
		return nil, fmt.Errorf("read versions of seizure %s: %w", id, err)
	}
	defer rows.Close()
	out := []*crossguard.SeizureVersion{}
	for rows.Next() {
		v := &crossguard.SeizureVersion{ID: id}
		var body string
		if err := rows.Scan(&v.Version, &v.UpdatedAt, &v.StoredAt, &v.Received, &v.Via, &body); err != nil {
			return nil, fmt.Errorf("read versions of seizure %s: %w", id, err)
		}
		v.UpdatedAt, v.StoredAt = v.UpdatedAt.UTC(), v.StoredAt.UTC()
		v.Body = []byte(body)
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read versions of seizure %s: %w", id, err)
	}
	return out, nil
}
