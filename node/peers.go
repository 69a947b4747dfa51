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
func (n *Node) Card() crossguard.NodeCard {
	return crossguard.NodeCard{ID: n.Info.ID, Agency: n.Info.Agency, Country: n.Info.Country, Name: n.Info.Name,
		URL: n.FederationURL, PublicKey: n.Info.PublicKey, Protocol: crossguard.ProtocolVersion}
}

// PutPeer adds a peer from its card and the sharing policy for it, or
// changes the policy of a known peer. When a known peer's policy changes,
// the records it may hold are brought in line: those it may no longer hold
// are withdrawn and those it may now have are served (see
// federation.ReconcilePeer; the feed's pages already follow the new
// policy from the moment it is saved).
func (n *Node) PutPeer(ctx context.Context, actor string, p *crossguard.Peer) (*crossguard.Peer, error) {
	if err := crossguard.CheckCard(&p.Card); err != nil {
		return nil, err
	}
	if _, err := fedtls.ParsePublicKey(p.Card.PublicKey); err != nil {
		return nil, &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid node card",
			Fields: []crossguard.FieldError{{Field: "public_key", Message: err.Error()}}}
	}
	if p.Card.ID == n.Info.ID || p.Card.PublicKey == n.Info.PublicKey {
		return nil, crossguard.Errorf(crossguard.EINVALID, "the card is this node's own (%s): give it to the other node's administrator and add theirs here", n.Info.ID)
	}
	if p.Card.Protocol > crossguard.ProtocolVersion {
		return nil, crossguard.Errorf(crossguard.EINVALID, "%s speaks protocol %d; this node speaks protocol %d: upgrade crossguard first", p.Card.ID, p.Card.Protocol, crossguard.ProtocolVersion)
	}
	slices.Sort(p.Kinds)
	p.Kinds = slices.Compact(p.Kinds)
	if err := crossguard.CheckPeerPolicy(p, n.Info.Agency); err != nil {
		return nil, err
	}
	old, err := n.Store.Peer(ctx, p.Card.ID)
	switch {
	case crossguard.ErrorCode(err) == crossguard.ENOTFOUND:
		old = nil
	case err != nil:
		return nil, fmt.Errorf("read peer %s: %w", p.Card.ID, err)
	}
	if old != nil && old.Card.PublicKey != p.Card.PublicKey {
		return nil, crossguard.Errorf(crossguard.ECONFLICT, "%s is already a peer with another public key: if it rotated its key (crossguard node rotate-key), its key handover brings the new key through the federation, so wait for it; otherwise remove it first (crossguard peer remove %s) if its key really changed", p.Card.ID, p.Card.ID)
	}
	p.AddedAt = n.Clock.Now().UTC()
	if old != nil {
		p.AddedAt = old.AddedAt
	}
	if err := n.Store.PutPeer(ctx, actor, p, n.Clock.Now().UTC()); err != nil {
		return nil, fmt.Errorf("save peer %s: %w", p.Card.ID, err)
	}
	saved, err := n.Store.Peer(ctx, p.Card.ID)
	if err != nil {
		return nil, fmt.Errorf("read peer %s: %w", p.Card.ID, err)
	}
	if saved.ReconcilePending() {
		// A changed policy, or a peer added again that may still hold
		// what it was served before. Should this process end before the
		// reconcile completes, the serving node runs it.
		touched, err := federation.ReconcilePeer(ctx, n.Store, n.Info.ID, p.Card.ID)
		if err != nil {
			return nil, err
		}
		n.Logger.Info("peer policy changed", "peer", p.Card.ID, "records_to_resend_or_withdraw", touched)
	}
	return n.Store.Peer(ctx, p.Card.ID)
}

// Peers lists the peers with their status and key history.
func (n *Node) Peers(ctx context.Context) ([]*crossguard.Peer, error) {
	peers, err := n.Store.Peers(ctx)
	if err != nil {
		return nil, err
	}
	retired, err := n.Store.RetiredKeys(ctx)
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
func (n *Node) RemovePeer(ctx context.Context, actor, id string) error {
	return n.Store.RemovePeer(ctx, actor, id, n.Clock.Now().UTC())
}

// AckPeerRefusals records that an operator has seen the refusals from a
// peer: its last refusal and the count since the last acknowledgement are
// cleared, and the acknowledgement audited. It returns what was
// acknowledged, nil if nothing was waiting.
func (n *Node) AckPeerRefusals(ctx context.Context, actor, id string) (*crossguard.PeerRefusal, error) {
	return n.Store.AckPeerRefusals(ctx, actor, id, n.Clock.Now().UTC())
}
