package federation

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"crossguard"
	"crossguard/canonjson"
	"crossguard/federation/fedtls"
)

// handoverOverlay is the key handovers a page brings, as the puller checks
// it item by item: once a handover is accepted, the items after it are
// verified with the new key (and the old one as retired), before the store
// has recorded it.
type handoverOverlay struct {
	p        *Puller
	current  map[string]ed25519.PublicKey
	extra    map[string][]crossguard.RetiredKey
	accepted []*crossguard.KeyHandover
}

// newHandoverOverlay returns an empty overlay for a page pulled by p.
func newHandoverOverlay(p *Puller) *handoverOverlay {
	return &handoverOverlay{p: p, current: map[string]ed25519.PublicKey{}, extra: map[string][]crossguard.RetiredKey{}}
}

// retired returns the retired keys of origin: those of the page first
// (newer), then those the node holds.
func (o *handoverOverlay) retired(origin string) []crossguard.RetiredKey {
	out := append([]crossguard.RetiredKey(nil), o.extra[origin]...)
	if o.p.Retired != nil {
		out = append(out, o.p.Retired(origin)...)
	}
	return out
}

// ignore reports whether a refused envelope is a key handover of an
// origin this node does not know: it concerns no record this node can
// verify, so it is dropped without a refusal (and not relayed).
func (o *handoverOverlay) ignore(r *Refused, keys Keys) bool {
	if r.Kind != crossguard.KindKeyHandover || !nodeIDPattern.MatchString(r.Origin) {
		return false
	}
	_, known := keys(r.Origin)
	return !known
}

// take checks a key handover that Open accepted and returns why it is
// refused, or "": signed by the key it retires, and retiring the key held
// for its origin (or already applied). An accepted handover changes the
// keys for the rest of the page and is kept for acceptHandovers.
func (o *handoverOverlay) take(in *crossguard.Incoming, keys Keys) string {
	if in.Deleted {
		return "a key handover is never deleted"
	}
	var k crossguard.KeyHandover
	if err := json.Unmarshal(in.Signed.Record, &k); err != nil {
		return fmt.Sprintf("malformed key handover: %v", err)
	}
	if why := checkHandoverSignatures(in, &k); why != "" {
		return why
	}
	cur, ok := keys(k.Origin)
	if !ok {
		return "origin " + k.Origin + " is not a known node"
	}
	verdict, why := JudgeHandover(encodeKey(cur), o.retired(k.Origin), &k)
	switch verdict {
	case HandoverRefused:
		return why
	case HandoverHistory:
		o.extra[k.Origin] = append([]crossguard.RetiredKey{retiredBy(&k)}, o.extra[k.Origin]...)
		o.accepted = append(o.accepted, &k)
	case HandoverAccept:
		nk, err := fedtls.ParsePublicKey(k.NewKey)
		if err != nil {
			return "the key handover's new key: " + err.Error()
		}
		o.current[k.Origin] = nk
		o.extra[k.Origin] = append([]crossguard.RetiredKey{retiredBy(&k)}, o.extra[k.Origin]...)
		o.accepted = append(o.accepted, &k)
	}
	return ""
}

// acceptHandovers records the handovers a page brought, before the page
// is applied: each in its own transaction, idempotent, so that a crash
// between them and the page only means they are found already applied
// when the page comes again.
func (p *Puller) acceptHandovers(ctx context.Context, hs []*crossguard.KeyHandover, at time.Time) error {
	changed := false
	for _, k := range hs {
		ok, err := p.Store.AcceptKeyHandover(ctx, k, p.PeerID, at)
		if err != nil {
			return fmt.Errorf("key handover %s of %s: %w", k.ID, k.Origin, err)
		}
		changed = changed || ok
	}
	if changed && p.KeysChanged != nil {
		p.KeysChanged(ctx)
	}
	return nil
}

// retiredBy returns the retired key that handover k makes.
func retiredBy(k *crossguard.KeyHandover) crossguard.RetiredKey {
	return crossguard.RetiredKey{Node: k.Origin, PublicKey: k.OldKey, RetiredAt: k.UpdatedAt,
		GraceUntil: k.GraceUntil, Handover: k.ID, Successor: k.NewKey}
}

// encodeKey returns the base64 form of a public key, as cards carry it.
func encodeKey(k ed25519.PublicKey) string { return base64.StdEncoding.EncodeToString(k) }

// reopen gives a key handover that Open refused for its signature a
// second chance: a node that learnt the origin's card after the rotation
// holds only the new key, which signed the handover's statement; the
// envelope must then be signed by the old key it names. Anything else
// keeps the error err.
func (o *handoverOverlay) reopen(sr *crossguard.SignedRecord, err error, keys Keys) (*crossguard.Incoming, error) {
	var r *Refused
	if !errors.As(err, &r) || r.Kind != crossguard.KindKeyHandover {
		return nil, err
	}
	canon, cerr := canonjson.Canonicalize(sr.Record)
	if cerr != nil {
		return nil, err
	}
	var k crossguard.KeyHandover
	if json.Unmarshal(canon, &k) != nil || k.Kind != crossguard.KindKeyHandover || k.Validate() != nil {
		return nil, err
	}
	cur, known := keys(k.Origin)
	if !known || encodeKey(cur) != k.NewKey {
		return nil, err
	}
	in := &crossguard.Incoming{Header: k.Header, Signed: crossguard.SignedRecord{Record: canon, Signature: sr.Signature}}
	if checkHandoverSignatures(in, &k) != "" {
		return nil, err
	}
	return in, nil
}
