package crossguard

import (
	"context"
	"encoding/json"
	"time"
)

// SeizureVersion is one version of a seizure that this node has held. Its
// times are to the microsecond at least (the body's are exact). The
// store keeps the versions of live seizures only: a seizure that becomes
// deleted or is withdrawn takes its whole history with it, so that
// nothing of a record this node no longer holds stays on the node.
type SeizureVersion struct {
	ID        string    `json:"id"`
	Version   int64     `json:"version"`
	UpdatedAt time.Time `json:"updated_at"` // the version's own, from its origin's clock
	// StoredAt is when this node stored the version: its UpdatedAt for a
	// version written here, the database's clock for a received one.
	StoredAt time.Time `json:"stored_at"`
	// Received is true for a version this node did not write: one
	// received over federation, or another origin's record.
	Received bool `json:"received"`
	// Via is the peer the version came from, "" if it did not come over
	// federation.
	Via string `json:"via,omitempty"`
	// Body is the seizure's JSON as this node stored it.
	Body json.RawMessage `json:"body"`
}

// SeizureVersionStore reads the history of the seizures a node holds.
// Stores keep it with every write of a seizure, in the same transaction.
type SeizureVersionStore interface {
	// SeizureVersions returns the versions this node has held of the live
	// seizure id, oldest first: none (and no error) for an id that is
	// unknown, deleted or withdrawn.
	SeizureVersions(ctx context.Context, id string) ([]*SeizureVersion, error)
}
