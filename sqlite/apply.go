package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"crossguard"
	"crossguard/federation/apply"
	"crossguard/storekit"
)

// ApplyPage applies a page of a peer's feed in one transaction (see
// crossguard.FeedStore): it reads what the store holds of the records the
// page names, lets apply.Page decide what the page does, and writes the
// batch that comes back. New live seizures are written with multi-row
// INSERTs, as CreateSeizures writes them; if one of them conflicts on its
// FTS key the transaction rolls back and the page is applied again
// writing them one by one.
func (s *Store) ApplyPage(ctx context.Context, p *crossguard.InboundPage) (*crossguard.ApplyResult, error) {
	// Encode before taking the write lock, so that it is held briefly. A
	// record that cannot be encoded fails the page only if it is to be
	// stored (not if it is refused, held already or a loop).
	bodies := make(map[*crossguard.Incoming]encoded, len(p.Records))
	for _, r := range p.Records {
		if r == nil {
			continue
		}
		var e encoded
		e.body, e.err = incomingBody(r)
		bodies[r] = e
	}
	var res *crossguard.ApplyResult
	applyPage := func(bulk bool) error {
		return s.write(ctx, "apply a page from "+p.Peer, func(tx *writeTx) error {
			var err error
			res, err = writePage(ctx, tx, p, bodies, bulk)
			if err != nil {
				return fmt.Errorf("apply a page from %s: %w", p.Peer, err)
			}
			return nil
		})
	}
	err := applyPage(true)
	if errors.Is(err, errBulkConflict) {
		err = applyPage(false)
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// writePage applies page p in transaction tx: it reads what is held of
// the records p names, decides with apply.Page, and writes the batch and
// the peer's new status.
func writePage(ctx context.Context, tx *writeTx, p *crossguard.InboundPage, bodies map[*crossguard.Incoming]encoded, bulk bool) (*crossguard.ApplyResult, error) {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM peers WHERE id = ?`, p.Peer).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, peerNotFound(p.Peer)
	} else if err != nil {
		return nil, err
	}
	held, rows, err := readForApply(ctx, tx, apply.IDs(p))
	if err != nil {
		return nil, err
	}
	b, err := apply.Page(p, held)
	if err != nil {
		return nil, err
	}
	w, err := newBatchWriter(ctx, tx, rows)
	if err != nil {
		return nil, err
	}
	defer w.close()
	w.bodies, w.bulk = bodies, bulk
	if err := w.write(ctx, b); err != nil {
		return nil, err
	}
	if err := writeStatus(ctx, tx, p, b.Status); err != nil {
		return nil, err
	}
	return &b.Result, nil
}

// writeStatus updates the status of the peer of page p as st says.
func writeStatus(ctx context.Context, tx *writeTx, p *crossguard.InboundPage, st *apply.Status) error {
	var lastErrorAt any
	if st.LastError != "" {
		lastErrorAt = formatTime(p.At)
	}
	err := updatePeer(ctx, tx, p.Peer, `UPDATE peers SET cursor = ?, remote_head = ?, last_exchange = ?, received = received + ?,
		refused = refused + ?, last_error = ?, last_error_at = ?, withdrawals_received = withdrawals_received + ? WHERE id = ?`,
		p.Cursor, p.RemoteHead, formatTime(p.At), st.Applied, st.Refused, st.LastError, lastErrorAt, st.Withdrawals, p.Peer)
	if err != nil || st.LastRefusal == nil {
		return err
	}
	return keepRefusals(ctx, tx, p.Peer, *st.LastRefusal, st.Refused, st.RefusedByClass, p.At)
}

// encoded is the body a received record version is stored with, or why it
// cannot be stored.
type encoded struct {
	body string
	err  error
}

// incomingBody returns the body a received record version is stored with:
// the seizure's JSON, the signed record of another kind, or the header of
// a tombstone.
func incomingBody(r *crossguard.Incoming) (string, error) {
	h := &r.Header
	var v any
	switch {
	case r.Deleted:
		v = h
	case h.Kind != crossguard.KindSeizure:
		return string(r.Signed.Record), nil
	default:
		v = r.Seizure
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode received record %s: %w", h.ID, err)
	}
	return string(b), nil
}

// store writes the version that change c stores, under change sequence
// number seq, over the row held (if any), which it unindexes first if it
// is a live seizure.
func (w *batchWriter) store(ctx context.Context, c apply.Change, seq int64) error {
	enc := w.bodies[c.Stored]
	if enc.err != nil {
		return enc.err
	}
	old := w.rows[c.ID]
	if err := w.unindex(ctx, old); err != nil {
		return err
	}
	r, row := c.Stored, c.Row
	path := storekit.EncodePath(row.Path)
	switch {
	case r.Header.Kind != crossguard.KindSeizure:
		return w.putRecord(ctx, r, row, old, enc.body, path, seq)
	case r.Deleted:
		return w.seizureTombstone(ctx, r, row, old, enc.body, seq)
	}
	return w.liveSeizure(ctx, r, row, old, enc.body, path, seq)
}

// nextKey returns the key of a new seizures row: the next above the last
// in use.
func (w *batchWriter) nextKey(ctx context.Context) (int64, error) {
	if !w.haveKey {
		if err := w.tx.QueryRowContext(ctx, `SELECT coalesce(max(key), 0) FROM seizures`).Scan(&w.lastKey); err != nil {
			return 0, fmt.Errorf("read last key: %w", err)
		}
		w.haveKey = true
	}
	w.lastKey++
	return w.lastKey, nil
}

// liveSeizure stores a live seizure version from row.Via along path
// (JSON), indexed as local writes index it: a new one is inserted at the
// next flush, many rows a statement.
func (w *batchWriter) liveSeizure(ctx context.Context, r *crossguard.Incoming, row *apply.Row, old *heldRow, body, path string, seq int64) error {
	sz := r.Seizure
	if old == nil {
		key, err := w.nextKey(ctx)
		if err != nil {
			return err
		}
		n := newSeizure{Seizure: sz, key: key, seq: seq, ftsKey: seqKey(sz.OccurredAt, seq), body: body, via: row.Via, signed: &r.Signed, path: path}
		w.pending = append(w.pending, n)
		w.rows[sz.ID] = &heldRow{table: tableSeizures, key: key, ftsKey: n.ftsKey}
		return nil
	}
	ftsKey := seqKey(sz.OccurredAt, seq)
	update := func(ftsKey int64) error {
		_, err := w.stmts.seizureLive.ExecContext(ctx, ftsKey, seq, sz.Origin, sz.Version, formatTime(sz.CreatedAt), formatTime(sz.UpdatedAt),
			unixNano(sz.OccurredAt), sz.Country, sz.Distribution, sz.Marking.TLP, body, row.Via, string(r.Signed.Record), r.Signed.Signature,
			nullIfEmpty(path), old.key)
		return err
	}
	err := update(ftsKey)
	if isUnique(err, "seizures.fts_key") {
		if ftsKey, err = freeKey(ctx, w.st.freeKey, sz.OccurredAt); err != nil {
			return err
		}
		err = update(ftsKey)
	}
	if err != nil {
		return err
	}
	if err := w.st.addGoodsLines(ctx, old.key, sz); err != nil {
		return err
	}
	w.texts = append(w.texts, textOf(ftsKey, sz))
	*old = heldRow{table: tableSeizures, key: old.key, ftsKey: ftsKey}
	return nil
}

// seizureTombstone stores the origin's tombstone of a seizure, held or
// not.
func (w *batchWriter) seizureTombstone(ctx context.Context, r *crossguard.Incoming, row *apply.Row, old *heldRow, body string, seq int64) error {
	h := &r.Header
	if old == nil {
		key, err := w.nextKey(ctx)
		if err != nil {
			return err
		}
		_, err = w.stmts.seizureTombNew.ExecContext(ctx, key, h.ID, seq, h.Origin, h.Version, formatTime(h.CreatedAt), formatTime(h.UpdatedAt),
			h.Distribution, h.Marking.TLP, body, row.Via, string(r.Signed.Record), r.Signed.Signature)
		w.rows[h.ID] = &heldRow{table: tableSeizures, key: key, deleted: true}
		return err
	}
	_, err := w.stmts.seizureTomb.ExecContext(ctx, seq, h.Origin, h.Version, formatTime(h.CreatedAt), formatTime(h.UpdatedAt),
		h.Distribution, h.Marking.TLP, body, row.Via, string(r.Signed.Record), r.Signed.Signature, old.key)
	*old = heldRow{table: tableSeizures, key: old.key, deleted: true}
	return err
}

// putRecord stores a version of a record of another kind, live (from
// row.Via along path, JSON) or a tombstone, held or not.
func (w *batchWriter) putRecord(ctx context.Context, r *crossguard.Incoming, row *apply.Row, old *heldRow, body, path string, seq int64) error {
	h := &r.Header
	var target any
	if !r.Deleted && r.Target != "" {
		target = r.Target
	}
	_, err := w.stmts.recordPut.ExecContext(ctx, h.ID, h.Kind, seq, h.Origin, h.Version, formatTime(h.CreatedAt), formatTime(h.UpdatedAt),
		h.Distribution, h.Marking.TLP, r.Deleted, target, body, row.Via, string(r.Signed.Record), r.Signed.Signature, nullIfEmpty(path))
	if old == nil {
		w.rows[h.ID] = &heldRow{table: tableRecords, deleted: r.Deleted}
	} else {
		*old = heldRow{table: tableRecords, key: old.key, deleted: r.Deleted}
	}
	return err
}
