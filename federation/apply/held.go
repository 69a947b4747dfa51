package apply

import (
	"time"

	"crossguard"
)

// Row is what a store holds of one record: its kind, origin, version and
// state, and for a received copy the peer it is held from (Via; "" for
// the node's own records) and the path along which that peer sent it
// (nil for none).
type Row struct {
	Kind, Origin       string
	Version            int64
	Deleted, Withdrawn bool
	Via                string
	Path               []string
}

// Source is a peer's offer of a received record: the version it sent and
// the path it came along.
type Source struct {
	Version int64
	Path    []string
}

// Held is what a store holds for the ids a decision is about: this node's
// id, the rows of those ids it holds (by id; absent if none) and their
// sources (by id, then peer). A decision takes it over and updates it to
// the state its batch leaves, so the rows a Batch names point into Rows.
type Held struct {
	Self    string
	Rows    map[string]*Row
	Sources map[string]map[string]Source
}

// Removal is who removes copies, under which audit action, why and when.
type Removal struct {
	Actor, Action, Reason string
	At                    time.Time
}

// Change is how a batch changes one record's row. Row is the row's state
// after the batch. Stored is the version the batch stores in it (nil if
// the row keeps the content it has and only its current source, its path
// or its state changes); a row stored and then withdrawn in one batch has
// both Stored and Row.Withdrawn.
type Change struct {
	ID     string
	Row    *Row
	Stored *crossguard.Incoming
}

// SourceChange is a source a batch adds or changes (Gone false: the peer
// now offers Source) or removes (Gone true).
type SourceChange struct {
	ID, Peer string
	Source   Source
	Gone     bool
}

// Status is how a page changes its peer's status: the counts to add, the
// last error ("" clears it), the last refusal to keep until an operator
// acknowledges it (nil if the page refused nothing) and the page's
// refusals by class (crossguard.RefusalClass).
type Status struct {
	Applied, Refused, Withdrawals int
	LastError                     string
	LastRefusal                   *crossguard.Refusal
	RefusedByClass                map[string]int64
}

// Batch is what a decision asks a store to write, in one transaction.
type Batch struct {
	// Changes are the rows changed, each once, in the order of their
	// latest change: the order in which they take change sequence numbers.
	Changes []Change
	// Sources are the sources added, changed or removed, by id then peer.
	Sources []SourceChange
	// Audit are the entries to append, in order.
	Audit []*crossguard.AuditEntry
	// Result counts what a page did; its Withdrawn also counts the copies
	// a removal or purge withdrew.
	Result crossguard.ApplyResult
	// Switched counts the copies that switched to another source.
	Switched int
	// Status is how a page changes its peer's status; nil outside a page.
	Status *Status
	// Quarantined are the versions to keep in the quarantine, with their
	// signed records as held (see Quarantine); none outside a quarantine.
	Quarantined []*crossguard.Quarantined
}
