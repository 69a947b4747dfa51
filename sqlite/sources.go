package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"crossguard"
)

// reasonLoop is the audit detail of a copy removed because the only peers
// that supported it offered it back along a path through this node.
const reasonLoop = "its last source offered it along a path through this node: that copy depends on this one"

// encodePath returns path as stored: a JSON array, or "" for none.
func encodePath(path []string) string {
	if len(path) == 0 {
		return ""
	}
	b, err := json.Marshal(path)
	if err != nil {
		panic(fmt.Sprintf("sqlite: encode a path: %v", err)) // a []string always encodes
	}
	return string(b)
}

// decodePath returns the path stored as JSON in s, nil for none.
func decodePath(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	var path []string
	if err := json.Unmarshal([]byte(s), &path); err != nil {
		return nil, fmt.Errorf("decode path %q: %w", s, err)
	}
	if len(path) == 0 {
		return nil, nil
	}
	return path, nil
}

// putSource records the page's peer as a source of record id at version
// with path (JSON), unless it already is one just so. The row is written
// by flushSources.
func (a *applier) putSource(id string, version int64, path string) {
	src := source{version: version, path: path}
	if old, ok := a.sources[id][a.p.Peer]; ok && old == src {
		return
	}
	if a.sources[id] == nil {
		a.sources[id] = map[string]source{}
	}
	a.sources[id][a.p.Peer] = src
	a.sourcesDue[id] = true
}

// flushSources writes the sources of the page's peer that putSource
// recorded since the last flush, many rows a statement.
func (a *applier) flushSources(ctx context.Context) error {
	for id := range a.sourcesDue {
		src, ok := a.sources[id][a.p.Peer]
		if !ok {
			continue
		}
		if err := a.stmts.sources.add(ctx, id, a.p.Peer, src.version, src.path); err != nil {
			return fmt.Errorf("record sources from %s: %w", a.p.Peer, err)
		}
	}
	clear(a.sourcesDue)
	if err := a.stmts.sources.flush(ctx); err != nil {
		return fmt.Errorf("record sources from %s: %w", a.p.Peer, err)
	}
	return nil
}

// clearSources forgets every source of record id.
func (a *applier) clearSources(ctx context.Context, id string) error {
	delete(a.sourcesDue, id)
	if len(a.sources[id]) == 0 {
		return nil
	}
	if _, err := a.stmts.sourcesDel.ExecContext(ctx, id); err != nil {
		return fmt.Errorf("forget sources: %w", err)
	}
	delete(a.sources, id)
	return nil
}

// supports records that the page's peer supports the live copy row of
// record id at its version with path (JSON). If the peer is the copy's
// current source and its path changed, the copy takes the new path at the
// next change, so that the feed serves it on.
func (a *applier) supports(ctx context.Context, id string, row *heldRow, version int64, path string) error {
	a.putSource(id, version, path)
	if row.via != a.p.Peer || row.path == path {
		return nil
	}
	return a.setVia(ctx, id, row, a.p.Peer, path)
}

// copies is the one path by which this node switches a received copy to
// another source or removes it, whether a peer withdrew it or offered it
// in a loop (ApplyPage) or the node removes it itself (retention, a
// removed peer's copies): the change feed then serves a withdrawal of it
// to the peers this node passed it on to. sources are the sources of the
// records at hand, by id and peer; sourcesDue the ids whose source of the
// page's peer is not yet written (applier.flushSources).
type copies struct {
	tx         *writeTx
	page       string // the peer whose page is applied; "" outside ApplyPage
	st         *seizureStmts
	stmts      *applyStmts
	sources    map[string]map[string]source
	sourcesDue map[string]bool
	removed    int // copies removed
	switched   int // copies switched to another source
}

// removal is how a removed copy is audited.
type removal struct {
	actor, action, reason string
	at                    time.Time
}

// unindex removes the goods lines and full-text row of a live seizure.
func (a *copies) unindex(ctx context.Context, old *heldRow) error {
	if old.table != tableSeizures || old.deleted {
		return nil
	}
	return a.st.unindex(ctx, &storedSeizure{key: old.key, ftsKey: old.ftsKey})
}

// setVia makes via, with path (JSON), the current source of the copy row
// of record id, at the next change.
func (a *copies) setVia(ctx context.Context, id string, row *heldRow, via, path string) error {
	stmt := a.stmts.recordVia
	if row.table == tableSeizures {
		stmt = a.stmts.seizureVia
	}
	if _, err := stmt.ExecContext(ctx, a.tx.nextSeq(), via, nullIfEmpty(path), id); err != nil {
		return fmt.Errorf("switch to source %s: %w", via, err)
	}
	row.via, row.path = via, path
	a.switched++
	return nil
}

// dropSource removes peer as a source of record id, held as row (nil if
// not held). A live copy that no source supports any more (none at its
// version) is removed as rm says; one whose current source no longer
// supports it switches to the supporting source with the lowest peer id.
func (a *copies) dropSource(ctx context.Context, peer, id string, row *heldRow, rm removal) error {
	if _, ok := a.sources[id][peer]; ok {
		if peer == a.page {
			delete(a.sourcesDue, id) // the row of an earlier page, if any, goes below
		}
		if _, err := a.stmts.sourceDel.ExecContext(ctx, id, peer); err != nil {
			return fmt.Errorf("forget source %s: %w", peer, err)
		}
		delete(a.sources[id], peer)
	}
	if row == nil || row.deleted {
		return nil
	}
	if cur, ok := a.sources[id][row.via]; ok && cur.version == row.version {
		return nil
	}
	best, found := "", false
	var bestSrc source
	for peer, src := range a.sources[id] {
		if src.version == row.version && (!found || peer < best) {
			best, bestSrc, found = peer, src, true
		}
	}
	if found {
		return a.setVia(ctx, id, row, best, bestSrc.path)
	}
	return a.remove(ctx, id, row, rm)
}

// remove removes the live copy row of record id: unindexed, its content
// dropped but for what names it, at the next change; it counts and audits
// the removal as rm says.
func (a *copies) remove(ctx context.Context, id string, row *heldRow, rm removal) error {
	body, err := withdrawnBody(id, row.kind, row.origin, row.version)
	if err != nil {
		return err
	}
	stmt := a.stmts.recordWithdraw
	if row.table == tableSeizures {
		if err := a.unindex(ctx, row); err != nil {
			return fmt.Errorf("withdraw %s: %w", id, err)
		}
		stmt = a.stmts.seizureWithdraw
	}
	if _, err := stmt.ExecContext(ctx, a.tx.nextSeq(), body, id); err != nil {
		return fmt.Errorf("withdraw %s: %w", id, err)
	}
	row.deleted, row.withdrawn, row.path = true, true, ""
	a.removed++
	return a.tx.audit(ctx, &crossguard.AuditEntry{At: rm.at, Actor: rm.actor, Action: rm.action,
		RecordKind: row.kind, RecordID: id, Outcome: crossguard.OutcomeOK, Detail: rm.reason})
}
