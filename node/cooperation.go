package node

import (
	"context"

	"crossguard"
)

// CooperationStore is the storage Cooperation uses: the record store its
// operations, warnings, feedback, messages, agreements, progress reports
// and activities are kept in, the seizures feedback links, and the audit
// log of reads.
type CooperationStore interface {
	crossguard.RecordStore
	crossguard.RecordEditor
	crossguard.AuditStore
	// Seizure reads a seizure that feedback links (see
	// crossguard.SeizureStore).
	Seizure(ctx context.Context, id string) (*crossguard.Seizure, error)
}

// SeizureUpdater changes a seizure of this node under the origin rule;
// *Sharing implements it. Cooperation uses it to widen the sharing of a
// seizure that feedback links.
type SeizureUpdater interface {
	UpdateSeizure(ctx context.Context, actor, id string, ifVersion int64, s *crossguard.Seizure) (*crossguard.Seizure, error)
}

// TargetingRefresher reloads risk targeting after a change that feeds it;
// *Targeting implements it. Cooperation uses it when a warning is created
// or withdrawn.
type TargetingRefresher interface {
	Refresh(ctx context.Context) error
}

// Cooperation is the part of a node that works with partner agencies:
// joint operations with their warnings, feedback, messages and report,
// and cooperation agreements with their commitments, progress reports and
// activities.
type Cooperation struct {
	*Core

	store     CooperationStore
	seizures  SeizureUpdater
	targeting TargetingRefresher
}

// NewCooperation returns the cooperation service of core over store; it
// widens linked seizures through seizures and refreshes targeting through
// targeting.
func NewCooperation(core *Core, store CooperationStore, seizures SeizureUpdater, targeting TargetingRefresher) *Cooperation {
	return &Cooperation{Core: core, store: store, seizures: seizures, targeting: targeting}
}
