package web

import (
	"context"

	"crossguard"
)

// Records gives the record pages their data. node.Sharing implements it;
// every read is made on behalf of actor, the signed-in user name, so that
// the node can audit reads of other agencies' records.
type Records interface {
	// ListSeizures returns one page of live seizures, newest first.
	ListSeizures(ctx context.Context, actor string, f crossguard.SeizureFilter) (*crossguard.SeizurePage, error)
	// Seizure returns one live seizure, or an error with code ENOTFOUND.
	Seizure(ctx context.Context, actor, id string) (*crossguard.Seizure, error)
	// CreateSeizure validates and stores a new seizure of this node and
	// returns it as stored; invalid input is an error with code EINVALID
	// and field errors.
	CreateSeizure(ctx context.Context, actor string, s *crossguard.Seizure) (*crossguard.Seizure, error)
	// UpdateSeizure replaces seizure id, one of this node's own, provided
	// it is still at ifVersion (otherwise an error with code
	// EPRECONDITIONFAILED), and returns it as stored.
	UpdateSeizure(ctx context.Context, actor, id string, ifVersion int64, s *crossguard.Seizure) (*crossguard.Seizure, error)
	// Annotations lists the annotations of a record this node holds, from
	// every node, oldest first.
	Annotations(ctx context.Context, actor, targetID string) ([]*crossguard.Annotation, error)
	// SeizureWithVersions returns a live seizure, as Seizure does, with
	// the versions this node has held of it, oldest first; the read is
	// audited once.
	SeizureWithVersions(ctx context.Context, actor, id string) (*crossguard.Seizure, []*crossguard.SeizureVersion, error)
}
