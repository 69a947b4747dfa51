package web

import (
	"context"

	"crossguard"
)

// Records gives the record pages their data. A *node.Node implements it;
// every read is made on behalf of actor, the signed-in user name, so that
// the node can audit reads of other agencies' records.
type Records interface {
	// ListSeizures returns one page of live seizures, newest first.
	ListSeizures(ctx context.Context, actor string, f crossguard.SeizureFilter) (*crossguard.SeizurePage, error)
	// Seizure returns one live seizure, or an error with code ENOTFOUND.
	Seizure(ctx context.Context, actor, id string) (*crossguard.Seizure, error)
}
