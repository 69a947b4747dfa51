package postgres

import (
	"context"
	"fmt"
)

// AuditHead returns the last audit entry's sequence number and hash as the
// heads row records them.
func (s *Store) AuditHead(ctx context.Context) (int64, string, error) {
	var seq int64
	var hash string
	if err := s.pool.QueryRow(ctx, `SELECT audit_seq, audit_hash FROM heads`).Scan(&seq, &hash); err != nil {
		return 0, "", fmt.Errorf("read audit head: %w", err)
	}
	return seq, hash, nil
}
