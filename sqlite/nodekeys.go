package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"crossguard"
	"crossguard/storekit"
)

var _ crossguard.KeyStore = (*Store)(nil)

// RotateNodeKey records this node's own key handover in one transaction:
// the node's key becomes k.NewKey, k.OldKey joins its key history, the
// handover is stored as an own record with the next change sequence
// number, and the rotation is audited.
func (s *Store) RotateNodeKey(ctx context.Context, actor string, k *crossguard.KeyHandover, body json.RawMessage) error {
	return s.write(ctx, "rotate node key", func(tx *writeTx) error {
		var node, key string
		if err := tx.QueryRowContext(ctx, `SELECT node_id, public_key FROM node WHERE singleton = 1`).Scan(&node, &key); err != nil {
			return fmt.Errorf("rotate node key: read node: %w", err)
		}
		if node != k.Origin || key != k.OldKey {
			return crossguard.Errorf(crossguard.ECONFLICT, "the node's key is no longer the one the handover retires (another rotation ran meanwhile?)")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE node SET public_key = ? WHERE singleton = 1`, k.NewKey); err != nil {
			return fmt.Errorf("rotate node key: %w", err)
		}
		if err := insertRetiredKey(ctx, tx, k); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO records (id, kind, seq, origin, version, created_at, updated_at, distribution, tlp, body)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			k.ID, k.Kind, tx.nextSeq(), k.Origin, k.Version, formatTime(k.CreatedAt), formatTime(k.UpdatedAt),
			k.Distribution, k.Marking.TLP, string(body))
		if err != nil {
			return fmt.Errorf("rotate node key: store the handover: %w", err)
		}
		return tx.audit(ctx, storekit.KeyRotateAudit(actor, k))
	})
}

// insertRetiredKey adds the key k retires to its node's history.
func insertRetiredKey(ctx context.Context, tx *writeTx, k *crossguard.KeyHandover) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO node_keys (node_id, public_key, retired_at, grace_until, handover, successor)
		VALUES (?, ?, ?, ?, ?, ?)`, k.Origin, k.OldKey, formatTime(k.UpdatedAt), formatTime(k.GraceUntil), k.ID, k.NewKey)
	if err != nil {
		return fmt.Errorf("retire key of %s: %w", k.Origin, err)
	}
	return nil
}

// AcceptKeyHandover records a peer's key handover received from via:
// its key becomes k.NewKey and k.OldKey joins its history, audited, in
// one transaction; cursors and status stay as they are. It returns false
// and changes nothing when the handover is already applied.
func (s *Store) AcceptKeyHandover(ctx context.Context, k *crossguard.KeyHandover, via string, at time.Time) (bool, error) {
	changed := false
	err := s.write(ctx, "accept key handover", func(tx *writeTx) error {
		var key string
		err := tx.QueryRowContext(ctx, `SELECT public_key FROM peers WHERE id = ?`, k.Origin).Scan(&key)
		if errors.Is(err, sql.ErrNoRows) {
			return peerNotFound(k.Origin)
		} else if err != nil {
			return fmt.Errorf("accept key handover of %s: %w", k.Origin, err)
		}
		if key == k.NewKey {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM node_keys WHERE node_id = ? AND public_key = ? AND handover = ?`,
				k.Origin, k.OldKey, k.ID).Scan(&n); err != nil {
				return fmt.Errorf("accept key handover of %s: %w", k.Origin, err)
			}
			if n == 1 {
				return nil
			}
			// Known by its new card: the handover tells the key before.
		} else if key != k.OldKey {
			return crossguard.Errorf(crossguard.ECONFLICT, "the key held for %s is no longer the one its handover %s retires", k.Origin, k.ID)
		} else if _, err := tx.ExecContext(ctx, `UPDATE peers SET public_key = ? WHERE id = ?`, k.NewKey, k.Origin); err != nil {
			return fmt.Errorf("accept key handover of %s: %w", k.Origin, err)
		}
		if err := insertRetiredKey(ctx, tx, k); err != nil {
			return err
		}
		changed = true
		return tx.audit(ctx, storekit.KeyHandoverAudit(k, via, at))
	})
	return changed, err
}

// RetiredKeys returns the retired keys of every node, newest first.
func (s *Store) RetiredKeys(ctx context.Context) (map[string][]crossguard.RetiredKey, error) {
	return queryRows(ctx, s.r, "read retired keys", storekit.ScanRetiredKeys, `SELECT node_id, public_key, retired_at, grace_until, handover, successor
		FROM node_keys ORDER BY node_id, retired_at DESC, public_key`)
}
