package postgres

import (
	"context"
	"errors"
	"fmt"

	"crossguard"
	"crossguard/storekit"

	"github.com/jackc/pgx/v5"
)

var _ crossguard.AuditHeadStore = (*Store)(nil)

// insertHead inserts a head into audit_heads unless its id is there.
const insertHead = `INSERT INTO audit_heads (id, origin, first_seq, seq, hash, signed, sig, via, received_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, nullif($8::text, ''), $9) ON CONFLICT (id) DO NOTHING`

// queueHead queues the insertion of a head received via via ("" for own).
func (w *writeTx) queueHead(h *crossguard.HeldAuditHead, via string) {
	w.queue(wrapExec("store audit head "+h.Head.ID), insertHead, h.Head.ID, h.Head.Origin, h.Head.FirstSeq, h.Head.Seq,
		h.Head.Hash, string(h.Signed.Record), h.Signed.Signature, via, h.ReceivedAt)
}

// AddOwnAuditHead stores a head this node signed: in records with the next
// change sequence number, so that the feed serves it, and in audit_heads.
// It writes no audit entry, and fails with ECONFLICT unless the head
// follows the last own head.
func (s *Store) AddOwnAuditHead(ctx context.Context, h *crossguard.HeldAuditHead) error {
	err := s.write(ctx, func(w *writeTx) error {
		var last int64
		err := w.tx.QueryRow(ctx, `SELECT coalesce((SELECT seq FROM audit_heads WHERE origin = $1 AND via IS NULL ORDER BY first_seq DESC, seq DESC LIMIT 1), 0)`, h.Head.Origin).Scan(&last)
		if err != nil {
			return fmt.Errorf("read the last own audit head: %w", err)
		}
		if h.Head.FirstSeq != last+1 {
			return crossguard.Errorf(crossguard.ECONFLICT, "audit head from entry %d does not follow the last own head, which ends at entry %d", h.Head.FirstSeq, last)
		}
		hd := &h.Head.Header
		w.queue(wrapExec("store own audit head"), `INSERT INTO records (id, kind, seq, origin, version, created_at, updated_at, distribution, tlp, body)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, hd.ID, hd.Kind, w.nextSeq(), hd.Origin, hd.Version,
			hd.CreatedAt, hd.UpdatedAt, hd.Distribution, hd.Marking.TLP, string(h.Signed.Record))
		w.queueHead(h, "")
		return nil
	})
	if err != nil {
		return fmt.Errorf("store own audit head: %w", err)
	}
	return nil
}

// KeepAuditHeads stores heads received from a peer, and moves its cursor
// if advance is set (see crossguard.AuditHeadStore).
func (s *Store) KeepAuditHeads(ctx context.Context, p *crossguard.InboundPage, advance bool) error {
	err := s.write(ctx, func(w *writeTx) error {
		for _, h := range p.AuditHeads {
			w.queueHead(h, p.Peer)
		}
		if advance {
			w.queue(peerChanged(p.Peer), `UPDATE peers SET cursor = $2, remote_head = $3, last_exchange = $4 WHERE id = $1`,
				p.Peer, p.Cursor, p.RemoteHead, p.At)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("keep audit heads from %s: %w", p.Peer, err)
	}
	return nil
}

// headColumns are the columns storekit.ScanAuditHead reads.
const headColumns = `signed, sig, coalesce(via, ''), received_at`

// LastOwnAuditHead returns the own head of the highest Seq, or nil.
func (s *Store) LastOwnAuditHead(ctx context.Context) (*crossguard.HeldAuditHead, error) {
	h, err := storekit.ScanAuditHead(s.pool.QueryRow(ctx, `SELECT `+headColumns+` FROM audit_heads
		WHERE origin = (SELECT node_id FROM node) AND via IS NULL ORDER BY first_seq DESC, seq DESC LIMIT 1`).Scan)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("read the last own audit head: %w", err)
	}
	return h, nil
}

// AuditHeadsOf returns the heads held of one origin after a first entry
// (see crossguard.AuditHeadStore).
func (s *Store) AuditHeadsOf(ctx context.Context, origin string, after int64, limit int) ([]*crossguard.HeldAuditHead, error) {
	q := `SELECT ` + headColumns + ` FROM audit_heads WHERE origin = $1 AND first_seq > $2`
	args := []any{origin, after}
	if limit > 0 {
		q += ` AND first_seq <= (SELECT max(first_seq) FROM (SELECT first_seq FROM audit_heads
			WHERE origin = $1 AND first_seq > $2 ORDER BY first_seq LIMIT $3) AS firsts)`
		args = append(args, limit)
	}
	return queryRows(ctx, s.pool, "list audit heads of "+origin, storekit.All(storekit.ScanAuditHead), q+` ORDER BY first_seq, seq, id`, args...)
}
