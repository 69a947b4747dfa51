package node

import (
	"context"
	"fmt"
	"slices"

	"crossguard"
	"crossguard/federation"
	"crossguard/federation/fedtls"
)

// Card returns this node's card, to give to the administrators of the
// nodes it will peer with.
func (sh *Sharing) Card() crossguard.NodeCard {
	return crossguard.NodeCard{ID: sh.Info.ID, Agency: sh.Info.Agency, Country: sh.Info.Country, Name: sh.Info.Name,
		URL: sh.FederationURL, PublicKey: sh.Info.PublicKey, Protocol: crossguard.ProtocolVersion}
}

// PutPeer adds a peer from its card and the sharing policy for it, or
// changes the policy of a known peer. When a known peer's policy changes,
// the records it may hold are brought in line: those it may no longer hold
// are withdrawn and those it may now have are served (see
// federation.ReconcilePeer; the feed's pages already follow the new
// policy from the moment it is saved).
func (sh *Sharing) PutPeer(ctx context.Context, actor string, p *crossguard.Peer) (*crossguard.Peer, error) {
	if err := crossguard.CheckCard(&p.Card); err != nil {
		return nil, err
	}
	if _, err := fedtls.ParsePublicKey(p.Card.PublicKey); err != nil {
		return nil, &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid node card",
			Fields: []crossguard.FieldError{{Field: "public_key", Message: err.Error()}}}
	}
	if p.Card.ID == sh.Info.ID || p.Card.PublicKey == sh.Info.PublicKey {
		return nil, crossguard.Errorf(crossguard.EINVALID, "the card is this node's own (%s): give it to the other node's administrator and add theirs here", sh.Info.ID)
	}
	if p.Card.Protocol > crossguard.ProtocolVersion {
		return nil, crossguard.Errorf(crossguard.EINVALID, "%s speaks protocol %d; this node speaks protocol %d: upgrade crossguard first", p.Card.ID, p.Card.Protocol, crossguard.ProtocolVersion)
	}
	slices.Sort(p.Kinds)
	p.Kinds = slices.Compact(p.Kinds)
	if err := crossguard.CheckPeerPolicy(p, sh.Info.Agency); err != nil {
		return nil, err
	}
	old, err := sh.store.Peer(ctx, p.Card.ID)
	switch {
	case crossguard.ErrorCode(err) == crossguard.ENOTFOUND:
		old = nil
	case err != nil:
		return nil, fmt.Errorf("read peer %s: %w", p.Card.ID, err)
	}
	if old != nil && old.Card.PublicKey != p.Card.PublicKey {
		return nil, crossguard.Errorf(crossguard.ECONFLICT, "%s is already a peer with another public key: if it rotated its key (crossguard node rotate-key), its key handover brings the new key through the federation, so wait for it; otherwise remove it first (crossguard peer remove %s) if its key really changed", p.Card.ID, p.Card.ID)
	}
	p.AddedAt = sh.Clock.Now().UTC()
	if old != nil {
		p.AddedAt = old.AddedAt
	}
	if err := sh.store.PutPeer(ctx, actor, p, sh.Clock.Now().UTC()); err != nil {
		return nil, fmt.Errorf("save peer %s: %w", p.Card.ID, err)
	}
	saved, err := sh.store.Peer(ctx, p.Card.ID)
	if err != nil {
		return nil, fmt.Errorf("read peer %s: %w", p.Card.ID, err)
	}
	if saved.ReconcilePending() {
		// A changed policy, or a peer added again that may still hold
		// what it was served before. Should this process end before the
		// reconcile completes, the serving node runs it.
		touched, err := federation.ReconcilePeer(ctx, sh.store, sh.Info.ID, p.Card.ID)
		if err != nil {
			return nil, err
		}
		sh.Logger.Info("peer policy changed", "peer", p.Card.ID, "records_to_resend_or_withdraw", touched)
	}
	return sh.store.Peer(ctx, p.Card.ID)
}

// Peers lists the peers with their status and key history.
func (sh *Sharing) Peers(ctx context.Context) ([]*crossguard.Peer, error) {
	peers, err := sh.store.Peers(ctx)
	if err != nil {
		return nil, err
	}
	retired, err := sh.store.RetiredKeys(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range peers {
		p.RetiredKeys = retired[p.Card.ID]
	}
	return peers, nil
}

// RemovePeer forgets a peer: its key is refused from then on. What it was
// served is remembered, so that if it is added again, what it may no
// longer hold is withdrawn.
func (sh *Sharing) RemovePeer(ctx context.Context, actor, id string) error {
	return sh.store.RemovePeer(ctx, actor, id, sh.Clock.Now().UTC())
}

// AckPeerRefusals records that an operator has seen the refusals from a
// peer: its last refusal and the count since the last acknowledgement are
// cleared, and the acknowledgement audited. It returns what was
// acknowledged, nil if nothing was waiting.
func (sh *Sharing) AckPeerRefusals(ctx context.Context, actor, id string) (*crossguard.PeerRefusal, error) {
	return sh.store.AckPeerRefusals(ctx, actor, id, sh.Clock.Now().UTC())
}

// PurgePeer removes, in bounded batches, the copies peer id was the only
// source of (a removed peer's; see crossguard.RetentionStore.PurgeSource),
// each audited as peer.purge; the feed withdraws them from the peers this
// node passed them on to. progress, if not nil, hears of every batch.
func (sh *Sharing) PurgePeer(ctx context.Context, actor, id string, progress func(crossguard.SourcePurge)) (crossguard.SourcePurge, error) {
	var total crossguard.SourcePurge
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		res, err := sh.store.PurgeSource(ctx, actor, crossguard.ActionPeerPurge, id, sh.Clock.Now().UTC(), retentionBatch)
		if err != nil {
			return total, err
		}
		if res.Sources == 0 {
			return total, nil
		}
		total.Removed += res.Removed
		total.Switched += res.Switched
		total.Sources += res.Sources
		if progress != nil {
			progress(res)
		}
	}
}

// Peer returns the peer id as stored, without its retired keys, or
// ENOTFOUND.
func (sh *Sharing) Peer(ctx context.Context, id string) (*crossguard.Peer, error) {
	return sh.store.Peer(ctx, id)
}
