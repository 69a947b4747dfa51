package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"crossguard"
	"crossguard/storekit"

	"github.com/jackc/pgx/v5"
)

var _ crossguard.KeyStore = (*Store)(nil)

// insertNodeKey adds a retired key to its node's history.
const insertNodeKey = `INSERT INTO node_keys (node_id, public_key, retired_at, grace_until, handover, successor)
VALUES ($1, $2, $3, $4, $5, $6)`

// RotateNodeKey records this node's own key handover in one transaction:
// the node's key becomes k.NewKey, k.OldKey joins its key history, the
// handover is stored as an own record with the next change sequence
// number, and the rotation is audited.
func (s *Store) RotateNodeKey(ctx context.Context, actor string, k *crossguard.KeyHandover, body json.RawMessage) error {
	err := s.write(ctx, func(w *writeTx) error {
		var node, key string
		if err := w.tx.QueryRow(ctx, `SELECT node_id, public_key FROM node`).Scan(&node, &key); err != nil {
			return fmt.Errorf("read node: %w", err)
		}
		if node != k.Origin || key != k.OldKey {
			return crossguard.Errorf(crossguard.ECONFLICT, "the node's key is no longer the one the handover retires (another rotation ran meanwhile?)")
		}
		w.queue(wrapExec("update node key"), `UPDATE node SET public_key = $1`, k.NewKey)
		w.queue(wrapExec("retire key"), insertNodeKey, k.Origin, k.OldKey, k.UpdatedAt, k.GraceUntil, k.ID, k.NewKey)
		w.queue(func(br pgx.BatchResults) error {
			var id string
			if err := br.QueryRow().Scan(&id); err != nil {
				return fmt.Errorf("store the handover: %w", err)
			}
			return nil
		}, insertRecord, k.ID, k.Kind, w.nextSeq(), k.Origin, k.Version, k.CreatedAt, k.UpdatedAt,
			k.Distribution, k.Marking.TLP, "", string(body))
		w.audit(storekit.KeyRotateAudit(actor, k))
		return nil
	})
	if err != nil {
		return fmt.Errorf("rotate node key: %w", err)
	}
	return nil
}

// AcceptKeyHandover records a peer's key handover received from via:
// its key becomes k.NewKey and k.OldKey joins its history, audited, in
// one transaction; cursors and status stay as they are. It returns false
// and changes nothing when the handover is already applied.
func (s *Store) AcceptKeyHandover(ctx context.Context, k *crossguard.KeyHandover, via string, at time.Time) (bool, error) {
	changed := false
	err := s.write(ctx, func(w *writeTx) error {
		var key string
		err := w.tx.QueryRow(ctx, `SELECT public_key FROM peers WHERE id = $1 FOR UPDATE`, k.Origin).Scan(&key)
		if errors.Is(err, pgx.ErrNoRows) {
			return crossguard.Errorf(crossguard.ENOTFOUND, "peer %s not found (add its card with crossguard peer add)", k.Origin)
		} else if err != nil {
			return fmt.Errorf("read peer: %w", err)
		}
		if key == k.NewKey {
			var n int
			if err := w.tx.QueryRow(ctx, `SELECT count(*) FROM node_keys WHERE node_id = $1 AND public_key = $2 AND handover = $3`,
				k.Origin, k.OldKey, k.ID).Scan(&n); err != nil {
				return fmt.Errorf("read key history: %w", err)
			}
			if n == 1 {
				return nil
			}
			// Known by its new card: the handover tells the key before.
		} else if key != k.OldKey {
			return crossguard.Errorf(crossguard.ECONFLICT, "the key held for %s is no longer the one its handover %s retires", k.Origin, k.ID)
		} else {
			w.queue(wrapExec("update peer key"), `UPDATE peers SET public_key = $1 WHERE id = $2`, k.NewKey, k.Origin)
		}
		w.queue(wrapExec("retire key"), insertNodeKey, k.Origin, k.OldKey, k.UpdatedAt, k.GraceUntil, k.ID, k.NewKey)
		changed = true
		w.audit(storekit.KeyHandoverAudit(k, via, at))
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("accept key handover of %s: %w", k.Origin, err)
	}
	return changed, nil
}

// RetiredKeys returns the retired keys of every node, newest first.
func (s *Store) RetiredKeys(ctx context.Context) (map[string][]crossguard.RetiredKey, error) {
	return queryRows(ctx, s.pool, "read retired keys", storekit.ScanRetiredKeys, `SELECT node_id, public_key, retired_at, grace_until, handover, successor
		FROM node_keys ORDER BY node_id, retired_at DESC, public_key`)
}
