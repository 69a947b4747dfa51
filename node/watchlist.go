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
func (tg *Targeting) AddWatch(ctx context.Context, actor string, w *crossguard.WatchEntry) (*crossguard.WatchEntry, error) {
	now := tg.Clock.Now().UTC()
	if err := w.Validate(now); err != nil {
		return nil, err
	}
	w.ID, w.CreatedAt, w.RemovedAt = tg.NewID(), now, nil
	w.ExpiresAt = w.ExpiresAt.UTC()
	if w.Source == "" {
		w.Source = WatchFromAnalyst
	}
	if err := tg.store.PutWatch(ctx, actor, w); err != nil {
		return nil, fmt.Errorf("store watch-list entry: %w", err)
	}
	return w, tg.Refresh(ctx)
}

// RemoveWatch ends a watch-list entry now.
func (tg *Targeting) RemoveWatch(ctx context.Context, actor, id string) error {
	if err := tg.store.RemoveWatch(ctx, actor, id, tg.Clock.Now().UTC()); err != nil {
		return err
	}
	return tg.Refresh(ctx)
}

// Watchlist lists the entries in force.
func (tg *Targeting) Watchlist(ctx context.Context) ([]*crossguard.WatchEntry, error) {
	return tg.store.Watchlist(ctx, tg.Clock.Now())
}
