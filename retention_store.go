package crossguard

import (
	"context"
	"time"
)

// RetentionGroup is a set of live records a node holds that the retention
// rule treats alike: one kind, one origin, one distribution. Count is how
// many there are and Oldest the earliest created_at among them.
type RetentionGroup struct {
	Kind         string    `json:"kind"`
	Origin       string    `json:"origin"`
	Distribution string    `json:"distribution"`
	Count        int64     `json:"count"`
	Oldest       time.Time `json:"oldest"`
}

// Subject returns what the retention rule reads of the group's records.
func (g *RetentionGroup) Subject() RetentionSubject {
	return RetentionSubject{Kind: g.Kind, Origin: g.Origin, Distribution: g.Distribution}
}

// Removal names records a node removes itself, and how each removal is
// audited: one entry per record, by Actor, with Action and Reason as its
// detail, at At.
type Removal struct {
	Actor  string
	Action string
	Reason string
	At     time.Time
	IDs    []string
}

// SourcePurge counts what dropping a removed peer's sources did: copies
// removed because the peer was their only source, copies that switched to
// another source, and sources dropped in all.
type SourcePurge struct {
	Removed  int `json:"removed"`
	Switched int `json:"switched"`
	Sources  int `json:"sources"`
}

// DeclarationAges counts the declarations received before a cutoff and
// in all, and when the oldest was received (zero if there is none).
type DeclarationAges struct {
	Total  int64     `json:"total"`
	Due    int64     `json:"due"`
	Oldest time.Time `json:"oldest"`
}

// DeclarationsDeleted counts what one batch of DeleteDeclarations removed.
type DeclarationsDeleted struct {
	Declarations int64 `json:"declarations"`
	Decisions    int64 `json:"decisions"`
	Inspections  int64 `json:"inspections"`
}

// RetentionStore is the storage that retention and the purge of a
// removed peer's copies work through. Every method that removes does so
// in one bounded transaction, so that callers go in batches and a crash
// loses at most the batch in flight, which the next run does again.
type RetentionStore interface {
	// RetentionGroups returns the live records held, own and received,
	// grouped by kind, origin and distribution.
	RetentionGroups(ctx context.Context) ([]*RetentionGroup, error)
	// CreatedBefore returns up to limit ids of the live records of the
	// group's kind, origin and distribution created before t, oldest
	// first.
	CreatedBefore(ctx context.Context, g *RetentionGroup, t time.Time, limit int) ([]string, error)
	// DeleteOwn replaces this node's own live records among r.IDs with
	// tombstones (the header of their last version at the next version,
	// updated at r.At), which the change feed carries to every peer that
	// may hold them, and audits each. Ids of records that are not live or
	// not the node's own are skipped. It returns how many it deleted.
	DeleteOwn(ctx context.Context, r *Removal) (int, error)
	// RemoveCopies removes the live copies received from peers among
	// r.IDs exactly as the withdrawal by their last source would: the
	// copy keeps only what names it, its sources are forgotten and it
	// takes the next change sequence number, so that the change feed
	// serves a withdrawal to every peer this node passed it on to. Each
	// is audited. Own records and ids not held live are skipped. It
	// returns how many it removed.
	RemoveCopies(ctx context.Context, r *Removal) (int, error)
	// PurgeSource drops up to limit sources of peer (normally one that
	// was removed): a live copy that no other source supports at its
	// version is removed as by RemoveCopies (audited with action, by
	// actor), and one whose current source was peer switches to another
	// that supports it. It returns what it did; Sources 0 means none is
	// left.
	PurgeSource(ctx context.Context, actor, action, peer string, at time.Time, limit int) (SourcePurge, error)
	// DeclarationAges counts the declarations received before t.
	DeclarationAges(ctx context.Context, t time.Time) (*DeclarationAges, error)
	// DeleteDeclarations deletes up to limit declarations received before
	// t, oldest first, with their decisions and inspections, and appends
	// one audit entry by actor counting them (none if there were none).
	DeleteDeclarations(ctx context.Context, actor string, t time.Time, at time.Time, limit int) (DeclarationsDeleted, error)
}
