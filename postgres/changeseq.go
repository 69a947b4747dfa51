package postgres

import (
	"context"
	"errors"
	"fmt"

	"crossguard"

	"github.com/jackc/pgx/v5"
)

// ChangeSeq returns the change sequence number of the latest version of the
// record id (a seizure or a record of another kind), tombstones and
// withdrawn copies included, or ENOTFOUND. The federation change feed
// reads records in this order; the conformance suite checks it is gap-free.
func (s *Store) ChangeSeq(ctx context.Context, id string) (int64, error) {
	var seq int64
	err := s.pool.QueryRow(ctx, `SELECT seq FROM seizures WHERE id = $1 UNION ALL SELECT seq FROM records WHERE id = $1`, id).Scan(&seq)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, crossguard.Errorf(crossguard.ENOTFOUND, "record %s not found", id)
	}
	if err != nil {
		return 0, fmt.Errorf("change seq of %s: %w", id, err)
	}
	return seq, nil
}
