package importer

import (
	"context"

	"crossguard"
)

// Store is what an import keeps in the node's store: the seizures or the
// declarations it imports, and its progress, saved with each batch.
type Store interface {
	crossguard.ImportStore
	CreateSeizures(ctx context.Context, actor string, items []*crossguard.Seizure, progress *crossguard.ImportProgress) error
	StoredDecisions(ctx context.Context, ids []string) (map[string]*crossguard.Decision, error)
	SaveDeclarations(ctx context.Context, actor string, entries []*crossguard.DeclarationEntry, progress *crossguard.ImportProgress) error
}

// Target is the node an import writes to.
type Target struct {
	// Store keeps the imported rows and the import's progress.
	Store Store
	// Clock dates the import's progress and the checks of its rows.
	Clock crossguard.Clock
	// Prepare validates and stamps a new seizure as the node's own
	// (node.Sharing.PrepareSeizure); an import of declarations leaves it
	// nil.
	Prepare func(s *crossguard.Seizure) error
}
