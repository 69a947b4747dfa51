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
func (sh *Sharing) SeizureVersions(ctx context.Context, actor, id string) ([]*crossguard.SeizureVersion, error) {
	_, vs, err := sh.SeizureWithVersions(ctx, actor, id)
	return vs, err
}

// SeizureWithVersions returns the live seizure id with the versions this
// node has held of it, oldest first, for a page that shows both: the
// record is read once and its read, if it is another node's, audited once.
func (sh *Sharing) SeizureWithVersions(ctx context.Context, actor, id string) (*crossguard.Seizure, []*crossguard.SeizureVersion, error) {
	s, err := sh.store.Seizure(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	vs, err := sh.store.SeizureVersions(ctx, id)
	if err != nil {
		return nil, nil, fmt.Errorf("read history of seizure %s: %w", id, err)
	}
	if err := sh.auditForeignReads(ctx, actor, s); err != nil {
		return nil, nil, err
	}
	return s, vs, nil
}
