package federation

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"

	"crossguard"
	"crossguard/federation/fedtls"
)

// rescanPage is how many held versions a rescan reads at a time.
const rescanPage = 200

// Finding is a held version the node would now refuse, and why; and, if
// the rescan quarantined it, that it did, or why it could not.
type Finding struct {
	Kind        string `json:"kind"`
	ID          string `json:"id"`
	Origin      string `json:"origin"`
	Version     int64  `json:"version"`
	Deleted     bool   `json:"deleted"`
	Via         string `json:"via"`
	Reason      string `json:"reason"`
	Quarantined bool   `json:"quarantined"`
	Error       string `json:"error,omitempty"` // why it was not quarantined
}

// RescanResult is what a rescan checked and found.
type RescanResult struct {
	Checked  int        `json:"checked"`
	Findings []*Finding `json:"findings"`
}

// Rescanner checks the received versions a node holds by the rules a
// received version passes today (Recheck: the same checks as Open), so
// that versions stored by an older crossguard with laxer checks are found
// and, when asked, quarantined.
type Rescanner struct {
	Store crossguard.QuarantineStore
	Keys  Keys
	// Retired finds the keys origins retired by key handovers, which
	// still verify the versions they signed before; nil for none.
	Retired RetiredKeys
	Clock   crossguard.Clock
	Actor   string // who quarantines, for the audit log
}

// Rescan reads every held version in id order and returns those it would
// refuse. With quarantine it moves each into the quarantine as it finds
// it (see crossguard.QuarantineStore): the copy is removed as a
// withdrawal removes one, so that the feed withdraws it from the peers it
// was relayed to. A version that changed between the read and the
// quarantine is reported with the error and left for the next rescan.
func (r *Rescanner) Rescan(ctx context.Context, quarantine bool) (*RescanResult, error) {
	res := &RescanResult{Findings: []*Finding{}}
	after := ""
	for {
		page, err := r.Store.HeldVersions(ctx, after, rescanPage)
		if err != nil {
			return nil, fmt.Errorf("rescan: %w", err)
		}
		if len(page) == 0 {
			return res, nil
		}
		for _, v := range page {
			res.Checked++
			reason := r.check(v)
			if reason == "" {
				continue
			}
			f := &Finding{Kind: v.Kind, ID: v.ID, Origin: v.Origin, Version: v.Version, Deleted: v.Deleted, Via: v.Via, Reason: reason}
			res.Findings = append(res.Findings, f)
			if !quarantine {
				continue
			}
			q := &crossguard.Quarantined{HeldVersion: *v, Reason: reason, Actor: r.Actor, At: r.Clock.Now().UTC()}
			switch err := r.Store.Quarantine(ctx, q); {
			case err == nil:
				f.Quarantined = true
			case crossguard.ErrorCode(err) == crossguard.ECONFLICT || crossguard.ErrorCode(err) == crossguard.ENOTFOUND:
				f.Error = crossguard.ErrorMessage(err)
			default:
				return nil, fmt.Errorf("rescan: %w", err)
			}
		}
		after = page[len(page)-1].ID
	}
}

// check returns why a held version would now be refused, or "".
func (r *Rescanner) check(v *crossguard.HeldVersion) string {
	in, err := Recheck(&v.Signed, r.Keys, r.Retired)
	var refused *Refused
	switch {
	case errors.As(err, &refused):
		return refused.Reason
	case err != nil:
		return err.Error()
	case in.Header.ID != v.ID || in.Header.Kind != v.Kind || in.Header.Origin != v.Origin || in.Header.Version != v.Version || in.Deleted != v.Deleted:
		return fmt.Sprintf("the signed record is %s %s version %d of %s, not the version held", in.Header.Kind, in.Header.ID, in.Header.Version, in.Header.Origin)
	}
	return ""
}

// PeerKeys returns the keys of the nodes a store knows (peers and
// origin-only cards), read once, for a rescan.
func PeerKeys(ctx context.Context, store crossguard.PeerStore) (Keys, error) {
	peers, err := store.Peers(ctx)
	if err != nil {
		return nil, fmt.Errorf("read peers: %w", err)
	}
	keys := keysOfPeers(peers)
	return func(origin string) (ed25519.PublicKey, bool) {
		k, ok := keys[origin]
		return k, ok
	}, nil
}

// keysOfPeers returns the public keys of peers, by node id.
func keysOfPeers(peers []*crossguard.Peer) map[string]ed25519.PublicKey {
	keys := map[string]ed25519.PublicKey{}
	for _, p := range peers {
		if k, err := fedtls.ParsePublicKey(p.Card.PublicKey); err == nil {
			keys[p.Card.ID] = k
		}
	}
	return keys
}
