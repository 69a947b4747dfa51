package node

import (
	"context"
	"time"

	"crossguard"
	"crossguard/federation"
)

// SharingStore is the storage Sharing uses: the seizures with their
// versions and tallies, the records annotations are written to, and what
// federation keeps of peers, keys, the change feed and the audit log
// (which reconciling a peer's policy uses too).
type SharingStore interface {
	crossguard.SeizureStore
	crossguard.SeizureVersionStore
	crossguard.TallyStore
	crossguard.RecordStore
	federation.Store
	// PurgeSource removes a removed peer's copies (see
	// crossguard.RetentionStore).
	PurgeSource(ctx context.Context, actor, action, peer string, at time.Time, limit int) (crossguard.SourcePurge, error)
}

// Sharing is the part of a node that keeps and shares records: seizures
// and their version history and tallies, annotations, the peers records go
// to and their sharing policy, the rotation of the node's key, and the
// newest records received from partners.
type Sharing struct {
	*Core
	// FederationURL is where peers reach this node's federation listener;
	// it goes on the node card.
	FederationURL string

	store SharingStore
}

// NewSharing returns the sharing service of core over store.
func NewSharing(core *Core, store SharingStore) *Sharing {
	return &Sharing{Core: core, store: store}
}
