package postgres

import (
	"context"
	"fmt"
	"time"

	"crossguard"
	"crossguard/storekit"
)

// PutWatch adds a watch-list entry, stamped by the caller (id, creation
// time), and audits it at its creation time. An id already used fails
// with ECONFLICT, an entry without one with EINVALID.
func (s *Store) PutWatch(ctx context.Context, actor string, w *crossguard.WatchEntry) error {
	if err := storekit.CheckWatch(w); err != nil {
		return err
	}
	err := s.write(ctx, func(tx *writeTx) error {
		tag, err := tx.tx.Exec(ctx, `INSERT INTO watchlist (id, identifier_type, identifier_value, channel, reason, expires_at, created_at, source, removed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
			w.ID, w.Identifier.Type, w.Identifier.Value, w.Channel, w.Reason, w.ExpiresAt, w.CreatedAt, w.Source, w.RemovedAt)
		if err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return crossguard.Errorf(crossguard.ECONFLICT, "watch-list entry %s already exists", w.ID)
		}
		tx.audit(storekit.WatchAddAudit(actor, w))
		return nil
	})
	if err != nil {
		return fmt.Errorf("add watch-list entry %s: %w", w.ID, err)
	}
	return nil
}

// RemoveWatch ends an entry at at and audits it; ENOTFOUND if unknown or
// removed already. An expired entry can still be removed.
func (s *Store) RemoveWatch(ctx context.Context, actor, id string, at time.Time) error {
	err := s.write(ctx, func(tx *writeTx) error {
		tag, err := tx.tx.Exec(ctx, `UPDATE watchlist SET removed_at = $2 WHERE id = $1 AND removed_at IS NULL`, id, at)
		if err != nil {
			return fmt.Errorf("update: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return crossguard.Errorf(crossguard.ENOTFOUND, "watch-list entry %s not found or already removed", id)
		}
		tx.audit(storekit.WatchRemoveAudit(actor, id, at))
		return nil
	})
	if err != nil {
		return fmt.Errorf("remove watch-list entry %s: %w", id, err)
	}
	return nil
}

// Watchlist returns the entries neither removed nor expired at at, by
// creation time then id: an entry is in force until its ExpiresAt, or
// its RemovedAt if earlier (and then carries it).
func (s *Store) Watchlist(ctx context.Context, at time.Time) ([]*crossguard.WatchEntry, error) {
	return queryRows(ctx, s.pool, "watch list", storekit.All(storekit.ScanWatch), `SELECT id, identifier_type, identifier_value, channel, reason, expires_at, created_at, source, removed_at
		FROM watchlist WHERE expires_at > $1 AND (removed_at IS NULL OR removed_at > $1) ORDER BY created_at, id`, at)
}
