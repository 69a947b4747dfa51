package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"crossguard"
	"crossguard/storekit"
)

// ApplyPage applies a page of a peer's feed in one transaction (see
// crossguard.FeedStore and applier). New live seizures are written with
// multi-row INSERTs, as CreateSeizures writes them; if one of them
// conflicts on its FTS key the transaction rolls back and the page is
// applied again writing them one by one.
func (s *Store) ApplyPage(ctx context.Context, p *crossguard.InboundPage) (*crossguard.ApplyResult, error) {
	// Encode before taking the write lock, so that it is held briefly. A
	// record that cannot be encoded fails the page only if it is to be
	// stored (not if it is refused, held already or a loop).
	bodies := make([]encoded, len(p.Records))
	for i, r := range p.Records {
		bodies[i].body, bodies[i].err = incomingBody(r)
	}
	var res *crossguard.ApplyResult
	apply := func(bulk bool) error {
		return s.write(ctx, "apply a page from "+p.Peer, func(tx *writeTx) error {
			a := &applier{copies: copies{tx: tx, page: p.Peer}, p: p, bodies: bodies, bulk: bulk}
			var err error
			res, err = a.run(ctx)
			return err
		})
	}
	err := apply(true)
	if errors.Is(err, errBulkConflict) {
		err = apply(false)
	}
	if err != nil {
		return nil, err
	}
	return res, nil
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
		if len(r.Signed.Record) == 0 {
			return "", crossguard.Errorf(crossguard.EINVALID, "received %s %s has no signed record", h.Kind, h.ID)
		}
		return string(r.Signed.Record), nil
	case r.Seizure == nil || r.Seizure.ID != h.ID:
		return "", crossguard.Errorf(crossguard.EINVALID, "received seizure %s comes without its decoded record", h.ID)
	default:
		v = r.Seizure
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode received record %s: %w", h.ID, err)
	}
	return string(b), nil
}

// withdrawnBody is all a withdrawn copy keeps: what names the record.
func withdrawnBody(id, kind, origin string, version int64) (string, error) {
	b, err := json.Marshal(struct {
		ID      string `json:"id"`
		Kind    string `json:"kind"`
		Origin  string `json:"origin"`
		Version int64  `json:"version"`
	}{id, kind, origin, version})
	if err != nil {
		return "", fmt.Errorf("encode withdrawn copy %s: %w", id, err)
	}
	return string(b), nil
}

// Refusal reasons of the store.
const (
	reasonOwn         = "a version of this node's own record"
	reasonOwnWithdraw = "withdrawal of this node's own record"
)

// applier applies one page in a write transaction. Its copies are the
// sources of the records the page names, kept up to date as the page is
// applied, and the path by which it switches and removes copies.
type applier struct {
	copies
	p      *crossguard.InboundPage
	bodies []encoded // of p.Records
	bulk   bool      // insert new live seizures many rows at a time
	self   string    // this node's id
	held   map[string]*heldRow
	// lastKey is the last seizures key in use.
	lastKey int64
	// pending are new live seizures not yet inserted, pendingIDs their
	// ids, texts the full-text rows not yet written.
	pending    []newSeizure
	pendingIDs map[string]bool
	texts      []ftsRow
	res        crossguard.ApplyResult
	applied    []string
	// withdrawals counts the page's withdrawals that dropped the peer as
	// a source of a copy.
	withdrawals int
}

// run applies the page and returns what it did.
func (a *applier) run(ctx context.Context) (*crossguard.ApplyResult, error) {
	p := a.p
	var one int
	err := a.tx.QueryRowContext(ctx, `SELECT 1 FROM peers WHERE id = ?`, p.Peer).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, peerNotFound(p.Peer)
	} else if err != nil {
		return nil, fmt.Errorf("apply a page from %s: %w", p.Peer, err)
	}
	err = a.tx.QueryRowContext(ctx, `SELECT node_id FROM node WHERE singleton = 1`).Scan(&a.self)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("apply a page from %s: read node: %w", p.Peer, err)
	}
	if err := a.prepare(ctx); err != nil {
		return nil, fmt.Errorf("apply a page from %s: %w", p.Peer, err)
	}
	defer a.close()
	for _, r := range p.Refused {
		if err := a.auditRefusal(ctx, r); err != nil {
			return nil, err
		}
	}
	for i, r := range p.Records {
		if err := a.record(ctx, r, a.bodies[i]); err != nil {
			return nil, err
		}
	}
	for _, w := range p.Withdrawals {
		if err := a.withdrawal(ctx, w); err != nil {
			return nil, err
		}
	}
	if err := a.flush(ctx); err != nil {
		return nil, err
	}
	if err := a.finish(ctx); err != nil {
		return nil, err
	}
	return &a.res, nil
}

// prepare reads the rows the page names and prepares the statements.
func (a *applier) prepare(ctx context.Context) error {
	ids := make([]string, 0, len(a.p.Records)+len(a.p.Withdrawals))
	for _, r := range a.p.Records {
		ids = append(ids, r.Header.ID)
	}
	for _, w := range a.p.Withdrawals {
		ids = append(ids, w.ID)
	}
	var err error
	if a.held, err = readHeld(ctx, a.tx, ids); err != nil {
		return err
	}
	if a.sources, err = readSources(ctx, a.tx, ids); err != nil {
		return err
	}
	if err := a.tx.QueryRowContext(ctx, `SELECT coalesce(max(key), 0) FROM seizures`).Scan(&a.lastKey); err != nil {
		return fmt.Errorf("read last key: %w", err)
	}
	if a.st, err = prepareSeizureStmts(ctx, a.tx); err != nil {
		return err
	}
	if a.stmts, err = prepareApplyStmts(ctx, a.tx); err != nil {
		return err
	}
	a.pendingIDs = map[string]bool{}
	a.sourcesDue = map[string]bool{}
	return nil
}

// close closes the prepared statements.
func (a *applier) close() {
	if a.st != nil {
		a.st.close()
	}
	if a.stmts != nil {
		a.stmts.close()
	}
}

// refuse records a refusal of the store.
func (a *applier) refuse(ctx context.Context, r crossguard.Refusal) error {
	a.res.Refused = append(a.res.Refused, r)
	return a.auditRefusal(ctx, r)
}

// auditRefusal appends the audit entry of a refused envelope.
func (a *applier) auditRefusal(ctx context.Context, r crossguard.Refusal) error {
	return a.tx.audit(ctx, &crossguard.AuditEntry{At: a.p.At, Actor: a.p.Peer, Action: crossguard.ActionFedRefuse,
		RecordKind: r.Kind, RecordID: r.ID, Outcome: crossguard.OutcomeDenied, Detail: r.Reason})
}

// record applies one received record version, or refuses it: a newer
// version replaces the copy and makes the peer its source, an equal one
// adds the peer as a source, and one whose path runs through this node (a
// loop) drops the peer as a source instead, as a withdrawal would.
func (a *applier) record(ctx context.Context, r *crossguard.Incoming, enc encoded) error {
	h := &r.Header
	if a.pendingIDs[h.ID] { // the page names the record twice
		if err := a.flush(ctx); err != nil {
			return err
		}
	}
	old := a.held[h.ID]
	refusal := crossguard.Refusal{ID: h.ID, Kind: h.Kind, Origin: h.Origin}
	switch {
	case old != nil && old.kind != h.Kind:
		refusal.Reason = fmt.Sprintf("record %s is a %s, not a %s", h.ID, old.kind, h.Kind)
	case old != nil && old.origin != h.Origin:
		refusal.Reason = fmt.Sprintf("record %s belongs to %s, not %s", h.ID, old.origin, h.Origin)
	case h.Origin == a.self:
		refusal.Reason = reasonOwn
	case slices.Contains(r.Path, a.self):
		// The sender's copy depends on this node's: it no longer supports
		// the record.
		a.res.Looped++
		if err := a.dropSource(ctx, a.p.Peer, h.ID, old, a.removal(reasonLoop)); err != nil {
			return fmt.Errorf("apply a looped offer of %s %s from %s: %w", h.Kind, h.ID, a.p.Peer, err)
		}
		return nil
	case old != nil && h.Version < old.version:
		refusal.Reason = fmt.Sprintf("version %d is older than the version %d held here: a replay", h.Version, old.version)
	case old != nil && !old.withdrawn && h.Version == old.version:
		a.res.Unchanged++
		if r.Deleted || old.deleted {
			return nil
		}
		if err := a.supports(ctx, h.ID, old, h.Version, encodePath(r.Path)); err != nil {
			return fmt.Errorf("apply %s %s version %d from %s: %w", h.Kind, h.ID, h.Version, a.p.Peer, err)
		}
		return nil
	}
	if refusal.Reason != "" {
		return a.refuse(ctx, refusal)
	}
	if enc.err != nil {
		return enc.err
	}
	body, path := enc.body, encodePath(r.Path)
	var err error
	switch {
	case h.Kind != crossguard.KindSeizure:
		err = a.putRecord(ctx, r, old, body, path)
	case r.Deleted:
		err = a.seizureTombstone(ctx, r, old, body)
	default:
		err = a.liveSeizure(ctx, r, old, body, path)
	}
	if err == nil && r.Deleted {
		err = a.clearSources(ctx, h.ID)
	} else if err == nil {
		a.putSource(h.ID, h.Version, path)
	}
	if err != nil {
		return fmt.Errorf("apply %s %s version %d from %s: %w", h.Kind, h.ID, h.Version, a.p.Peer, err)
	}
	a.res.Applied++
	a.applied = append(a.applied, h.ID)
	return nil
}

// liveSeizure stores a live seizure version that came along path (JSON),
// indexed as local writes index it.
func (a *applier) liveSeizure(ctx context.Context, r *crossguard.Incoming, old *heldRow, body, path string) error {
	sz := r.Seizure
	seq := a.tx.nextSeq()
	if old == nil {
		a.lastKey++
		n := newSeizure{Seizure: sz, key: a.lastKey, seq: seq, ftsKey: seqKey(sz.OccurredAt, seq), body: body, via: a.p.Peer, signed: &r.Signed, path: path}
		a.pending = append(a.pending, n)
		a.pendingIDs[sz.ID] = true
		a.held[sz.ID] = &heldRow{table: tableSeizures, key: n.key, ftsKey: n.ftsKey, kind: sz.Kind, origin: sz.Origin, via: a.p.Peer, path: path, version: sz.Version}
		return nil
	}
	if err := a.unindex(ctx, old); err != nil {
		return err
	}
	ftsKey := seqKey(sz.OccurredAt, seq)
	update := func(ftsKey int64) error {
		_, err := a.stmts.seizureLive.ExecContext(ctx, ftsKey, seq, sz.Origin, sz.Version, formatTime(sz.CreatedAt), formatTime(sz.UpdatedAt),
			unixNano(sz.OccurredAt), sz.Country, sz.Distribution, sz.Marking.TLP, body, a.p.Peer, string(r.Signed.Record), r.Signed.Signature,
			nullIfEmpty(path), old.key)
		return err
	}
	err := update(ftsKey)
	if isUnique(err, "seizures.fts_key") {
		if ftsKey, err = freeKey(ctx, a.st.freeKey, sz.OccurredAt); err != nil {
			return err
		}
		err = update(ftsKey)
	}
	if err != nil {
		return err
	}
	if err := a.st.addGoodsLines(ctx, old.key, sz); err != nil {
		return err
	}
	a.texts = append(a.texts, textOf(ftsKey, sz))
	*old = heldRow{table: tableSeizures, key: old.key, ftsKey: ftsKey, kind: sz.Kind, origin: sz.Origin, via: a.p.Peer, path: path, version: sz.Version}
	return nil
}

// seizureTombstone stores the origin's tombstone of a seizure, held or
// not.
func (a *applier) seizureTombstone(ctx context.Context, r *crossguard.Incoming, old *heldRow, body string) error {
	h := &r.Header
	seq := a.tx.nextSeq()
	if old == nil {
		a.lastKey++
		_, err := a.stmts.seizureTombNew.ExecContext(ctx, a.lastKey, h.ID, seq, h.Origin, h.Version, formatTime(h.CreatedAt), formatTime(h.UpdatedAt),
			h.Distribution, h.Marking.TLP, body, a.p.Peer, string(r.Signed.Record), r.Signed.Signature)
		if err != nil {
			return err
		}
		a.held[h.ID] = &heldRow{table: tableSeizures, key: a.lastKey, kind: h.Kind, origin: h.Origin, via: a.p.Peer, version: h.Version, deleted: true}
		return nil
	}
	if err := a.unindex(ctx, old); err != nil {
		return err
	}
	_, err := a.stmts.seizureTomb.ExecContext(ctx, seq, h.Origin, h.Version, formatTime(h.CreatedAt), formatTime(h.UpdatedAt),
		h.Distribution, h.Marking.TLP, body, a.p.Peer, string(r.Signed.Record), r.Signed.Signature, old.key)
	if err != nil {
		return err
	}
	*old = heldRow{table: tableSeizures, key: old.key, kind: h.Kind, origin: h.Origin, via: a.p.Peer, version: h.Version, deleted: true}
	return nil
}

// putRecord stores a version of a record of another kind, live (that came
// along path, JSON) or a tombstone, held or not.
func (a *applier) putRecord(ctx context.Context, r *crossguard.Incoming, old *heldRow, body, path string) error {
	h := &r.Header
	var target any
	if !r.Deleted && r.Target != "" {
		target = r.Target
	}
	if r.Deleted {
		path = ""
	}
	_, err := a.stmts.recordPut.ExecContext(ctx, h.ID, h.Kind, a.tx.nextSeq(), h.Origin, h.Version, formatTime(h.CreatedAt), formatTime(h.UpdatedAt),
		h.Distribution, h.Marking.TLP, r.Deleted, target, body, a.p.Peer, string(r.Signed.Record), r.Signed.Signature, nullIfEmpty(path))
	if err != nil {
		return err
	}
	a.held[h.ID] = &heldRow{table: tableRecords, kind: h.Kind, origin: h.Origin, via: a.p.Peer, path: path, version: h.Version, deleted: r.Deleted}
	if old != nil {
		a.held[h.ID].key = old.key
	}
	return nil
}

// removal is how the page audits a copy it removes: by its peer, at its
// time, as a withdrawal for reason.
func (a *applier) removal(reason string) removal {
	return removal{actor: a.p.Peer, action: crossguard.ActionFedWithdrawn, reason: reason, at: a.p.At}
}

// withdrawal removes the peer as a source of a copy, and the copy if no
// source is left, or refuses to.
func (a *applier) withdrawal(ctx context.Context, w crossguard.Withdrawal) error {
	if a.pendingIDs[w.ID] {
		if err := a.flush(ctx); err != nil {
			return err
		}
	}
	old := a.held[w.ID]
	refusal := crossguard.Refusal{ID: w.ID, Kind: w.Kind, Origin: w.Origin}
	_, source := a.sources[w.ID][a.p.Peer]
	switch {
	case old == nil:
		return nil
	case old.via == "" || old.origin == a.self:
		refusal.Reason = reasonOwnWithdraw
		return a.refuse(ctx, refusal)
	case !source && old.deleted:
		return nil
	case !source:
		refusal.Reason = fmt.Sprintf("withdrawal from %s of a copy received from %s", a.p.Peer, old.via)
		return a.refuse(ctx, refusal)
	}
	if err := a.dropSource(ctx, a.p.Peer, w.ID, old, a.removal(w.Reason)); err != nil {
		return fmt.Errorf("apply the withdrawal of %s from %s: %w", w.ID, a.p.Peer, err)
	}
	a.withdrawals++
	return nil
}

// flush inserts the pending new seizures with their goods lines and
// writes the pending full-text rows.
func (a *applier) flush(ctx context.Context) error {
	args := make([]any, 0, bulkRows*a.st.received.cols)
	for lo := 0; lo < len(a.pending); lo += bulkRows {
		chunk := a.pending[lo:min(lo+bulkRows, len(a.pending))]
		var err error
		if args, err = a.st.insertSeizures(ctx, chunk, args, a.bulk); err != nil {
			return fmt.Errorf("apply a page from %s: %w", a.p.Peer, err)
		}
		for i := range chunk {
			n := &chunk[i]
			if err := a.st.addGoodsLines(ctx, n.key, n.Seizure); err != nil {
				return fmt.Errorf("apply a page from %s: %w", a.p.Peer, err)
			}
			a.texts = append(a.texts, textOf(n.ftsKey, n.Seizure))
			a.held[n.ID].ftsKey = n.ftsKey
		}
	}
	clear(a.pending)
	a.pending = a.pending[:0]
	clear(a.pendingIDs)
	if err := a.st.goods.flush(ctx); err != nil {
		return fmt.Errorf("apply a page from %s: goods lines: %w", a.p.Peer, err)
	}
	if err := a.st.addTexts(ctx, a.texts); err != nil {
		return fmt.Errorf("apply a page from %s: %w", a.p.Peer, err)
	}
	a.texts = a.texts[:0]
	return a.flushSources(ctx)
}

// finish audits the page and updates the peer's status.
func (a *applier) finish(ctx context.Context) error {
	p := a.p
	a.res.Withdrawn = a.removed
	refused := len(p.Refused) + len(a.res.Refused)
	err := a.tx.audit(ctx, &crossguard.AuditEntry{At: p.At, Actor: p.Peer, Action: crossguard.ActionFedReceive, Outcome: crossguard.OutcomeOK,
		Detail: crossguard.AuditDetail("cursor", fmt.Sprint(p.Cursor), "applied", fmt.Sprint(a.res.Applied), "unchanged", fmt.Sprint(a.res.Unchanged),
			"withdrawn", fmt.Sprint(a.res.Withdrawn), "looped", fmt.Sprint(a.res.Looped), "refused", fmt.Sprint(refused), "ids", strings.Join(a.applied, " "))})
	if err != nil {
		return err
	}
	var lastError string
	var lastErrorAt any
	if refused > 0 {
		lastError = crossguard.RefusalSummary(p.Peer, append(append([]crossguard.Refusal{}, p.Refused...), a.res.Refused...))
		lastErrorAt = formatTime(p.At)
	}
	err = updatePeer(ctx, a.tx, p.Peer, `UPDATE peers SET cursor = ?, remote_head = ?, last_exchange = ?, received = received + ?,
		refused = refused + ?, last_error = ?, last_error_at = ?, withdrawals_received = withdrawals_received + ? WHERE id = ?`,
		p.Cursor, p.RemoteHead, formatTime(p.At), a.res.Applied, refused, lastError, lastErrorAt, a.withdrawals, p.Peer)
	if err != nil || refused == 0 {
		return err
	}
	return a.keepRefusals(ctx)
}

// keepRefusals keeps the page's last refusal in the peer's status until an
// operator acknowledges it, and counts the page's refusals by class.
func (a *applier) keepRefusals(ctx context.Context) error {
	p := a.p
	return keepRefusals(ctx, a.tx, p.Peer, *storekit.LastRefusalOf(p, &a.res), len(p.Refused)+len(a.res.Refused),
		storekit.CountRefusals(p.Refused, a.res.Refused), p.At)
}
