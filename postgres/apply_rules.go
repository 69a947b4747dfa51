package postgres

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"crossguard"
)

// heldRow is what the store holds of a record the page names, as the page
// has left it so far.
type heldRow struct {
	kind, origin, via  string
	path               string // the JSON of a live received copy's path; "" for none
	version            int64
	deleted, withdrawn bool
}

// source is a peer's offer of a received record: the version it sent and
// the JSON of the path it came along.
type source struct {
	version int64
	path    string
}

// sourceKey names a source: a record and the peer that offered it.
type sourceKey struct{ id, peer string }

// rowWrite is how the page changes one record's row: the version it stores
// (nil if the row keeps the content it has, and only its current source
// or state changes), and when it last changed it, so that rows take their
// change sequence numbers in the order of their latest change. The row's
// final state is in the applier's held rows.
type rowWrite struct {
	id, kind string
	in       *crossguard.Incoming
	last     int
}

// applier decides what a page does, item by item, against the rows and
// sources held, which it updates as it goes (an id named twice in a page
// is judged against what the first occurrence left), and collects the
// writes to send at once.
type applier struct {
	page    *crossguard.InboundPage
	self    string
	held    map[string]*heldRow
	sources map[string]map[string]source // by record id, then peer
	res     *crossguard.ApplyResult

	// rm is how a copy that no source supports any more is removed and
	// audited: as a withdrawal by the page's peer, or as the node's own
	// removal (retention, a removed peer's copies).
	rm removal
	// switched counts the copies that switched to another source.
	switched int

	writes  map[string]*rowWrite
	ticks   int
	dirty   map[sourceKey]bool // sources added, changed or removed
	applied []string           // ids of the versions stored, for the audit
	entries []*crossguard.AuditEntry
	// withdrawals counts the page's withdrawals that dropped the peer as
	// a source of a copy.
	withdrawals int
}

// newApplier returns an applier for page p naming about n records.
func newApplier(p *crossguard.InboundPage, n int) *applier {
	return &applier{page: p, held: make(map[string]*heldRow, n), sources: map[string]map[string]source{},
		res: &crossguard.ApplyResult{}, writes: map[string]*rowWrite{}, dirty: map[sourceKey]bool{},
		rm: removal{actor: p.Peer, action: crossguard.ActionFedWithdrawn, at: p.At}}
}

// removal is who removes a copy, under which audit action, and when.
type removal struct {
	actor, action string
	at            time.Time
}

// sourcesOf returns the sources of record id, creating the empty set.
func (a *applier) sourcesOf(id string) map[string]source {
	m := a.sources[id]
	if m == nil {
		m = map[string]source{}
		a.sources[id] = m
	}
	return m
}

// setSource records that peer offers version src of record id.
func (a *applier) setSource(id, peer string, src source) {
	m := a.sourcesOf(id)
	if cur, ok := m[peer]; ok && cur == src {
		return
	}
	m[peer] = src
	a.dirty[sourceKey{id, peer}] = true
}

// dropSource removes peer from the sources of record id, reporting whether
// it was one.
func (a *applier) dropSource(id, peer string) bool {
	m := a.sources[id]
	if _, ok := m[peer]; !ok {
		return false
	}
	delete(m, peer)
	a.dirty[sourceKey{id, peer}] = true
	return true
}

// write notes that the page changes the row of record id, storing in
// unless it is nil.
func (a *applier) write(id, kind string, in *crossguard.Incoming) {
	w := a.writes[id]
	if w == nil {
		w = &rowWrite{id: id, kind: kind}
		a.writes[id] = w
	}
	if in != nil {
		w.in = in
	}
	a.ticks++
	w.last = a.ticks
}

// refuse records a refusal by the store.
func (a *applier) refuse(id, kind, origin, format string, args ...any) {
	a.res.Refused = append(a.res.Refused, crossguard.Refusal{ID: id, Kind: kind, Origin: origin, Reason: fmt.Sprintf(format, args...)})
}

// pathJSON encodes a path as its row and source columns hold it.
func pathJSON(path []string) (string, error) {
	if path == nil {
		path = []string{}
	}
	b, err := json.Marshal(path)
	if err != nil {
		return "", fmt.Errorf("encode path: %w", err)
	}
	return string(b), nil
}

// record judges one incoming version: a loop drops its sender as a
// source; a version already held records the sender as a source; a newer
// one is stored, from the sender.
func (a *applier) record(r *crossguard.Incoming) error {
	h := &r.Header
	row := a.held[h.ID]
	peer := a.page.Peer
	switch {
	case row != nil && row.origin != h.Origin:
		a.refuse(h.ID, h.Kind, h.Origin, "record %s belongs to %s, not %s", h.ID, row.origin, h.Origin)
		return nil
	case row != nil && row.kind != h.Kind:
		a.refuse(h.ID, h.Kind, h.Origin, "record %s is a %s, not a %s", h.ID, row.kind, h.Kind)
		return nil
	case h.Origin == a.self:
		a.refuse(h.ID, h.Kind, h.Origin, "a version of this node's own record")
		return nil
	case slices.Contains(r.Path, a.self):
		// The sender's copy depends on this node's: it supports nothing.
		a.res.Looped++
		if a.dropSource(h.ID, peer) && row != nil && !row.deleted {
			a.resupport(h.ID, row, "its only sources depend on this node")
		}
		return nil
	case row != nil && h.Version < row.version:
		a.refuse(h.ID, h.Kind, h.Origin, "version %d is older than the version %d held here: a replay", h.Version, row.version)
		return nil
	case row != nil && !row.withdrawn && h.Version == row.version:
		if !r.Deleted && !row.deleted {
			if err := a.offer(h.ID, row, h.Version, r.Path); err != nil {
				return err
			}
		}
		a.res.Unchanged++
		return nil
	case h.Kind == crossguard.KindSeizure && !r.Deleted && r.Seizure == nil:
		// The federation layer decodes every live seizure it passes on:
		// this is a defect, and the page is not applied.
		return fmt.Errorf("seizure %s version %d: a live version without its decoded record", h.ID, h.Version)
	}
	stored := &heldRow{kind: h.Kind, origin: h.Origin, via: peer, version: h.Version, deleted: r.Deleted}
	if r.Deleted {
		// The origin deleted the record: no peer's copy supports anything.
		for p := range a.sources[h.ID] {
			a.dropSource(h.ID, p)
		}
	} else {
		path, err := pathJSON(r.Path)
		if err != nil {
			return err
		}
		stored.path = path
		a.setSource(h.ID, peer, source{version: h.Version, path: path})
	}
	a.held[h.ID] = stored
	a.write(h.ID, h.Kind, r)
	a.applied = append(a.applied, h.ID)
	a.res.Applied++
	return nil
}

// offer records the page's peer as a source of the live copy it already
// holds at version. If the peer is the copy's current source and its path
// changed, the copy takes the new path, at a new change so that the feed
// serves it on.
func (a *applier) offer(id string, row *heldRow, version int64, path []string) error {
	p, err := pathJSON(path)
	if err != nil {
		return err
	}
	a.setSource(id, a.page.Peer, source{version: version, path: p})
	if row.via == a.page.Peer && row.path != p {
		row.path = p
		a.write(id, row.kind, nil)
	}
	return nil
}

// resupport settles a live received copy after one of its sources went:
// it stays if its current source still offers its version; otherwise it
// switches to the source with the lowest peer id that does, at a new
// change so that the feed serves its new path; and without one it is
// withdrawn, for reason.
func (a *applier) resupport(id string, row *heldRow, reason string) {
	srcs := a.sources[id]
	if src, ok := srcs[row.via]; ok && src.version == row.version {
		return
	}
	best := ""
	for peer, src := range srcs {
		if src.version == row.version && (best == "" || peer < best) {
			best = peer
		}
	}
	if best != "" {
		row.via, row.path = best, srcs[best].path
		a.write(id, row.kind, nil)
		a.switched++
		return
	}
	a.remove(id, row, reason)
}

// remove removes the live copy row of record id, for reason: the row keeps
// only what names the record, at a new change, so that the feed serves a
// withdrawal of it to the peers this node passed it on to.
func (a *applier) remove(id string, row *heldRow, reason string) {
	row.deleted, row.withdrawn, row.path = true, true, ""
	a.write(id, row.kind, nil)
	a.entries = append(a.entries, &crossguard.AuditEntry{At: a.rm.at, Actor: a.rm.actor,
		Action: a.rm.action, RecordKind: row.kind, RecordID: id,
		Outcome: crossguard.OutcomeOK, Detail: reason})
	a.res.Withdrawn++
}

// withdraw judges one withdrawal: the page's peer stops being a source of
// the copy, which goes if no source is left. A withdrawal of a live copy
// from a peer that is not one of its sources is refused; one of a copy
// already withdrawn or deleted changes nothing but its sources.
func (a *applier) withdraw(wd crossguard.Withdrawal) {
	row := a.held[wd.ID]
	peer := a.page.Peer
	if row == nil {
		return // nothing is held
	}
	if row.origin == a.self {
		a.refuse(wd.ID, wd.Kind, wd.Origin, "withdrawal of this node's own record")
		return
	}
	wasSource := a.dropSource(wd.ID, peer)
	if wasSource {
		a.withdrawals++
	}
	switch {
	case row.deleted:
		return
	case !wasSource:
		via := row.via
		if via == "" {
			via = "no peer"
		}
		a.refuse(wd.ID, wd.Kind, wd.Origin, "withdrawal from %s of a copy received from %s", peer, via)
		return
	}
	a.resupport(wd.ID, row, wd.Reason)
}
