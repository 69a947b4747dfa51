package federation

import (
	"cmp"
	"context"
	"fmt"

	"crossguard"
)

// A policy change and the pages in flight. The save S of a new policy
// (PutPeer: policy version v+1) commits at one point; a page P of the feed
// reads the peer (version v or v+1), reads changes and shares, and then
// records what it served in a transaction R that first checks the version.
// S and R are serialised (SQLite's single writer; on PostgreSQL the heads
// lock both take, and R's FOR SHARE on the peer row). The reconcile C of
// v+1 runs after S commits, reads the changes and shares and touches (T)
// what differs; T gives the records change numbers above every page built
// before it.
//
//   - P built with v, R before S: R's check passes, and what P recorded is
//     in the shares C reads after S; C touches what P served or passed over
//     that v+1 judges otherwise, and the next page judges it with v+1.
//   - P built with v, R after S: R's check fails, nothing is recorded and
//     P is built again with v+1. This covers a P that read the changes
//     after T (it saw the touched records) and one that read them before
//     S (C touches what it passed over later, or already did).
//   - P built with v+1 (read after S): it judges every change it reads with
//     v+1; what pages before it judged with v is C's to correct, and C
//     reads shares after S, so after every R that recorded a page of v.
//   - A page that serves nothing but moves the cursor records nothing: its
//     check is a read, outside the lock. If it sees v, S commits after that
//     read, and C touches what the page passed over after it.
//   - Two saves S1 and S2: a page of S1's policy fails after S2, and each
//     reconcile marks the version it read the policy at, so a reconcile of
//     S1's policy never marks S2's done.
//   - The process that saved S dies before C: the peer's reconciled version
//     stays below its policy version, and the serving node runs C (see
//     Service.reconcilePending).

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
			if c.Header.Kind == crossguard.KindAuditHead || c.Header.Kind == crossguard.KindKeyHandover {
				// No policy governs audit heads or key handovers: a change
				// of it neither gives nor takes one (and no share of heads
				// is kept); and moving a handover in the feed would put it
				// after versions signed by the key it brings.
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

// ReconcilePeer reconciles peer id with the policy the store holds for it
// now, and marks the peer reconciled up to that policy's version. The
// process that changes a policy calls it after saving the change; should
// that process die first, the peer stays pending and the serving node's
// ReconcilePending does it. It returns how many records it touched.
func ReconcilePeer(ctx context.Context, store Store, self, id string) (int, error) {
	// Read after the save: the policy reconciled is the one saved, or a
	// later one, whose own reconcile then finds less to do.
	peer, err := store.Peer(ctx, id)
	if err != nil {
		return 0, fmt.Errorf("reconcile %s: %w", id, err)
	}
	touched, err := Reconcile(ctx, store, self, peer)
	if err != nil {
		return touched, err
	}
	if err := store.MarkReconciled(ctx, id, peer.PolicyVersion); err != nil {
		return touched, fmt.Errorf("reconcile %s: %w", id, err)
	}
	return touched, nil
}

// pendingReconciles finds the peers whose reconcile is pending and runs it
// for those that were already pending, at the same policy version, when
// it last looked (all of them the first time): the process that changed a
// policy reconciles it itself, and is given that long to do so before this
// node does it in its stead.
type pendingReconciles struct {
	seen map[string]int64 // peer → policy version pending at the last look
}

// run reconciles the peers pending since the last run; first reconciles
// every pending peer. It logs what it did and returns the first error.
func (r *pendingReconciles) run(ctx context.Context, s *Service, first bool) error {
	peers, err := s.Store.Peers(ctx)
	if err != nil {
		return fmt.Errorf("reconcile pending policy changes: %w", err)
	}
	seen := map[string]int64{}
	var firstErr error
	for _, p := range peers {
		if !p.ReconcilePending() {
			continue
		}
		if v, ok := r.seen[p.Card.ID]; !first && (!ok || v != p.PolicyVersion) {
			seen[p.Card.ID] = p.PolicyVersion
			continue
		}
		touched, err := ReconcilePeer(ctx, s.Store, s.Card.ID, p.Card.ID)
		if err != nil {
			firstErr = cmp.Or(firstErr, err)
			continue
		}
		s.Logger.Info("peer policy reconciled", "peer", p.Card.ID, "policy_version", p.PolicyVersion,
			"records_to_resend_or_withdraw", touched)
	}
	r.seen = seen
	return firstErr
}
