package crossguard

import (
	"context"
	"time"
)

// SeizureFilter selects seizures for a list. Zero fields do not filter.
type SeizureFilter struct {
	From      time.Time // occurred_at at or after From
	To        time.Time // occurred_at before To
	Category  string    // any goods line of this category
	HS        string    // any goods line whose HS code starts with these digits
	Country   string    // the seizure's country
	Query     string    // full-text search over goods descriptions and narrative
	Origin    string    // only records of this origin node (AGENCY/NODE)
	NotOrigin string    // only records of origins other than this node
	// Place keeps seizures whose place name contains these characters,
	// ignoring case, or whose UN/LOCODE is exactly this code (any case).
	Place string
	// Oldest lists oldest occurred_at first, ties by id ascending, instead
	// of newest first; cursors of one order are refused in the other.
	Oldest bool
	Limit  int    // page size; 0 means DefaultPageSize, capped at MaxPageSize
	Cursor string // opaque cursor from a previous page's NextCursor
}

// SeizurePage is one page of a seizure list, newest occurred_at first (ties
// broken by id, descending), or the reverse if the filter asks for Oldest.
// NextCursor is empty on the last page.
type SeizurePage struct {
	Items      []*Seizure `json:"items"`
	NextCursor string     `json:"next_cursor"`
}

// SeizureStore persists seizures. Every write appends its audit entry in the
// same transaction, assigns the record the next change sequence number, and
// either happens completely or not at all.
type SeizureStore interface {
	// CreateSeizures inserts fully stamped seizures (id, origin, version 1,
	// timestamps set by the caller) in one transaction. If progress is not
	// nil it is saved in the same transaction, under the rule of
	// ImportProgress.From.
	CreateSeizures(ctx context.Context, actor string, items []*Seizure, progress *ImportProgress) error
	// Seizure returns a live seizure, or ENOTFOUND if it never existed or was
	// deleted.
	Seizure(ctx context.Context, id string) (*Seizure, error)
	// UpdateSeizure replaces a seizure whose stored version is s.Version-1;
	// otherwise it fails with EPRECONDITIONFAILED (or ENOTFOUND).
	UpdateSeizure(ctx context.Context, actor string, s *Seizure) error
	// DeleteSeizure replaces a seizure with a tombstone at version
	// ifVersion+1, failing with EPRECONDITIONFAILED if the stored version is
	// not ifVersion; ifVersion 0 deletes whatever version is stored.
	DeleteSeizure(ctx context.Context, actor, id string, ifVersion int64, at time.Time) error
	// ListSeizures returns one page of live seizures matching f.
	ListSeizures(ctx context.Context, f SeizureFilter) (*SeizurePage, error)
	// Tombstone returns the header of a deleted seizure, or ENOTFOUND.
	Tombstone(ctx context.Context, id string) (*Header, error)
}
