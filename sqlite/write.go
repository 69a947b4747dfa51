package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"crossguard"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// writeTx is a write transaction holding the database's write lock, with
// the heads row it started from.
type writeTx struct {
	*sql.Tx
	changeSeq int64  // last change sequence number assigned
	auditSeq  int64  // last audit entry
	auditHash string // hash of the last audit entry
	addAudit  *sql.Stmt
}

// write runs fn in a write transaction. The transaction begins IMMEDIATE
// (the writer's _txlock), so it holds the file's write lock from the start,
// across processes; it reads the heads row, lets fn assign change numbers
// and chain audit entries, writes the heads back and commits. If fn fails
// nothing is kept.
func (s *Store) write(ctx context.Context, what string, fn func(tx *writeTx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", what, err)
	}
	defer tx.Rollback()
	w := &writeTx{Tx: tx}
	err = tx.QueryRowContext(ctx, `SELECT change_seq, audit_seq, audit_hash FROM heads WHERE singleton = 1`).
		Scan(&w.changeSeq, &w.auditSeq, &w.auditHash)
	if err != nil {
		return fmt.Errorf("%s: read heads: %w", what, err)
	}
	start, startAudit := w.changeSeq, w.auditSeq
	if err := fn(w); err != nil {
		return err
	}
	if w.changeSeq != start || w.auditSeq != startAudit {
		_, err = tx.ExecContext(ctx, `UPDATE heads SET change_seq = ?, audit_seq = ?, audit_hash = ? WHERE singleton = 1`,
			w.changeSeq, w.auditSeq, w.auditHash)
		if err != nil {
			return fmt.Errorf("%s: update heads: %w", what, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", what, err)
	}
	return nil
}

// nextSeq assigns the next change sequence number.
func (w *writeTx) nextSeq() int64 {
	w.changeSeq++
	return w.changeSeq
}

// The statement that appends audit entries: an INSERT into auditInto
// and one auditRow per entry.
const (
	auditInto      = `audit (seq, at, actor, action, record_kind, record_id, outcome, detail, prev_hash, hash) VALUES `
	auditRow       = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	insertAuditSQL = `INSERT INTO ` + auditInto + auditRow
)

// audit chains e after the last entry and appends it.
func (w *writeTx) audit(ctx context.Context, e *crossguard.AuditEntry) error {
	if w.addAudit == nil {
		st, err := w.PrepareContext(ctx, insertAuditSQL)
		if err != nil {
			return fmt.Errorf("prepare audit insert: %w", err)
		}
		w.addAudit = st
	}
	e.Chain(w.auditSeq, w.auditHash)
	_, err := w.addAudit.ExecContext(ctx, e.Seq, formatAuditTime(e.At), e.Actor, e.Action, e.RecordKind, e.RecordID,
		e.Outcome, e.Detail, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("append audit entry %d: %w", e.Seq, err)
	}
	w.auditSeq, w.auditHash = e.Seq, e.Hash
	return nil
}

// auditBulk returns a bulkInsert of audit entries on the transaction, for
// queueAudit. Like the other multi-row inserts (see seizureStmts), it is
// OR ROLLBACK: an error fails the whole transaction.
func (w *writeTx) auditBulk() *bulkInsert {
	return newBulkInsert(w.Tx, `INSERT OR ROLLBACK INTO `+auditInto, auditRow)
}

// queueAudit chains e after the last entry and queues it on b, which the
// caller flushes before the transaction ends.
func (w *writeTx) queueAudit(ctx context.Context, b *bulkInsert, e *crossguard.AuditEntry) error {
	e.Chain(w.auditSeq, w.auditHash)
	err := b.add(ctx, e.Seq, formatAuditTime(e.At), e.Actor, e.Action, e.RecordKind, e.RecordID,
		e.Outcome, e.Detail, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("append audit entries up to %d: %w", e.Seq, err)
	}
	w.auditSeq, w.auditHash = e.Seq, e.Hash
	return nil
}

// isCode reports whether err is a SQLite error with this primary or
// extended result code.
func isCode(err error, code int) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && (e.Code() == code || e.Code()&0xff == code)
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY constraint
// violation naming column ("table.column").
func isUnique(err error, column string) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	code := e.Code()
	return (code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) &&
		strings.Contains(e.Error(), column)
}
