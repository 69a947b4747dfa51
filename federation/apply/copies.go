package apply

import (
	"cmp"
	"slices"

	"crossguard"
)

// sourceKey names a source: a record and the peer that offered it.
type sourceKey struct{ id, peer string }

// change is how far a decision has changed one row: the version stored
// (nil if none) and the tick of its latest change.
type change struct {
	stored *crossguard.Incoming
	last   int
}

// decider takes decisions against what is held, which it updates as it
// goes, and collects the batch that writes them.
type decider struct {
	held    *Held
	changes map[string]*change
	ticks   int
	dirty   map[sourceKey]bool // sources added, changed or removed
	audit   []*crossguard.AuditEntry
	res     crossguard.ApplyResult
	// switched counts the copies that switched to another source.
	switched int
}

// newDecider returns a decider over h, creating its maps if they are nil.
func newDecider(h *Held) *decider {
	if h.Rows == nil {
		h.Rows = map[string]*Row{}
	}
	if h.Sources == nil {
		h.Sources = map[string]map[string]Source{}
	}
	return &decider{held: h, changes: map[string]*change{}, dirty: map[sourceKey]bool{}}
}

// setSource records that peer offers src of record id.
func (d *decider) setSource(id, peer string, src Source) {
	m := d.held.Sources[id]
	if m == nil {
		m = map[string]Source{}
		d.held.Sources[id] = m
	}
	if cur, ok := m[peer]; ok && cur.Version == src.Version && slices.Equal(cur.Path, src.Path) {
		return
	}
	m[peer] = src
	d.dirty[sourceKey{id, peer}] = true
}

// dropSource removes peer from the sources of record id, reporting whether
// it was one.
func (d *decider) dropSource(id, peer string) bool {
	m := d.held.Sources[id]
	if _, ok := m[peer]; !ok {
		return false
	}
	delete(m, peer)
	d.dirty[sourceKey{id, peer}] = true
	return true
}

// dropSources removes every source of record id.
func (d *decider) dropSources(id string) {
	for p := range d.held.Sources[id] {
		d.dropSource(id, p)
	}
}

// write notes that the row of record id changes now, storing in unless it
// is nil.
func (d *decider) write(id string, in *crossguard.Incoming) {
	c := d.changes[id]
	if c == nil {
		c = &change{}
		d.changes[id] = c
	}
	if in != nil {
		c.stored = in
	}
	d.ticks++
	c.last = d.ticks
}

// resupport settles the live received copy row of record id after one of
// its sources went: it stays if its current source still offers its
// version; otherwise it switches to the source with the lowest peer id
// that does, at a new change so that the feed serves its new path; and
// without one it is withdrawn as rm says.
func (d *decider) resupport(id string, row *Row, rm Removal) {
	srcs := d.held.Sources[id]
	if src, ok := srcs[row.Via]; ok && src.Version == row.Version {
		return
	}
	best := ""
	for peer, src := range srcs {
		if src.Version == row.Version && (best == "" || peer < best) {
			best = peer
		}
	}
	if best != "" {
		row.Via, row.Path = best, srcs[best].Path
		d.write(id, nil)
		d.switched++
		return
	}
	d.remove(id, row, rm)
}

// remove withdraws the live copy row of record id as rm says: the row
// keeps only what names the record, at a new change, so that the feed
// serves a withdrawal of it to the peers this node passed it on to.
func (d *decider) remove(id string, row *Row, rm Removal) {
	row.Deleted, row.Withdrawn, row.Path = true, true, nil
	d.write(id, nil)
	d.audit = append(d.audit, &crossguard.AuditEntry{At: rm.At, Actor: rm.Actor, Action: rm.Action,
		RecordKind: row.Kind, RecordID: id, Outcome: crossguard.OutcomeOK, Detail: rm.Reason})
	d.res.Withdrawn++
}

// batch returns the rows and sources changed, in the orders Batch gives,
// with the audit entries and counts so far.
func (d *decider) batch() *Batch {
	b := &Batch{Audit: d.audit, Result: d.res, Switched: d.switched}
	b.Changes = make([]Change, 0, len(d.changes))
	for id, c := range d.changes {
		b.Changes = append(b.Changes, Change{ID: id, Row: d.held.Rows[id], Stored: c.stored})
	}
	slices.SortFunc(b.Changes, func(x, y Change) int { return cmp.Compare(d.changes[x.ID].last, d.changes[y.ID].last) })
	b.Sources = make([]SourceChange, 0, len(d.dirty))
	for k := range d.dirty {
		src, ok := d.held.Sources[k.id][k.peer]
		b.Sources = append(b.Sources, SourceChange{ID: k.id, Peer: k.peer, Source: src, Gone: !ok})
	}
	slices.SortFunc(b.Sources, func(x, y SourceChange) int {
		return cmp.Or(cmp.Compare(x.ID, y.ID), cmp.Compare(x.Peer, y.Peer))
	})
	return b
}
