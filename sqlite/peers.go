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

var _ crossguard.PeerStore = (*Store)(nil)

// peerNotFound is the error of an unknown peer.
func peerNotFound(id string) error {
	return crossguard.Errorf(crossguard.ENOTFOUND, "peer %s not found (add its card with crossguard peer add)", id)
}

// PutPeer adds a peer or replaces the card and policy of a known one,
// keeping its status, and audits it.
func (s *Store) PutPeer(ctx context.Context, actor string, p *crossguard.Peer, at time.Time) error {
	kinds, err := json.Marshal(p.Kinds)
	if err != nil {
		return fmt.Errorf("put peer %s: encode kinds: %w", p.Card.ID, err)
	}
	return s.write(ctx, "put peer", func(tx *writeTx) error {
		c := &p.Card
		// A new peer starts at policy version 1, reconciled unless it was
		// a peer before and may still hold what it was served; a known
		// one's version goes up, which leaves its reconcile pending.
		_, err := tx.ExecContext(ctx, `INSERT INTO peers (id, agency, country, name, url, public_key, protocol, relationship, kinds, max_tlp, origin_only, added_at,
				policy_version, reconciled_version)
			VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 1, CASE WHEN EXISTS (SELECT 1 FROM shares WHERE peer = ?1) THEN 0 ELSE 1 END)
			ON CONFLICT (id) DO UPDATE SET agency = excluded.agency, country = excluded.country, name = excluded.name, url = excluded.url,
				public_key = excluded.public_key, protocol = excluded.protocol, relationship = excluded.relationship, kinds = excluded.kinds,
				max_tlp = excluded.max_tlp, origin_only = excluded.origin_only,
				policy_version = peers.policy_version + 1`,
			c.ID, c.Agency, c.Country, c.Name, c.URL, c.PublicKey, c.Protocol, p.Relationship, string(kinds), p.MaxTLP, p.OriginOnly, formatTime(p.AddedAt))
		if err != nil {
			return fmt.Errorf("put peer %s: %w", c.ID, err)
		}
		return tx.audit(ctx, storekit.PeerAddAudit(actor, p, at))
	})
}

// peerColumns are the columns scanPeer reads.
const peerColumns = `id, agency, country, name, url, public_key, protocol, relationship, kinds, max_tlp, origin_only, added_at,
	cursor, remote_head, last_exchange, received, refused, sent, last_error, last_error_at, last_served_at,
	policy_version, reconciled_version, last_refusal, last_refusal_at, last_refusal_kind, last_refusal_id,
	last_refusal_origin, refused_unacked, withdrawals_received, withdrawals_sent`

// scanPeer reads a row of peerColumns.
func scanPeer(row interface{ Scan(...any) error }) (*crossguard.Peer, error) {
	var p crossguard.Peer
	c, st := &p.Card, &p.Status
	var kinds, added string
	var exchange, errorAt, served, refusalAt sql.NullString
	var r crossguard.PeerRefusal
	err := row.Scan(&c.ID, &c.Agency, &c.Country, &c.Name, &c.URL, &c.PublicKey, &c.Protocol, &p.Relationship, &kinds, &p.MaxTLP,
		&p.OriginOnly, &added, &st.Cursor, &st.RemoteHead, &exchange, &st.Received, &st.Refused, &st.Sent, &st.LastError, &errorAt, &served,
		&p.PolicyVersion, &p.ReconciledVersion,
		&r.Reason, &refusalAt, &r.Kind, &r.ID, &r.Origin, &r.Unacknowledged, &st.WithdrawalsReceived, &st.WithdrawalsSent)
	if err != nil {
		return nil, err
	}
	if refusalAt.Valid {
		if r.At, err = parseTime(refusalAt.String); err != nil {
			return nil, fmt.Errorf("peer %s: %w", c.ID, err)
		}
		r.Class = crossguard.RefusalClass(r.Reason)
		st.LastRefusal = &r
	}
	if err := json.Unmarshal([]byte(kinds), &p.Kinds); err != nil {
		return nil, fmt.Errorf("peer %s: kinds: %w", c.ID, err)
	}
	if p.AddedAt, err = parseTime(added); err != nil {
		return nil, fmt.Errorf("peer %s: %w", c.ID, err)
	}
	for _, t := range []struct {
		dst **time.Time
		src sql.NullString
	}{{&st.LastExchange, exchange}, {&st.LastErrorAt, errorAt}, {&st.LastServed, served}} {
		if *t.dst, err = parseNullTime(t.src); err != nil {
			return nil, fmt.Errorf("peer %s: %w", c.ID, err)
		}
	}
	return &p, nil
}

// Peer returns one peer with its status, or ENOTFOUND.
func (s *Store) Peer(ctx context.Context, id string) (*crossguard.Peer, error) {
	p, err := scanPeer(s.r.QueryRowContext(ctx, `SELECT `+peerColumns+` FROM peers WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, peerNotFound(id)
	} else if err != nil {
		return nil, fmt.Errorf("read peer %s: %w", id, err)
	}
	if err := s.addRefusalCounts(ctx, []*crossguard.Peer{p}, `WHERE peer = ?`, id); err != nil {
		return nil, err
	}
	return p, nil
}

// addRefusalCounts sets the RefusedByClass of peers from the rows of
// peer_refusals that where (with args) selects.
func (s *Store) addRefusalCounts(ctx context.Context, peers []*crossguard.Peer, where string, args ...any) error {
	_, err := queryRows(ctx, s.r, "read refusals by class", storekit.AddRefusalCounts(peers),
		`SELECT peer, class, count FROM peer_refusals `+where, args...)
	return err
}

// Peers lists the peers by id.
func (s *Store) Peers(ctx context.Context) ([]*crossguard.Peer, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+peerColumns+` FROM peers ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list peers: %w", err)
	}
	defer rows.Close()
	peers := []*crossguard.Peer{}
	for rows.Next() {
		p, err := scanPeer(rows)
		if err != nil {
			return nil, fmt.Errorf("list peers: %w", err)
		}
		peers = append(peers, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list peers: %w", err)
	}
	if err := s.addRefusalCounts(ctx, peers, ``); err != nil {
		return nil, err
	}
	return peers, nil
}

// RemovePeer forgets a peer and its status, and audits it; ENOTFOUND if
// unknown. What it may hold stays: the removed node keeps its copies, and
// should it be added again, it is reconciled against them.
func (s *Store) RemovePeer(ctx context.Context, actor, id string, at time.Time) error {
	return s.write(ctx, "remove peer", func(tx *writeTx) error {
		if err := updatePeer(ctx, tx, id, `DELETE FROM peers WHERE id = ?`, id); err != nil {
			return err
		}
		return tx.audit(ctx, storekit.PeerRemoveAudit(actor, id, at))
	})
}

// updatePeer runs a statement that changes the row of peer id, failing
// with ENOTFOUND if it changed none.
func updatePeer(ctx context.Context, tx *writeTx, id, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("update peer %s: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("update peer %s: %w", id, err)
	}
	if n == 0 {
		return peerNotFound(id)
	}
	return nil
}

// MarkReconciled records that the records served to a peer were brought
// in line with its policy of version v, unless a later version already
// was; ENOTFOUND if the peer is unknown.
func (s *Store) MarkReconciled(ctx context.Context, id string, v int64) error {
	return s.write(ctx, "mark peer reconciled", func(tx *writeTx) error {
		return updatePeer(ctx, tx, id, `UPDATE peers SET reconciled_version = max(reconciled_version, ?) WHERE id = ?`, v, id)
	})
}

// NotePeerError records a failed exchange with a peer.
func (s *Store) NotePeerError(ctx context.Context, id, msg string, at time.Time) error {
	return s.write(ctx, "note peer error", func(tx *writeTx) error {
		return updatePeer(ctx, tx, id, `UPDATE peers SET last_error = ?, last_error_at = ? WHERE id = ?`, msg, formatTime(at), id)
	})
}

// NotePeerPulled records a pull that found nothing new: the peer's head
// and the time of the exchange; it clears the last error but not the last
// refusal, which waits for an operator's acknowledgement.
func (s *Store) NotePeerPulled(ctx context.Context, id string, remoteHead int64, at time.Time) error {
	return s.write(ctx, "note peer pulled", func(tx *writeTx) error {
		return updatePeer(ctx, tx, id, `UPDATE peers SET remote_head = ?, last_exchange = ?, last_error = '', last_error_at = NULL WHERE id = ?`,
			remoteHead, formatTime(at), id)
	})
}

// AckPeerRefusals clears the last refusal of a peer and its count since
// the last acknowledgement, audits it and returns what it cleared (nil if
// nothing); ENOTFOUND if the peer is unknown.
func (s *Store) AckPeerRefusals(ctx context.Context, actor, id string, at time.Time) (*crossguard.PeerRefusal, error) {
	var acked *crossguard.PeerRefusal
	err := s.write(ctx, "acknowledge peer refusals", func(tx *writeTx) error {
		p, err := scanPeer(tx.QueryRowContext(ctx, `SELECT `+peerColumns+` FROM peers WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return peerNotFound(id)
		} else if err != nil {
			return fmt.Errorf("acknowledge refusals from %s: %w", id, err)
		}
		acked = p.Status.LastRefusal
		err = updatePeer(ctx, tx, id, `UPDATE peers SET last_refusal = '', last_refusal_at = NULL, last_refusal_kind = '',
			last_refusal_id = '', last_refusal_origin = '', refused_unacked = 0 WHERE id = ?`, id)
		if err != nil {
			return err
		}
		return tx.audit(ctx, &crossguard.AuditEntry{At: at, Actor: actor, Action: crossguard.ActionPeerAck,
			RecordKind: "peer", RecordID: id, Outcome: crossguard.OutcomeOK, Detail: storekit.AckDetail(acked)})
	})
	if err != nil {
		return nil, err
	}
	return acked, nil
}

// NotePeerRefusal records a refusal outside an applied page (a page
// refused whole): counted, by class, and kept as the peer's last refusal.
func (s *Store) NotePeerRefusal(ctx context.Context, id string, r crossguard.Refusal, at time.Time) error {
	return s.write(ctx, "note peer refusal", func(tx *writeTx) error {
		if err := updatePeer(ctx, tx, id, `UPDATE peers SET refused = refused + 1 WHERE id = ?`, id); err != nil {
			return err
		}
		return keepRefusals(ctx, tx, id, r, 1, map[string]int64{crossguard.RefusalClass(r.Reason): 1}, at)
	})
}

// keepRefusals counts n refusals from a peer, by class, and keeps last as
// its last refusal until an operator acknowledges it.
func keepRefusals(ctx context.Context, tx *writeTx, peer string, last crossguard.Refusal, n int, byClass map[string]int64, at time.Time) error {
	err := updatePeer(ctx, tx, peer, `UPDATE peers SET last_refusal = ?, last_refusal_at = ?, last_refusal_kind = ?,
		last_refusal_id = ?, last_refusal_origin = ?, refused_unacked = refused_unacked + ? WHERE id = ?`,
		last.Reason, formatTime(at), last.Kind, last.ID, last.Origin, n, peer)
	if err != nil {
		return err
	}
	for class, c := range byClass {
		_, err := tx.ExecContext(ctx, `INSERT INTO peer_refusals (peer, class, count) VALUES (?, ?, ?)
			ON CONFLICT (peer, class) DO UPDATE SET count = count + excluded.count`, peer, class, c)
		if err != nil {
			return fmt.Errorf("count refusals from %s: %w", peer, err)
		}
	}
	return nil
}
