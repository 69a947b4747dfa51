package node

import (
	"context"
	"fmt"

	"crossguard"
)

// Watch-list entry sources.
const WatchFromAnalyst = "analyst"

// AddWatch validates and stores a watch-list entry; declarations carrying
// its identifier get its channel until it expires.
func (n *Node) AddWatch(ctx context.Context, actor string, w *crossguard.WatchEntry) (*crossguard.WatchEntry, error) {
	now := n.Clock.Now().UTC()
	if err := w.Validate(now); err != nil {
		return nil, err
	}
	w.ID, w.CreatedAt, w.RemovedAt = n.NewID(), now, nil
	w.ExpiresAt = w.ExpiresAt.UTC()
	if w.Source == "" {
		w.Source = WatchFromAnalyst
	}
	if err := n.Store.PutWatch(ctx, actor, w); err != nil {
		return nil, fmt.Errorf("store watch-list entry: %w", err)
	}
	return w, n.refreshTargeting(ctx)
}

// RemoveWatch ends a watch-list entry now.
func (n *Node) RemoveWatch(ctx context.Context, actor, id string) error {
	if err := n.Store.RemoveWatch(ctx, actor, id, n.Clock.Now().UTC()); err != nil {
		return err
	}
	return n.refreshTargeting(ctx)
}

// Watchlist lists the entries in force.
func (n *Node) Watchlist(ctx context.Context) ([]*crossguard.WatchEntry, error) {
	return n.Store.Watchlist(ctx, n.Clock.Now())
}
