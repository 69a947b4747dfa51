package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"crossguard"
)

var _ crossguard.SeizureVersionStore = (*Store)(nil)

// SeizureVersions returns the versions this node has held of the live
// seizure id, oldest first. The triggers of migration 0007 keep them with
// every write.
func (s *Store) SeizureVersions(ctx context.Context, id string) ([]*crossguard.SeizureVersion, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT version, updated_at, stored_at, received, via, body
		FROM seizure_versions WHERE id = ? ORDER BY version`, id)
	if err != nil {
		return nil, fmt.Errorf("read versions of seizure %s: %w", id, err)
	}
	defer rows.Close()
	out := []*crossguard.SeizureVersion{}
	for rows.Next() {
		v := &crossguard.SeizureVersion{ID: id}
		var updated, stored string
		var via sql.NullString
		var body []byte
		if err := rows.Scan(&v.Version, &updated, &stored, &v.Received, &via, &body); err != nil {
			return nil, fmt.Errorf("read versions of seizure %s: %w", id, err)
		}
		if v.UpdatedAt, err = parseTime(updated); err != nil {
			return nil, fmt.Errorf("read versions of seizure %s: %w", id, err)
		}
		if v.StoredAt, err = parseTime(stored); err != nil {
			return nil, fmt.Errorf("read versions of seizure %s: %w", id, err)
		}
		v.Via, v.Body = via.String, body
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read versions of seizure %s: %w", id, err)
	}
	return out, nil
}
