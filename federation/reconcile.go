package federation

import (
	"context"
	"fmt"

	"crossguard"
)

// reconcileBatch is how many changes Reconcile reads at a time.
const reconcileBatch = 1000

// Reconcile brings what a peer holds in line with its current policy after
// the policy changed: every record the peer may hold but no longer may,
// and every record it may now have but was never served, is touched so
// that the feed serves it again (a withdrawal or a version). It returns
// how many records it touched. self is this node's id.
func Reconcile(ctx context.Context, store Store, self string, peer *crossguard.Peer) (int, error) {
	touched := 0
	var after int64
	end := int64(-1) // the head when reconciling started: touched records move past it
	for {
		changes, head, err := store.Changes(ctx, after, reconcileBatch)
		if err != nil {
			return touched, fmt.Errorf("reconcile %s: read the change feed: %w", peer.Card.ID, err)
		}
		if end < 0 {
			end = head
		}
		for len(changes) > 0 && changes[len(changes)-1].Seq > end {
			changes = changes[:len(changes)-1]
		}
		if len(changes) == 0 {
			return touched, nil
		}
		ids := make([]string, len(changes))
		for i, c := range changes {
			ids[i] = c.Header.ID
		}
		shared, err := store.SharedWith(ctx, peer.Card.ID, ids)
		if err != nil {
			return touched, fmt.Errorf("reconcile %s: %w", peer.Card.ID, err)
		}
		var touch []string
		for _, c := range changes {
			if c.Header.Kind == crossguard.KindKeyHandover {
				// No policy governs key handovers, so a change of it
				// neither gives nor takes one; and moving one in the feed
				// would put it after versions signed by the key it brings.
				continue
			}
			ok, _ := crossguard.MayShare(self, peer, &c.Header)
			visible := ok && c.State == crossguard.StateLive
			// A served withdrawal (version 0) counts as not held: it is on
			// its way, and the feed sends it again if it was lost.
			held := shared[c.Header.ID] > 0
			if visible != held && c.State != crossguard.StateDeleted {
				touch = append(touch, c.Header.ID)
			}
		}
		after = changes[len(changes)-1].Seq
		if len(touch) > 0 {
			if err := store.Touch(ctx, touch); err != nil {
				return touched, fmt.Errorf("reconcile %s: %w", peer.Card.ID, err)
			}
			touched += len(touch)
		}
	}
}
