package crossguard

import (
	"context"
	"time"
)

// HeldVersion is a received record version this node holds, a live copy
// or a tombstone, with its origin's signed record as it was received:
// what the node serves on to its peers.
type HeldVersion struct {
	Kind    string       `json:"kind"`
	ID      string       `json:"id"`
	Origin  string       `json:"origin"`
	Version int64        `json:"version"`
	Deleted bool         `json:"deleted"` // a tombstone
	Via     string       `json:"via"`     // the peer it came from
	Signed  SignedRecord `json:"signed"`  // the origin's signed record
}

// Quarantined is a received version removed from the held records because
// the node would now refuse it (see crossguard rescan), kept with the
// reason for the data-protection officer: the signed record as received,
// who quarantined it and when.
type Quarantined struct {
	HeldVersion
	Reason string    `json:"reason"`
	Actor  string    `json:"actor"`
	At     time.Time `json:"quarantined_at"`
}

// QuarantineStore reads the received versions a node holds and moves
// those it would now refuse into a quarantine.
type QuarantineStore interface {
	// HeldVersions returns up to limit received versions held here
	// (live copies and tombstones, each with its signed record; not
	// withdrawn copies, which keep none), in id order after the id
	// after ("" to start).
	HeldVersions(ctx context.Context, after string, limit int) ([]*HeldVersion, error)
	// Quarantine removes the held version q names as a withdrawal
	// removes a copy (the row keeps only what names the record and takes
	// the next change sequence number, so that the feed sends withdrawals
	// to the peers that may hold it; its sources are forgotten), keeps q
	// with its signed record in the quarantine and audits it
	// (ActionFedQuarantine), in one transaction. It fails with ECONFLICT,
	// changing nothing, if the node no longer holds exactly that version
	// with those signed bytes (a newer version or a withdrawal came
	// meanwhile), and ENOTFOUND if it holds no received copy of q.ID.
	Quarantine(ctx context.Context, q *Quarantined) error
	// QuarantinedVersions lists the quarantine, oldest first.
	QuarantinedVersions(ctx context.Context) ([]*Quarantined, error)
}
