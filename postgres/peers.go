package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"crossguard"
	"crossguard/storekit"

	"github.com/jackc/pgx/v5"
)

var _ crossguard.PeerStore = (*Store)(nil)

// upsertPeer adds a peer or replaces the card and policy of a known one,
// keeping its status and the time it was first added.
// A new peer starts at policy version 1, reconciled unless it was a peer
// before and may still hold what it was served; a known one's version goes
// up, which leaves its reconcile pending.
const upsertPeer = `INSERT INTO peers (id, agency, country, name, url, public_key, protocol,
    relationship, kinds, max_tlp, origin_only, added_at, policy_version, reconciled_version)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1,
    CASE WHEN EXISTS (SELECT 1 FROM shares WHERE peer = $1) THEN 0 ELSE 1 END)
ON CONFLICT (id) DO UPDATE SET agency = excluded.agency, country = excluded.country, name = excluded.name,
    url = excluded.url, public_key = excluded.public_key, protocol = excluded.protocol,
    relationship = excluded.relationship, kinds = excluded.kinds, max_tlp = excluded.max_tlp,
    origin_only = excluded.origin_only, policy_version = peers.policy_version + 1`

// PutPeer adds a peer or replaces the card and policy of a known one,
// keeping its status, and audits the change at p.AddedAt.
func (s *Store) PutPeer(ctx context.Context, actor string, p *crossguard.Peer, at time.Time) error {
	c := &p.Card
	kinds := p.Kinds
	if kinds == nil {
		kinds = []string{}
	}
	err := s.write(ctx, func(w *writeTx) error {
		w.queue(wrapExec("upsert peer"), upsertPeer, c.ID, c.Agency, c.Country, c.Name, c.URL, c.PublicKey,
			c.Protocol, p.Relationship, kinds, p.MaxTLP, p.OriginOnly, p.AddedAt)
		w.audit(storekit.PeerAddAudit(actor, p, at))
		return nil
	})
	if err != nil {
		return fmt.Errorf("put peer %s: %w", c.ID, err)
	}
	return nil
}

// peerColumns are the columns of a peer, in scanPeer's order.
const peerColumns = `id, agency, country, name, url, public_key, protocol, relationship, kinds, max_tlp,
    origin_only, added_at, cursor, remote_head, last_exchange, received, refused, sent, last_error,
    last_error_at, last_served_at, policy_version, reconciled_version, last_refusal, last_refusal_at,
    last_refusal_kind, last_refusal_id, last_refusal_origin, refused_unacked, withdrawals_received, withdrawals_sent`

// scanPeer scans one row of peerColumns.
func scanPeer(row pgx.Row) (*crossguard.Peer, error) {
	var p crossguard.Peer
	c, st := &p.Card, &p.Status
	var r crossguard.PeerRefusal
	var refusalAt *time.Time
	err := row.Scan(&c.ID, &c.Agency, &c.Country, &c.Name, &c.URL, &c.PublicKey, &c.Protocol,
		&p.Relationship, &p.Kinds, &p.MaxTLP, &p.OriginOnly, &p.AddedAt, &st.Cursor, &st.RemoteHead,
		&st.LastExchange, &st.Received, &st.Refused, &st.Sent, &st.LastError, &st.LastErrorAt, &st.LastServed,
		&p.PolicyVersion, &p.ReconciledVersion,
		&r.Reason, &refusalAt, &r.Kind, &r.ID, &r.Origin, &r.Unacknowledged, &st.WithdrawalsReceived, &st.WithdrawalsSent)
	if err != nil {
		return nil, err
	}
	if refusalAt != nil {
		r.At, r.Class = refusalAt.UTC(), crossguard.RefusalClass(r.Reason)
		st.LastRefusal = &r
	}
	p.AddedAt = p.AddedAt.UTC()
	st.LastExchange, st.LastErrorAt, st.LastServed = utcPtr(st.LastExchange), utcPtr(st.LastErrorAt), utcPtr(st.LastServed)
	return &p, nil
}

// Peer returns one peer with its status, or ENOTFOUND.
func (s *Store) Peer(ctx context.Context, id string) (*crossguard.Peer, error) {
	p, err := scanPeer(s.pool.QueryRow(ctx, `SELECT `+peerColumns+` FROM peers WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, crossguard.Errorf(crossguard.ENOTFOUND, "peer %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("peer %s: %w", id, err)
	}
	if err := s.addRefusalCounts(ctx, []*crossguard.Peer{p}, `WHERE peer = $1`, id); err != nil {
		return nil, err
	}
	return p, nil
}

// addRefusalCounts sets the RefusedByClass of peers from the rows of
// peer_refusals that where (with args) selects.
func (s *Store) addRefusalCounts(ctx context.Context, peers []*crossguard.Peer, where string, args ...any) error {
	_, err := queryRows(ctx, s.pool, "read refusals by class", storekit.AddRefusalCounts(peers),
		`SELECT peer, class, count FROM peer_refusals `+where, args...)
	return err
}

// Peers lists the peers by id, with their status.
func (s *Store) Peers(ctx context.Context) ([]*crossguard.Peer, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+peerColumns+` FROM peers ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("peers: %w", err)
	}
	peers, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*crossguard.Peer, error) { return scanPeer(r) })
	if err != nil {
		return nil, fmt.Errorf("peers: %w", err)
	}
	if err := s.addRefusalCounts(ctx, peers, ``); err != nil {
		return nil, err
	}
	return peers, nil
}

// RemovePeer forgets a peer and its status, and audits it; ENOTFOUND if
// unknown. What it may hold stays (the removed node keeps its copies, and
// should it be added again, it is reconciled against them), and so do the
// copies the peer sent and its sources of them: its last offers support
// them, and it may withdraw them if it is added again. The entry is
// stamped at.
func (s *Store) RemovePeer(ctx context.Context, actor, id string, at time.Time) error {
	err := s.write(ctx, func(w *writeTx) error {
		w.queue(peerChanged(id), `DELETE FROM peers WHERE id = $1`, id)
		w.audit(storekit.PeerRemoveAudit(actor, id, at))
		return nil
	})
	if err != nil {
		return fmt.Errorf("remove peer %s: %w", id, err)
	}
	return nil
}

// peerChanged returns a result reader that fails with ENOTFOUND if the
// statement about peer id changed no row.
func peerChanged(id string) func(pgx.BatchResults) error {
	return func(br pgx.BatchResults) error {
		tag, err := br.Exec()
		if err != nil {
			return fmt.Errorf("peer %s: %w", id, err)
		}
		if tag.RowsAffected() == 0 {
			return crossguard.Errorf(crossguard.ENOTFOUND, "peer %s not found", id)
		}
		return nil
	}
}

// MarkReconciled records that the records served to a peer were brought
// in line with its policy of version v, unless a later version already
// was; ENOTFOUND if the peer is unknown.
func (s *Store) MarkReconciled(ctx context.Context, id string, v int64) error {
	return s.updatePeer(ctx, id, `UPDATE peers SET reconciled_version = greatest(reconciled_version, $2) WHERE id = $1`, v)
}

// NotePeerError records a failed exchange with a peer; ENOTFOUND if
// unknown.
func (s *Store) NotePeerError(ctx context.Context, id, msg string, at time.Time) error {
	return s.updatePeer(ctx, id, `UPDATE peers SET last_error = $2, last_error_at = $3 WHERE id = $1`, msg, at)
}

// NotePeerPulled records a pull that found nothing new: the peer's head and
// the time of the exchange, clearing the last error (not the last refusal,
// which waits for an acknowledgement); ENOTFOUND if unknown.
func (s *Store) NotePeerPulled(ctx context.Context, id string, remoteHead int64, at time.Time) error {
	return s.updatePeer(ctx, id, `UPDATE peers SET remote_head = $2, last_exchange = $3, last_error = '',
		last_error_at = NULL WHERE id = $1`, remoteHead, at)
}

// NotePeerRefusal records a refusal outside an applied page (a page
// refused whole): counted, by class, and kept as the peer's last refusal;
// ENOTFOUND if the peer is unknown.
func (s *Store) NotePeerRefusal(ctx context.Context, id string, r crossguard.Refusal, at time.Time) error {
	err := s.write(ctx, func(w *writeTx) error {
		w.queue(peerChanged(id), `UPDATE peers SET refused = refused + 1 WHERE id = $1`, id)
		w.keepRefusals(id, r, 1, map[string]int64{crossguard.RefusalClass(r.Reason): 1}, at)
		return nil
	})
	if err != nil {
		return fmt.Errorf("note a refusal from %s: %w", id, err)
	}
	return nil
}

// AckPeerRefusals clears the last refusal of a peer and its count since
// the last acknowledgement, audits it and returns what it cleared (nil if
// nothing); ENOTFOUND if the peer is unknown.
func (s *Store) AckPeerRefusals(ctx context.Context, actor, id string, at time.Time) (*crossguard.PeerRefusal, error) {
	var acked *crossguard.PeerRefusal
	err := s.write(ctx, func(w *writeTx) error {
		p, err := scanPeer(w.tx.QueryRow(ctx, `SELECT `+peerColumns+` FROM peers WHERE id = $1 FOR UPDATE`, id))
		if errors.Is(err, pgx.ErrNoRows) {
			return crossguard.Errorf(crossguard.ENOTFOUND, "peer %s not found", id)
		}
		if err != nil {
			return fmt.Errorf("read: %w", err)
		}
		acked = p.Status.LastRefusal
		w.queue(peerChanged(id), `UPDATE peers SET last_refusal = '', last_refusal_at = NULL, last_refusal_kind = '',
			last_refusal_id = '', last_refusal_origin = '', refused_unacked = 0 WHERE id = $1`, id)
		w.audit(&crossguard.AuditEntry{At: at, Actor: actor, Action: crossguard.ActionPeerAck,
			RecordKind: "peer", RecordID: id, Outcome: crossguard.OutcomeOK, Detail: storekit.AckDetail(acked)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("acknowledge refusals from %s: %w", id, err)
	}
	return acked, nil
}

// updatePeer runs an update of the status of peer id ($1), which needs no
// change sequence number or audit entry and so no heads lock.
func (s *Store) updatePeer(ctx context.Context, id, sql string, args ...any) error {
	tag, err := s.pool.Exec(ctx, sql, append([]any{id}, args...)...)
	if err != nil {
		return fmt.Errorf("update peer %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return crossguard.Errorf(crossguard.ENOTFOUND, "peer %s not found", id)
	}
	return nil
}
