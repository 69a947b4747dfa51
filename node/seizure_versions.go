package node

import (
	"context"
	"fmt"

	"crossguard"
)

// SeizureVersions returns the versions this node has held of the live
// seizure id, oldest first, or ENOTFOUND if it holds no live seizure id.
// Reading the history of another node's record is audited as reading the
// record is.
func (n *Node) SeizureVersions(ctx context.Context, actor, id string) ([]*crossguard.SeizureVersion, error) {
	s, err := n.Store.Seizure(ctx, id)
	if err != nil {
		return nil, err
	}
	vs, err := n.Store.SeizureVersions(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("read history of seizure %s: %w", id, err)
	}
	if err := n.auditForeignReads(ctx, actor, s); err != nil {
		return nil, err
	}
	return vs, nil
}
