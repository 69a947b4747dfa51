package sqlite

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
	return s.write(ctx, "add watch-list entry", func(tx *writeTx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO watchlist (id, identifier_type, identifier_value, channel, reason, expires_at, created_at, source, removed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			w.ID, w.Identifier.Type, w.Identifier.Value, w.Channel, w.Reason, formatTime(w.ExpiresAt), formatTime(w.CreatedAt), w.Source, nullTime(w.RemovedAt))
		if isUnique(err, "watchlist.id") {
			return crossguard.Errorf(crossguard.ECONFLICT, "watch-list entry %s already exists", w.ID)
		} else if err != nil {
			return fmt.Errorf("add watch-list entry %s: %w", w.ID, err)
		}
		return tx.audit(ctx, storekit.WatchAddAudit(actor, w))
	})
}

// RemoveWatch ends an entry at at and audits it; ENOTFOUND if unknown or
// removed already. An expired entry can still be removed.
func (s *Store) RemoveWatch(ctx context.Context, actor, id string, at time.Time) error {
	return s.write(ctx, "remove watch-list entry", func(tx *writeTx) error {
		res, err := tx.ExecContext(ctx, `UPDATE watchlist SET removed_at = ? WHERE id = ? AND removed_at IS NULL`, formatTime(at), id)
		if err != nil {
			return fmt.Errorf("remove watch-list entry %s: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("remove watch-list entry %s: %w", id, err)
		} else if n == 0 {
			return crossguard.Errorf(crossguard.ENOTFOUND, "watch-list entry %s not found or already removed", id)
		}
		return tx.audit(ctx, storekit.WatchRemoveAudit(actor, id, at))
	})
}

// Watchlist returns the entries neither removed nor expired at at, by
// creation time then id: an entry is in force until its ExpiresAt, or
// its RemovedAt if earlier (and then carries it).
func (s *Store) Watchlist(ctx context.Context, at time.Time) ([]*crossguard.WatchEntry, error) {
	t := formatTime(at)
	return queryRows(ctx, s.r, "watch list", storekit.All(storekit.ScanWatch), `SELECT id, identifier_type, identifier_value, channel, reason, expires_at, created_at, source, removed_at
		FROM watchlist WHERE expires_at > ?1 AND (removed_at IS NULL OR removed_at > ?1) ORDER BY created_at, id`, t)
}
