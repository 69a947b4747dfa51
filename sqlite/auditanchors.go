package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"crossguard"
	"crossguard/storekit"
)

var _ crossguard.AuditHeadStore = (*Store)(nil)

// AddOwnAuditHead stores a head this node signed: in records with the next
// change sequence number, so that the feed serves it, and in audit_heads.
// It writes no audit entry, and fails with ECONFLICT unless the head
// follows the last own head.
func (s *Store) AddOwnAuditHead(ctx context.Context, h *crossguard.HeldAuditHead) error {
	return s.write(ctx, "store own audit head", func(tx *writeTx) error {
		var last int64
		err := tx.QueryRowContext(ctx, `SELECT coalesce((SELECT seq FROM audit_heads WHERE origin = ? AND via IS NULL ORDER BY first_seq DESC, seq DESC LIMIT 1), 0)`, h.Head.Origin).Scan(&last)
		if err != nil {
			return fmt.Errorf("read the last own audit head: %w", err)
		}
		if h.Head.FirstSeq != last+1 {
			return crossguard.Errorf(crossguard.ECONFLICT, "audit head from entry %d does not follow the last own head, which ends at entry %d", h.Head.FirstSeq, last)
		}
		hd := &h.Head.Header
		_, err = tx.ExecContext(ctx, `INSERT INTO records (id, kind, seq, origin, version, created_at, updated_at, distribution, tlp, body)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, hd.ID, hd.Kind, tx.nextSeq(), hd.Origin, hd.Version,
			formatTime(hd.CreatedAt), formatTime(hd.UpdatedAt), hd.Distribution, hd.Marking.TLP, string(h.Signed.Record))
		if err != nil {
			return fmt.Errorf("store own audit head %s: %w", hd.ID, err)
		}
		return insertHead(ctx, tx, h, nil)
	})
}

// insertHead inserts a head into audit_heads unless its id is there.
func insertHead(ctx context.Context, tx *writeTx, h *crossguard.HeldAuditHead, via any) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_heads (id, origin, first_seq, seq, hash, signed, sig, via, received_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`, h.Head.ID, h.Head.Origin, h.Head.FirstSeq, h.Head.Seq,
		h.Head.Hash, string(h.Signed.Record), h.Signed.Signature, via, formatTime(h.ReceivedAt))
	if err != nil {
		return fmt.Errorf("store audit head %s of %s: %w", h.Head.ID, h.Head.Origin, err)
	}
	return nil
}

// KeepAuditHeads stores heads received from a peer, and moves its cursor
// if advance is set (see crossguard.AuditHeadStore).
func (s *Store) KeepAuditHeads(ctx context.Context, p *crossguard.InboundPage, advance bool) error {
	return s.write(ctx, "keep audit heads from "+p.Peer, func(tx *writeTx) error {
		for _, h := range p.AuditHeads {
			if err := insertHead(ctx, tx, h, p.Peer); err != nil {
				return err
			}
		}
		if !advance {
			return nil
		}
		return updatePeer(ctx, tx, p.Peer, `UPDATE peers SET cursor = ?, remote_head = ?, last_exchange = ? WHERE id = ?`,
			p.Cursor, p.RemoteHead, formatTime(p.At), p.Peer)
	})
}

// headColumns are the columns storekit.ScanAuditHead reads.
const headColumns = `signed, sig, coalesce(via, ''), received_at`

// LastOwnAuditHead returns the own head of the highest Seq, or nil.
func (s *Store) LastOwnAuditHead(ctx context.Context) (*crossguard.HeldAuditHead, error) {
	h, err := storekit.ScanAuditHead(s.r.QueryRowContext(ctx, `SELECT `+headColumns+` FROM audit_heads
		WHERE origin = (SELECT node_id FROM node WHERE singleton = 1) AND via IS NULL ORDER BY first_seq DESC, seq DESC LIMIT 1`).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("read the last own audit head: %w", err)
	}
	return h, nil
}

// AuditHeadsOf returns the heads held of one origin after a first entry
// (see crossguard.AuditHeadStore).
func (s *Store) AuditHeadsOf(ctx context.Context, origin string, after int64, limit int) ([]*crossguard.HeldAuditHead, error) {
	q := `SELECT ` + headColumns + ` FROM audit_heads WHERE origin = ?1 AND first_seq > ?2`
	args := []any{origin, after}
	if limit > 0 {
		args = append(args, limit)
		q += ` AND first_seq <= (SELECT max(first_seq) FROM (SELECT first_seq FROM audit_heads
			WHERE origin = ?1 AND first_seq > ?2 ORDER BY first_seq LIMIT ?3))`
	}
	return queryRows(ctx, s.r, "list audit heads of "+origin, storekit.All(storekit.ScanAuditHead), q+` ORDER BY first_seq, seq, id`, args...)
}
