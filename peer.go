package crossguard

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ProtocolVersion is the version of the federation protocol this binary
// speaks (see docs/federation.md for its changelog).
const ProtocolVersion = 2

// Peer relationships: a node of the same agency (a border post and its
// headquarters) or a node of a partner agency.
const (
	RelAgency  = "agency"
	RelPartner = "partner"
)

// Relationships lists the peer relationships.
var Relationships = []string{RelAgency, RelPartner}

// NodeCard is a node's public identity, exchanged out of band between
// administrators before two nodes peer.
type NodeCard struct {
	ID        string `json:"id"` // AGENCY/NODE
	Agency    string `json:"agency"`
	Country   string `json:"country"`
	Name      string `json:"name"`
	URL       string `json:"url"`        // the federation listener, https://host:port
	PublicKey string `json:"public_key"` // base64 of the Ed25519 public key
	Protocol  int    `json:"protocol"`
}

// Peer is another node this node knows: its card, the sharing policy this
// node applies to it, and the state of the exchange with it.
type Peer struct {
	Card         NodeCard `json:"card"`
	Relationship string   `json:"relationship"`
	Kinds        []string `json:"kinds"`
	MaxTLP       string   `json:"max_tlp"`
	// OriginOnly peers are known only to verify records relayed from them:
	// this node neither pulls from them nor serves them.
	OriginOnly bool       `json:"origin_only,omitempty"`
	AddedAt    time.Time  `json:"added_at"`
	Status     PeerStatus `json:"status"`
	// PolicyVersion counts the changes of the peer's card and policy: the
	// store raises it with every PutPeer of a known peer. A page of the
	// feed is built with the policy of one version and recorded only if
	// it is still the peer's.
	PolicyVersion int64 `json:"-"`
	// ReconciledVersion is the policy version up to which the records
	// served to the peer were brought in line with its policy (see
	// ReconcilePending).
	ReconciledVersion int64 `json:"-"`
	// RetiredKeys is the peer's key history: the keys it retired by key
	// handovers, newest first (the card holds the current key). Filled
	// when listing peers (node.Peers), not stored with the peer.
	RetiredKeys []RetiredKey `json:"retired_keys,omitempty"`
}

// ReconcilePending reports whether the peer's policy changed since the
// records served to it were last brought in line with it: until that is
// done, the peer may hold records its policy no longer lets it have, or
// lack records it now may have that its cursor has passed.
func (p *Peer) ReconcilePending() bool { return p.ReconciledVersion < p.PolicyVersion }

// PeerStatus is the state of the exchange with one peer, as GET
// /api/v1/peers shows it.
type PeerStatus struct {
	Cursor       int64      `json:"cursor"`         // the last change of the peer's feed applied here
	RemoteHead   int64      `json:"remote_head"`    // the peer's last change, as of the last pull
	LastExchange *time.Time `json:"last_exchange"`  // the last successful pull
	Received     int64      `json:"received"`       // record versions applied from the peer
	Refused      int64      `json:"refused"`        // envelopes from the peer refused
	Sent         int64      `json:"sent"`           // record versions and withdrawals served to the peer
	LastError    string     `json:"last_error"`     // in words a person can act on; "" when the last exchange worked
	LastErrorAt  *time.Time `json:"last_error_at"`  // when LastError happened
	LastServed   *time.Time `json:"last_served_at"` // the last time the peer pulled from this node
	// LastRefusal is the last envelope refused from the peer since an
	// operator last acknowledged its refusals (PeerStore.AckPeerRefusals);
	// nil when there is none. Unlike LastError it outlives successful
	// exchanges: only an acknowledgement clears it.
	LastRefusal *PeerRefusal `json:"last_refusal"`
	// RefusedByClass counts Refused by class of reason (RefusalClasses).
	RefusedByClass      RefusalCounts `json:"refused_by_class"`
	WithdrawalsReceived int64         `json:"withdrawals_received"` // withdrawals from the peer that dropped it as a source of a copy
	WithdrawalsSent     int64         `json:"withdrawals_sent"`     // withdrawals served to the peer (Sent counts them too)
}

// PeerRefusal is the last envelope refused from a peer that an operator
// has not yet acknowledged, and how many were refused since the last
// acknowledgement.
type PeerRefusal struct {
	Reason string    `json:"reason"` // in words, as the audit entry gives it
	Class  string    `json:"class"`  // RefusalClass(Reason)
	At     time.Time `json:"at"`
	// Kind, ID and Origin name the refused record version, when the
	// envelope had a readable one.
	Kind   string `json:"record_kind"`
	ID     string `json:"record_id"`
	Origin string `json:"record_origin"`
	// Unacknowledged is how many envelopes were refused from the peer
	// since the last acknowledgement, this one included.
	Unacknowledged int64 `json:"unacknowledged"`
}

// Behind returns how many changes of the peer's feed this node has not yet
// applied, as of the last pull.
func (s PeerStatus) Behind() int64 {
	if s.RemoteHead > s.Cursor {
		return s.RemoteHead - s.Cursor
	}
	return 0
}

// Agency returns the agency part of a node id AGENCY/NODE.
func Agency(nodeID string) string {
	a, _, _ := strings.Cut(nodeID, "/")
	return a
}

// CheckCard validates a node card received out of band.
func CheckCard(c *NodeCard) error {
	v := &validator{}
	agency, node, ok := strings.Cut(c.ID, "/")
	if !ok {
		v.addf("id", "must be AGENCY/NODE")
	} else {
		v.check("id", CheckAgencyID(agency))
		v.check("id", CheckNodeName(node))
		if c.Agency != agency {
			v.addf("agency", "must be the agency of the id (%q)", agency)
		}
	}
	v.text("name", c.Name, 200, true)
	if !strings.HasPrefix(c.URL, "https://") {
		v.addf("url", "must be an https:// URL of the node's federation listener")
	}
	if len(c.PublicKey) == 0 {
		v.addf("public_key", "is required")
	}
	if c.Protocol < 1 {
		v.addf("protocol", "must be a protocol version (1 or higher)")
	}
	return v.err("node card")
}

// CheckPeerPolicy validates the sharing policy of a peer against its card
// and the local node's agency.
func CheckPeerPolicy(p *Peer, localAgency string) error {
	v := &validator{}
	v.oneOf("relationship", p.Relationship, Relationships)
	same := p.Card.Agency == localAgency
	switch {
	case p.Relationship == RelAgency && !same:
		v.addf("relationship", "is agency but the card belongs to agency %q, not %q", p.Card.Agency, localAgency)
	case p.Relationship == RelPartner && same:
		v.addf("relationship", "is partner but the card belongs to this node's own agency %q", localAgency)
	}
	if len(p.Kinds) == 0 {
		v.addf("kinds", "name at least one record kind")
	}
	for _, k := range p.Kinds {
		v.oneOf("kinds", k, ShareableKinds)
	}
	v.oneOf("max_tlp", p.MaxTLP, TLPs)
	return v.err("peer")
}

// tlpRank returns the position of a TLP level in TLPs, or -1.
func tlpRank(tlp string) int { return slices.Index(TLPs, tlp) }

// PeerStore keeps the peers of a node and the state of the exchange with
// each.
type PeerStore interface {
	// PutPeer adds a peer or replaces the card and policy of a known one,
	// keeping its status and the date it was first added; the audit entry,
	// which names the peer, its policy, URL and key, is stamped at. A new peer starts
	// at policy version 1, reconciled unless it was a peer before and may
	// still hold records served to it then; a known peer's policy version
	// goes up by one in the same transaction, which leaves its reconcile
	// pending.
	PutPeer(ctx context.Context, actor string, p *Peer, at time.Time) error
	// MarkReconciled records that the records served to a peer were
	// brought in line with its policy of version v: the reconciled version
	// becomes v unless it is already higher. ENOTFOUND if the peer is
	// unknown.
	MarkReconciled(ctx context.Context, id string, v int64) error
	// Peer returns one peer, or ENOTFOUND.
	Peer(ctx context.Context, id string) (*Peer, error)
	// Peers lists the peers by id.
	Peers(ctx context.Context) ([]*Peer, error)
	// RemovePeer forgets a peer and its status; ENOTFOUND if unknown. What
	// it may hold (SharedWith) stays: the removed node keeps its copies.
	RemovePeer(ctx context.Context, actor, id string, at time.Time) error
	// NotePeerError records a failed exchange with a peer.
	NotePeerError(ctx context.Context, id, msg string, at time.Time) error
	// NotePeerPulled records a pull that found nothing new: the peer's
	// head and the time of the exchange; it clears the last error but not
	// the last refusal.
	NotePeerPulled(ctx context.Context, id string, remoteHead int64, at time.Time) error
	// NotePeerRefusal records a refusal outside an applied page (a page
	// refused whole) as ApplyPage records those of a page: counted, by
	// class, and kept as the peer's last refusal until acknowledged.
	NotePeerRefusal(ctx context.Context, id string, r Refusal, at time.Time) error
	// AckPeerRefusals records that an operator has seen the refusals from
	// a peer: it clears the peer's last refusal and the count since the
	// last acknowledgement, audits it (ActionPeerAck, stamped at, naming
	// what was acknowledged) and returns what it cleared, nil if there was
	// nothing to acknowledge. ENOTFOUND if the peer is unknown.
	AckPeerRefusals(ctx context.Context, actor, id string, at time.Time) (*PeerRefusal, error)
}

// String describes a peer in messages.
func (p *Peer) String() string { return fmt.Sprintf("%s (%s)", p.Card.ID, p.Relationship) }
