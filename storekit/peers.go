package storekit

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"crossguard"
)

// LastRefusalOf returns the refusal of a page (in the order the stores
// audit them: the federation layer's, then the store's) that a peer's
// status keeps, or nil when the page refused nothing.
func LastRefusalOf(p *crossguard.InboundPage, res *crossguard.ApplyResult) *crossguard.Refusal {
	switch {
	case res != nil && len(res.Refused) > 0:
		return &res.Refused[len(res.Refused)-1]
	case len(p.Refused) > 0:
		return &p.Refused[len(p.Refused)-1]
	}
	return nil
}

// CountRefusals returns how many of rs fall in each class of reason
// (crossguard.RefusalClass), for the classes that have any.
func CountRefusals(rs ...[]crossguard.Refusal) map[string]int64 {
	n := map[string]int64{}
	for _, list := range rs {
		for _, r := range list {
			n[crossguard.RefusalClass(r.Reason)]++
		}
	}
	return n
}

// AckDetail is the detail of the audit entry of an acknowledgement of
// refusal r (nil: there was none).
func AckDetail(r *crossguard.PeerRefusal) string {
	if r == nil {
		return crossguard.AuditDetail("unacknowledged", "0")
	}
	return crossguard.AuditDetail("unacknowledged", fmt.Sprint(r.Unacknowledged), "last_reason", r.Reason,
		"last_at", r.At.UTC().Format(time.RFC3339Nano), "record_kind", r.Kind, "record_id", r.ID, "record_origin", r.Origin)
}

// PolicyChanged is the error of a page of the feed built with version
// built of peer's policy when the policy is now at version now: the store
// records nothing of the page, and the feed builds it again.
func PolicyChanged(peer string, built, now int64) error {
	return crossguard.Errorf(crossguard.ECONFLICT, "the sharing policy for %s changed (now version %d) while a page was built with version %d: ask again", peer, now, built)
}

// AddRefusalCounts returns a reader of rows of the columns peer, class
// and count (of peer_refusals) that adds each count to the RefusedByClass
// of that peer among peers, skipping rows of other peers, and returns
// peers.
func AddRefusalCounts(peers []*crossguard.Peer) func(Rows) ([]*crossguard.Peer, error) {
	return func(rows Rows) ([]*crossguard.Peer, error) {
		byID := make(map[string]*crossguard.Peer, len(peers))
		for _, p := range peers {
			byID[p.Card.ID] = p
		}
		for rows.Next() {
			var peer, class string
			var n int64
			if err := rows.Scan(&peer, &class, &n); err != nil {
				return nil, err
			}
			if p := byID[peer]; p != nil {
				p.Status.RefusedByClass.Add(class, n)
			}
		}
		return peers, rows.Err()
	}
}

// PeerAddAudit is the audit entry of PutPeer: who added the peer or
// changed its card or policy, the policy, where the peer is reached and
// the key it is pinned to.
func PeerAddAudit(actor string, p *crossguard.Peer, at time.Time) *crossguard.AuditEntry {
	c := &p.Card
	return &crossguard.AuditEntry{At: at, Actor: actor, Action: crossguard.ActionPeerAdd,
		RecordKind: "peer", RecordID: c.ID, Outcome: crossguard.OutcomeOK,
		Detail: crossguard.AuditDetail("relationship", p.Relationship, "kinds", strings.Join(p.Kinds, ","),
			"max_tlp", p.MaxTLP, "origin_only", strconv.FormatBool(p.OriginOnly), "url", c.URL, "public_key", c.PublicKey)}
}

// PeerRemoveAudit is the audit entry of RemovePeer.
func PeerRemoveAudit(actor, id string, at time.Time) *crossguard.AuditEntry {
	return &crossguard.AuditEntry{At: at, Actor: actor, Action: crossguard.ActionPeerRemove,
		RecordKind: "peer", RecordID: id, Outcome: crossguard.OutcomeOK}
}
