package postgres

import (
	"context"
	"fmt"
	"time"

	"crossguard"

	"github.com/jackc/pgx/v5"
)

// writeTx is a write transaction holding the lock on the heads row. It
// hands out change sequence numbers and chains audit entries; commit writes
// the pending entries and the new heads in the same round trip.
type writeTx struct {
	tx        pgx.Tx
	changeSeq int64
	auditSeq  int64
	auditHash string
	pending   []*crossguard.AuditEntry
	batch     pgx.Batch
	results   []func(pgx.BatchResults) error
}

// write runs fn in a transaction that starts by locking the heads row, so
// that writers, also in other processes, take turns: change sequence numbers
// are then gap-free in commit order and the audit log stays one chain. fn
// may query through w.tx and queue statements with w.queue; the queued
// statements, the audit entries and the new heads are then sent in one
// round trip, and commit together with everything else or not at all.
func (s *Store) write(ctx context.Context, fn func(w *writeTx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	w := &writeTx{tx: tx}
	err = tx.QueryRow(ctx, `SELECT change_seq, audit_seq, audit_hash FROM heads FOR UPDATE`).
		Scan(&w.changeSeq, &w.auditSeq, &w.auditHash)
	if err != nil {
		return fmt.Errorf("lock heads: %w", err)
	}
	if err := fn(w); err != nil {
		return err
	}
	if err := w.flush(ctx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// queue adds a statement to the batch sent before commit; read reads its
// result, turning a failure into the error the write returns.
func (w *writeTx) queue(read func(pgx.BatchResults) error, sql string, args ...any) {
	w.batch.Queue(sql, args...)
	w.results = append(w.results, read)
}

// flush queues the pending audit entries and the new heads, sends the batch
// and reads every result, returning the first error.
func (w *writeTx) flush(ctx context.Context) error {
	w.queueFinish()
	br := w.tx.SendBatch(ctx, &w.batch)
	for _, read := range w.results {
		if err := read(br); err != nil {
			br.Close()
			return err
		}
	}
	if err := br.Close(); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// nextSeq returns the next change sequence number.
func (w *writeTx) nextSeq() int64 {
	w.changeSeq++
	return w.changeSeq
}

// audit chains e after the last entry and queues it for insertion at commit.
func (w *writeTx) audit(e *crossguard.AuditEntry) {
	e.Chain(w.auditSeq, w.auditHash)
	w.auditSeq, w.auditHash = e.Seq, e.Hash
	w.pending = append(w.pending, e)
}

// recordAudit queues an ok entry about a record.
func (w *writeTx) recordAudit(at time.Time, actor, action, kind, id, detail string) {
	w.audit(&crossguard.AuditEntry{At: at, Actor: actor, Action: action, RecordKind: kind,
		RecordID: id, Outcome: crossguard.OutcomeOK, Detail: detail})
}

// insertAudit inserts many entries in one statement.
const insertAudit = `INSERT INTO audit (seq, at, actor, action, record_kind, record_id, outcome, detail, prev_hash, hash)
SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[],
                     $7::text[], $8::text[], $9::text[], $10::text[])`

// queueFinish queues the insertion of the pending audit entries and the
// update of the heads row.
func (w *writeTx) queueFinish() {
	if n := len(w.pending); n > 0 {
		seq, at := make([]int64, n), make([]time.Time, n)
		actor, action, kind, id := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		outcome, detail, prev, hash := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		for i, e := range w.pending {
			seq[i], at[i] = e.Seq, e.At
			actor[i], action[i], kind[i], id[i] = e.Actor, e.Action, e.RecordKind, e.RecordID
			outcome[i], detail[i], prev[i], hash[i] = e.Outcome, e.Detail, e.PrevHash, e.Hash
		}
		w.queue(wrapExec("append audit"), insertAudit, seq, at, actor, action, kind, id, outcome, detail, prev, hash)
	}
	w.queue(wrapExec("update heads"), `UPDATE heads SET change_seq = $1, audit_seq = $2, audit_hash = $3`,
		w.changeSeq, w.auditSeq, w.auditHash)
}

// wrapExec returns a result reader that wraps a statement's error with what.
func wrapExec(what string) func(pgx.BatchResults) error {
	return func(br pgx.BatchResults) error {
		if _, err := br.Exec(); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	}
}
