package sqlite

import (
	"context"
	"fmt"

	"crossguard"
	"crossguard/federation/apply"
	"crossguard/storekit"
)

// batchWriter writes a batch that the apply package decided, in a write
// transaction: the one path by which this node stores received versions
// and switches or withdraws received copies, whether on a page (ApplyPage)
// or on its own removal (retention, a removed peer's purge).
type batchWriter struct {
	tx    *writeTx
	st    *seizureStmts
	stmts *applyStmts
	// rows are the rows held, as read and then as written, with their keys.
	rows map[string]*heldRow
	// bodies are the encoded bodies of the versions a page stores.
	bodies map[*crossguard.Incoming]encoded
	bulk   bool // insert new live seizures many rows at a time
	// lastKey is the last seizures key in use, once read (haveKey).
	lastKey int64
	haveKey bool
	// pending are new live seizures not yet inserted, texts the full-text
	// rows not yet written.
	pending []newSeizure
	texts   []ftsRow
}

// newBatchWriter prepares the statements of a batchWriter over the rows
// read.
func newBatchWriter(ctx context.Context, tx *writeTx, rows map[string]*heldRow) (*batchWriter, error) {
	w := &batchWriter{tx: tx, rows: rows}
	var err error
	if w.st, err = prepareSeizureStmts(ctx, tx); err != nil {
		return nil, err
	}
	if w.stmts, err = prepareApplyStmts(ctx, tx); err != nil {
		w.st.close()
		return nil, err
	}
	return w, nil
}

// close closes the prepared statements.
func (w *batchWriter) close() {
	w.st.close()
	w.stmts.close()
}

// write writes batch b: each row it changed takes one change sequence
// number, in the order of their latest change; the versions it stores
// are written first (new live seizures many at a time), then the copies
// that switch source or are withdrawn, then the sources, the versions
// kept in the quarantine and the audit entries.
func (w *batchWriter) write(ctx context.Context, b *apply.Batch) error {
	seqs := make([]int64, len(b.Changes))
	for i := range b.Changes {
		seqs[i] = w.tx.nextSeq()
	}
	for i, c := range b.Changes {
		if c.Stored == nil {
			continue
		}
		if err := w.store(ctx, c, seqs[i]); err != nil {
			h := &c.Stored.Header
			return fmt.Errorf("store %s %s version %d: %w", h.Kind, h.ID, h.Version, err)
		}
	}
	if err := w.flush(ctx); err != nil {
		return err
	}
	for i, c := range b.Changes {
		var err error
		switch {
		case c.Row.Withdrawn:
			err = w.withdraw(ctx, c.ID, c.Row, seqs[i])
		case c.Stored == nil:
			err = w.setVia(ctx, c.ID, c.Row, seqs[i])
		}
		if err != nil {
			return err
		}
	}
	if err := w.writeSources(ctx, b.Sources); err != nil {
		return err
	}
	if err := w.keep(ctx, b.Quarantined); err != nil {
		return err
	}
	ab := w.tx.auditBulk()
	defer ab.close()
	for _, e := range b.Audit {
		if err := w.tx.queueAudit(ctx, ab, e); err != nil {
			return err
		}
	}
	return ab.flush(ctx)
}

// unindex removes the goods lines and full-text row of row, if it is a
// live seizure.
func (w *batchWriter) unindex(ctx context.Context, row *heldRow) error {
	if row == nil || row.table != tableSeizures || row.deleted {
		return nil
	}
	return w.st.unindex(ctx, &storedSeizure{key: row.key, ftsKey: row.ftsKey})
}

// setVia gives the live copy row of record id its current source and path
// under change sequence number seq, its content unchanged.
func (w *batchWriter) setVia(ctx context.Context, id string, row *apply.Row, seq int64) error {
	stmt := w.stmts.recordVia
	if row.Kind == crossguard.KindSeizure {
		stmt = w.stmts.seizureVia
	}
	if _, err := stmt.ExecContext(ctx, seq, row.Via, nullIfEmpty(storekit.EncodePath(row.Path)), id); err != nil {
		return fmt.Errorf("switch %s to source %s: %w", id, row.Via, err)
	}
	return nil
}

// withdraw withdraws the copy row of record id under change sequence
// number seq: unindexed, its content dropped but for what names it.
func (w *batchWriter) withdraw(ctx context.Context, id string, row *apply.Row, seq int64) error {
	body, err := storekit.WithdrawnBody(id, row.Kind, row.Origin, row.Version)
	if err != nil {
		return err
	}
	stmt := w.stmts.recordWithdraw
	if row.Kind == crossguard.KindSeizure {
		if err := w.unindex(ctx, w.rows[id]); err != nil {
			return fmt.Errorf("withdraw %s: %w", id, err)
		}
		stmt = w.stmts.seizureWithdraw
	}
	if _, err := stmt.ExecContext(ctx, seq, body, id); err != nil {
		return fmt.Errorf("withdraw %s: %w", id, err)
	}
	return nil
}

// writeSources writes the sources a batch added, changed or removed, the
// added and changed many rows a statement.
func (w *batchWriter) writeSources(ctx context.Context, changes []apply.SourceChange) error {
	for _, c := range changes {
		var err error
		if c.Gone {
			_, err = w.stmts.sourceDel.ExecContext(ctx, c.ID, c.Peer)
		} else {
			err = w.stmts.sources.add(ctx, c.ID, c.Peer, c.Source.Version, storekit.EncodePath(c.Source.Path))
		}
		if err != nil {
			return fmt.Errorf("record source %s of %s: %w", c.Peer, c.ID, err)
		}
	}
	if err := w.stmts.sources.flush(ctx); err != nil {
		return fmt.Errorf("record sources: %w", err)
	}
	return nil
}

// flush inserts the pending new seizures with their goods lines and
// writes the pending goods lines and full-text rows.
func (w *batchWriter) flush(ctx context.Context) error {
	args := make([]any, 0, bulkRows*w.st.received.cols)
	for lo := 0; lo < len(w.pending); lo += bulkRows {
		chunk := w.pending[lo:min(lo+bulkRows, len(w.pending))]
		var err error
		if args, err = w.st.insertSeizures(ctx, chunk, args, w.bulk); err != nil {
			return err
		}
		for i := range chunk {
			n := &chunk[i]
			if err := w.st.addGoodsLines(ctx, n.key, n.Seizure); err != nil {
				return err
			}
			w.texts = append(w.texts, textOf(n.ftsKey, n.Seizure))
			w.rows[n.ID].ftsKey = n.ftsKey
		}
	}
	w.pending = w.pending[:0]
	if err := w.st.goods.flush(ctx); err != nil {
		return fmt.Errorf("goods lines: %w", err)
	}
	if err := w.st.addTexts(ctx, w.texts); err != nil {
		return err
	}
	w.texts = w.texts[:0]
	return nil
}
