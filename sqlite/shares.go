package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"crossguard"
	"crossguard/storekit"
)

// The statements on what a peer (?1) may hold. A share whose withdrawn_seq
// is set is a withdrawal served at that change and not yet acknowledged:
// the peer may still hold the record, which the feed then withdraws again,
// so SharedWith reports it with version 0.
const (
	sharedWithSQL = `SELECT record, CASE WHEN withdrawn_seq IS NULL THEN version ELSE 0 END
		FROM shares WHERE peer = ?1 AND record IN `
	sharedIDsSQL = `SELECT record FROM shares WHERE peer = ?1 ORDER BY record`
	// A served version replaces the row, which clears its withdrawn_seq.
	shareSentSQL = `INSERT OR REPLACE INTO shares (peer, record, version, withdrawn_seq) VALUES `
	shareSentRow = `(?, ?, ?, NULL)`
	// A served withdrawal keeps the row, pending at the later of the
	// changes at which it was served (should two pages of the same peer
	// race, the one that read the record last marks it): acknowledging a
	// cursor between the two would forget a share whose withdrawal the
	// peer may not have been served. A record without a share (its
	// withdrawal already acknowledged) gets none.
	shareWithdrawnSQL = `UPDATE shares SET withdrawn_seq = max(coalesce(withdrawn_seq, 0), ?3)
		WHERE peer = ?1 AND record = ?2`
	// The peer's withdrawals served at or before a cursor (?2), through
	// shares_withdrawn: at each pull, finding none reads one index entry.
	pendingAckSQL = `SELECT 1 FROM shares WHERE peer = ?1 AND withdrawn_seq IS NOT NULL AND withdrawn_seq <= ?2 LIMIT 1`
	ackSQL        = `DELETE FROM shares WHERE peer = ?1 AND withdrawn_seq IS NOT NULL AND withdrawn_seq <= ?2`
)

// SharedWith returns, among ids, the records the peer may hold, with the
// version last served to it, or 0 for those whose withdrawal was served
// but not yet acknowledged.
func (s *Store) SharedWith(ctx context.Context, peer string, ids []string) (map[string]int64, error) {
	out := make(map[string]int64)
	err := inChunks(ids, 2, func(chunk []any, in string) error {
		rows, err := s.r.QueryContext(ctx, sharedWithSQL+in, append([]any{peer}, chunk...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			var v int64
			if err := rows.Scan(&id, &v); err != nil {
				return err
			}
			out[id] = v
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read what %s may hold: %w", peer, err)
	}
	return out, nil
}

// SharedIDs returns every record the peer may hold, those whose withdrawal
// is not yet acknowledged included.
func (s *Store) SharedIDs(ctx context.Context, peer string) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, sharedIDsSQL, peer)
	if err != nil {
		return nil, fmt.Errorf("read what %s may hold: %w", peer, err)
	}
	defer rows.Close()
	ids := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("read what %s may hold: %w", peer, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read what %s may hold: %w", peer, err)
	}
	return ids, nil
}

// RecordServed records, in one transaction, the versions served to a peer
// (clearing any pending withdrawal of them) and the withdrawals served to
// it (each share kept, pending at the withdrawal's Seq), counts them in its
// status, sets its last_served time and audits the page: one entry for the
// versions, one per withdrawal. ENOTFOUND if the peer is unknown.
func (s *Store) RecordServed(ctx context.Context, peer string, policy int64, sent []crossguard.Share, withdrawn []crossguard.Share, at time.Time) error {
	if len(sent) == 0 && len(withdrawn) == 0 {
		// Nothing to record: the check alone, outside the write lock. A
		// policy saved after this read reconciles after it, and touches
		// what this page passed over (docs/federation.md).
		return checkPolicy(ctx, s.r, peer, policy)
	}
	return s.write(ctx, "record served", func(tx *writeTx) error {
		// The write lock serialises this with PutPeer, in any process: the
		// policy read here is the peer's until this transaction commits.
		if err := checkPolicy(ctx, tx, peer, policy); err != nil {
			return err
		}
		err := updatePeer(ctx, tx, peer, `UPDATE peers SET sent = sent + ?, withdrawals_sent = withdrawals_sent + ?, last_served_at = ? WHERE id = ?`,
			len(sent)+len(withdrawn), len(withdrawn), formatTime(at), peer)
		if err != nil {
			return err
		}
		shares := newBulkInsert(tx.Tx, shareSentSQL, shareSentRow)
		defer shares.close()
		ids := make([]string, len(sent))
		for i, sh := range sent {
			ids[i] = sh.ID
			if err := shares.add(ctx, peer, sh.ID, sh.Version); err != nil {
				return fmt.Errorf("record served to %s: %w", peer, err)
			}
		}
		if err := shares.flush(ctx); err != nil {
			return fmt.Errorf("record served to %s: %w", peer, err)
		}
		if len(sent) > 0 {
			err := tx.audit(ctx, &crossguard.AuditEntry{At: at, Actor: peer, Action: crossguard.ActionFedShare, Outcome: crossguard.OutcomeOK,
				Detail: crossguard.AuditDetail("count", fmt.Sprint(len(sent)), "ids", strings.Join(ids, " "))})
			if err != nil {
				return err
			}
		}
		if len(withdrawn) == 0 {
			return nil
		}
		mark, err := tx.PrepareContext(ctx, shareWithdrawnSQL)
		if err != nil {
			return fmt.Errorf("record served to %s: %w", peer, err)
		}
		defer mark.Close()
		for _, w := range withdrawn {
			if _, err := mark.ExecContext(ctx, peer, w.ID, w.Seq); err != nil {
				return fmt.Errorf("record withdrawal of %s from %s: %w", w.ID, peer, err)
			}
			err := tx.audit(ctx, &crossguard.AuditEntry{At: at, Actor: peer, Action: crossguard.ActionFedWithdrawSent,
				RecordID: w.ID, Outcome: crossguard.OutcomeOK, Detail: w.Reason})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// checkPolicy fails with storekit.PolicyChanged unless the policy
// version of peer is want, and with ENOTFOUND if the peer is unknown.
func checkPolicy(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}, peer string, want int64) error {
	var v int64
	switch err := q.QueryRowContext(ctx, `SELECT policy_version FROM peers WHERE id = ?`, peer).Scan(&v); {
	case errors.Is(err, sql.ErrNoRows):
		return peerNotFound(peer)
	case err != nil:
		return fmt.Errorf("read the policy version of %s: %w", peer, err)
	case v != want:
		return storekit.PolicyChanged(peer, want, v)
	}
	return nil
}

// AckServed forgets the peer's shares whose withdrawal was served at or
// before cursor. It runs at every pull, so it first looks, on the read
// pool, whether there is any: only then does it take the write lock. An
// unknown peer has nothing to forget.
func (s *Store) AckServed(ctx context.Context, peer string, cursor int64) error {
	var one int
	switch err := s.r.QueryRowContext(ctx, pendingAckSQL, peer, cursor).Scan(&one); {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("acknowledge withdrawals served to %s up to %d: %w", peer, cursor, err)
	}
	return s.write(ctx, "acknowledge withdrawals", func(tx *writeTx) error {
		if _, err := tx.ExecContext(ctx, ackSQL, peer, cursor); err != nil {
			return fmt.Errorf("acknowledge withdrawals served to %s up to %d: %w", peer, cursor, err)
		}
		return nil
	})
}
