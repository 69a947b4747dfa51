package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// bulkRows is how many rows one multi-row INSERT writes. Each statement
// execution costs a round through database/sql, the driver and the VDBE's
// setup whatever its size, so batches write their rows a hundred at a time
// rather than one by one.
const bulkRows = 100

// bulkInsert writes rows into one table with multi-row INSERT statements,
// prepared on a transaction once per row count and reused until closed.
type bulkInsert struct {
	tx    *sql.Tx
	head  string // "INSERT INTO table (columns) VALUES "
	row   string // the values of one row, e.g. "(?, ?, 0, ?)"
	tail  string // after the rows, e.g. an ON CONFLICT clause; may be ""
	cols  int    // placeholders in row
	stmts map[int]*sql.Stmt
	args  []any // the values of the rows added and not yet written
	rows  int
}

// newBulkInsert returns a bulkInsert on tx of head ("INSERT INTO table
// (columns) VALUES ") with row, the values of one row.
func newBulkInsert(tx *sql.Tx, head, row string) *bulkInsert {
	return &bulkInsert{tx: tx, head: head, row: row, cols: strings.Count(row, "?"), stmts: map[int]*sql.Stmt{}}
}

// stmt returns the statement that inserts n rows.
func (b *bulkInsert) stmt(ctx context.Context, n int) (*sql.Stmt, error) {
	if st, ok := b.stmts[n]; ok {
		return st, nil
	}
	var q strings.Builder
	q.Grow(len(b.head) + n*(len(b.row)+1) + len(b.tail))
	q.WriteString(b.head)
	for i := range n {
		if i > 0 {
			q.WriteByte(',')
		}
		q.WriteString(b.row)
	}
	q.WriteString(b.tail)
	st, err := b.tx.PrepareContext(ctx, q.String())
	if err != nil {
		return nil, fmt.Errorf("prepare %s%d rows: %w", b.head, n, err)
	}
	b.stmts[n] = st
	return st, nil
}

// exec inserts n rows of args at once.
func (b *bulkInsert) exec(ctx context.Context, n int, args []any) error {
	if n == 0 {
		return nil
	}
	if len(args) != n*b.cols {
		return fmt.Errorf("%s%d rows: %d values, want %d", b.head, n, len(args), n*b.cols)
	}
	st, err := b.stmt(ctx, n)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, args...)
	return err
}

// add queues one row, writing the queue once it holds bulkRows rows.
func (b *bulkInsert) add(ctx context.Context, vals ...any) error {
	b.args = append(b.args, vals...)
	b.rows++
	if b.rows < bulkRows {
		return nil
	}
	return b.flush(ctx)
}

// flush writes the queued rows.
func (b *bulkInsert) flush(ctx context.Context) error {
	err := b.exec(ctx, b.rows, b.args)
	clear(b.args) // let the values go
	b.args, b.rows = b.args[:0], 0
	return err
}

// close closes the prepared statements.
func (b *bulkInsert) close() {
	for _, st := range b.stmts {
		st.Close()
	}
}
