package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"crossguard"
	"crossguard/storekit"

	"github.com/jackc/pgx/v5"
)

// upsertShares records versions served to a peer ($1): the peer may hold
// them from then on, and any withdrawal of them served before is void.
const upsertShares = `INSERT INTO shares (peer, record_id, version)
SELECT $1, u.id, u.version FROM unnest($2::text[], $3::bigint[]) AS u(id, version)
ON CONFLICT (peer, record_id) DO UPDATE SET version = excluded.version, withdrawn_seq = NULL`

// markWithdrawn records withdrawals served to a peer ($1), each at a
// change sequence number: the share stays, pending, until the peer pulls
// past it (AckServed). A share already pending keeps the later of the two
// numbers (should two pages of the same peer race, the one that read the
// record last marks it): acknowledging a cursor between the two would
// forget a share whose withdrawal the peer may not have been served. A
// record without a share (its withdrawal already acknowledged) gets none.
const markWithdrawn = `UPDATE shares SET withdrawn_seq = greatest(shares.withdrawn_seq, u.seq)
FROM unnest($2::text[], $3::bigint[]) AS u(id, seq)
WHERE shares.peer = $1 AND shares.record_id = u.id`

// RecordServed records, in one transaction, the versions served to a peer
// (clearing any pending withdrawal of them) and the withdrawals served to
// it (each share kept, pending at the withdrawal's Seq), counts them in
// its status, sets its last_served time, and audits the page: one entry
// for the versions sent, one per withdrawal. ENOTFOUND if the peer is
// unknown.
func (s *Store) RecordServed(ctx context.Context, peer string, policy int64, sent []crossguard.Share, withdrawn []crossguard.Share, at time.Time) error {
	if len(sent) == 0 && len(withdrawn) == 0 {
		// Nothing to record: the check alone, without a transaction. A
		// policy saved after this read reconciles after it, and touches
		// what this page passed over (docs/federation.md).
		return checkPolicy(ctx, s.pool, peer, policy, "")
	}
	err := s.write(ctx, func(w *writeTx) error {
		// FOR SHARE holds the peer's row until commit: a PutPeer (which
		// also waits for the heads lock this transaction holds) cannot
		// change the policy between this check and the shares recorded.
		if err := checkPolicy(ctx, w.tx, peer, policy, " FOR SHARE"); err != nil {
			return err
		}
		w.queue(peerChanged(peer), `UPDATE peers SET sent = sent + $2, last_served_at = $3,
			withdrawals_sent = withdrawals_sent + $4 WHERE id = $1`, peer, len(sent)+len(withdrawn), at, len(withdrawn))
		if len(sent) > 0 {
			// A peer can be served a record only once per page; should an
			// id come twice, its last version is the one kept.
			last := make(map[string]int, len(sent))
			for i, sh := range sent {
				last[sh.ID] = i
			}
			var ids []string
			var versions []int64
			for i, sh := range sent {
				if last[sh.ID] == i {
					ids, versions = append(ids, sh.ID), append(versions, sh.Version)
				}
			}
			w.queue(wrapExec("record shares"), upsertShares, peer, ids, versions)
			all := make([]string, len(sent))
			for i, sh := range sent {
				all[i] = sh.ID
			}
			w.audit(&crossguard.AuditEntry{At: at, Actor: peer, Action: crossguard.ActionFedShare,
				Outcome: crossguard.OutcomeOK, Detail: crossguard.AuditDetail("count", strconv.Itoa(len(sent)),
					"ids", strings.Join(all, " "))})
		}
		if len(withdrawn) > 0 {
			// An UPDATE ... FROM changes a row once whatever number of rows
			// match it: an id that came twice is marked at its latest seq.
			latest := make(map[string]int64, len(withdrawn))
			var ids []string
			for _, sh := range withdrawn {
				if seq, ok := latest[sh.ID]; !ok {
					ids = append(ids, sh.ID)
					latest[sh.ID] = sh.Seq
				} else {
					latest[sh.ID] = max(seq, sh.Seq)
				}
			}
			seqs := make([]int64, len(ids))
			for i, id := range ids {
				seqs[i] = latest[id]
			}
			w.queue(wrapExec("mark shares withdrawn"), markWithdrawn, peer, ids, seqs)
			for _, sh := range withdrawn {
				w.audit(&crossguard.AuditEntry{At: at, Actor: peer, Action: crossguard.ActionFedWithdrawSent,
					RecordID: sh.ID, Outcome: crossguard.OutcomeOK, Detail: sh.Reason})
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record what was served to %s: %w", peer, err)
	}
	return nil
}

// checkPolicy fails with storekit.PolicyChanged unless the policy version
// of peer is want, and with ENOTFOUND if the peer is unknown; lock is
// appended to the query.
func checkPolicy(ctx context.Context, q interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}, peer string, want int64, lock string) error {
	var v int64
	err := q.QueryRow(ctx, `SELECT policy_version FROM peers WHERE id = $1`+lock, peer).Scan(&v)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return crossguard.Errorf(crossguard.ENOTFOUND, "peer %s not found", peer)
	case err != nil:
		return fmt.Errorf("read the policy version of %s: %w", peer, err)
	case v != want:
		return storekit.PolicyChanged(peer, want, v)
	}
	return nil
}

// ackSQL forgets the shares of a peer ($1) whose withdrawal was served at
// or before a cursor ($2). It reads shares_withdrawn: at each pull, finding
// none reads one index entry.
const ackSQL = `DELETE FROM shares WHERE peer = $1 AND withdrawn_seq IS NOT NULL AND withdrawn_seq <= $2`

// AckServed forgets the peer's shares whose withdrawal was served at or
// before cursor. It is one statement outside the write lock: it assigns no
// change number and writes no audit entry, and it runs at every pull. An
// unknown peer has nothing to forget.
func (s *Store) AckServed(ctx context.Context, peer string, cursor int64) error {
	if _, err := s.pool.Exec(ctx, ackSQL, peer, cursor); err != nil {
		return fmt.Errorf("acknowledge withdrawals served to %s up to %d: %w", peer, cursor, err)
	}
	return nil
}

// touchSQL gives the records ($1) the change sequence numbers $2 in
// whichever table holds each.
const touchSQL = `WITH u AS (SELECT * FROM unnest($1::text[], $2::bigint[]) AS u(id, seq)),
s AS (UPDATE seizures SET seq = u.seq FROM u WHERE seizures.id = u.id)
UPDATE records SET seq = u.seq FROM u WHERE records.id = u.id`

// Touch gives each existing record of ids, in the order given, the next
// change sequence number so that the feed serves it again; nothing else
// changes. Unknown ids are ignored.
func (s *Store) Touch(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	err := s.write(ctx, func(w *writeTx) error {
		rows, err := w.tx.Query(ctx, `SELECT id FROM seizures WHERE id = ANY($1) UNION ALL SELECT id FROM records WHERE id = ANY($1)`, ids)
		if err != nil {
			return fmt.Errorf("find records: %w", err)
		}
		found, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return fmt.Errorf("find records: %w", err)
		}
		exists := make(map[string]bool, len(found))
		for _, id := range found {
			exists[id] = true
		}
		var touched []string
		var seqs []int64
		for _, id := range ids {
			if exists[id] {
				exists[id] = false // each record once
				touched, seqs = append(touched, id), append(seqs, w.nextSeq())
			}
		}
		if len(touched) > 0 {
			w.queue(wrapExec("touch records"), touchSQL, touched, seqs)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("touch %d records: %w", len(ids), err)
	}
	return nil
}
