package federation

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"crossguard"
	"crossguard/federation/fedtls"
)

// RetiredKeys finds the keys a known origin retired by key handovers,
// newest first.
type RetiredKeys func(origin string) []crossguard.RetiredKey

// verifyRetired checks a signature that the origin's current key does not
// verify against the keys the origin retired: raw is the record as
// received, canon its canonical form. A retired key verifies the versions
// the origin made before the handover that retired it (updated_at at or
// before the handover's time), so that records signed before a rotation
// stay verifiable; a version made after it is refused, since only the
// current key speaks for the origin from then on. It returns the bytes the
// signature covers.
func verifyRetired(h *crossguard.Header, raw, canon, sig []byte, retired RetiredKeys) ([]byte, error) {
	if retired != nil {
		for _, rk := range retired(h.Origin) {
			pub, err := fedtls.ParsePublicKey(rk.PublicKey)
			if err != nil {
				continue
			}
			signed := canon
			if ed25519.Verify(pub, raw, sig) {
				signed = raw
			} else if !ed25519.Verify(pub, canon, sig) {
				continue
			}
			if h.UpdatedAt.After(rk.RetiredAt) {
				return nil, refuse(h, "signed by %s's previous key %s, which its key handover %s retired at %s; a version made after the handover (this one at %s) must be signed by its current key",
					h.Origin, fedtls.Fingerprint(pub), rk.Handover, rk.RetiredAt.UTC().Format(time.RFC3339Nano), h.UpdatedAt.UTC().Format(time.RFC3339Nano))
			}
			return signed, nil
		}
	}
	return nil, refuse(h, "signed by a key that is not the origin's")
}

// KeyRing is this node's own keys: the current one, and those it retired
// by key handovers with the time of each handover and the end of its
// grace period, newest first.
type KeyRing struct {
	Current ed25519.PrivateKey
	Retired []RetiredSigner
}

// RetiredSigner is a private key this node retired.
type RetiredSigner struct {
	Key        ed25519.PrivateKey
	RetiredAt  time.Time
	GraceUntil time.Time
}

// SigningKey returns the key that signs an own record version made at
// updated: the key that was current then, i.e. the oldest retired key
// whose handover is not before it, else the current key. Receivers accept
// exactly that (see verifyRetired), and the handover record itself, made
// at the handover's time, is signed by the key it retires.
func (r *KeyRing) SigningKey(updated time.Time) ed25519.PrivateKey {
	for i := len(r.Retired) - 1; i >= 0; i-- {
		if !updated.After(r.Retired[i].RetiredAt) {
			return r.Retired[i].Key
		}
	}
	return r.Current
}

// TLSKey returns the key whose certificate this node presents on
// federation links at now: the oldest retired key whose grace period
// still runs, so that peers that have not yet applied the handover still
// recognise the node, else the current key.
func (r *KeyRing) TLSKey(now time.Time) ed25519.PrivateKey {
	for i := len(r.Retired) - 1; i >= 0; i-- {
		if now.Before(r.Retired[i].GraceUntil) {
			return r.Retired[i].Key
		}
	}
	return r.Current
}

// acceptsOnLink reports whether pub is a key a peer may prove on a
// federation link at now: its current key, or a key it retired whose
// grace period still runs.
func acceptsOnLink(current string, retired []crossguard.RetiredKey, pub ed25519.PublicKey, now time.Time) bool {
	if k, err := fedtls.ParsePublicKey(current); err == nil && k.Equal(pub) {
		return true
	}
	for _, rk := range retired {
		if k, err := fedtls.ParsePublicKey(rk.PublicKey); err == nil && k.Equal(pub) && now.Before(rk.GraceUntil) {
			return true
		}
	}
	return false
}

// Handover verdicts of JudgeHandover.
const (
	HandoverAccept  = "accept"  // the handover retires the key held: apply it
	HandoverHeld    = "held"    // the handover is already applied: nothing to do
	HandoverHistory = "history" // the new key is the one held: learn the old one as retired
	HandoverRefused = "refused" // refused, for the reason given
)

// JudgeHandover decides what a receiver does with handover k of a node
// for which it holds the key current and the retired keys retired: accept
// it if it retires exactly the key held, take it as already applied if the
// key held is its new key and its old key was retired by it, and refuse
// it otherwise (a replay of an older handover, or one from a key the
// receiver never held). The envelope's signature by k.OldKey and the new
// key's signature are checked before (checkHandoverSignatures).
func JudgeHandover(current string, retired []crossguard.RetiredKey, k *crossguard.KeyHandover) (string, string) {
	if k.OldKey == current {
		return HandoverAccept, ""
	}
	known := false
	for _, rk := range retired {
		known = known || rk.PublicKey == k.OldKey
	}
	if k.NewKey == current && !known {
		// A node that learnt the origin's card after the rotation holds
		// the new key only: the handover, signed by that key too, tells
		// it the key before, which then verifies older versions.
		return HandoverHistory, ""
	}
	for _, rk := range retired {
		if rk.PublicKey != k.OldKey {
			continue
		}
		if rk.Handover == k.ID && k.NewKey == current {
			return HandoverHeld, ""
		}
		return HandoverRefused, "a replay of an older key handover: " + fingerprint(k.OldKey) + " was already retired (by handover " +
			rk.Handover + " of " + rk.RetiredAt.UTC().Format(time.RFC3339) + "); the key held for " + k.Origin + " is " + fingerprint(current)
	}
	return HandoverRefused, "the key handover retires " + fingerprint(k.OldKey) + ", which is not the key held for " + k.Origin + " (" + fingerprint(current) + ")"
}

// fingerprint names a base64 public key in messages.
func fingerprint(b64 string) string {
	k, err := fedtls.ParsePublicKey(b64)
	if err != nil {
		return "an invalid key"
	}
	return fedtls.Fingerprint(k)
}

// checkHandoverSignatures checks that the envelope of a handover that
// Open verified is signed by the old key the handover retires (Open
// accepted it under some key of the origin's), so that no key but the one
// retired can hand over. The new key's signature was checked with the
// record's body (KeyHandover.Validate).
func checkHandoverSignatures(in *crossguard.Incoming, k *crossguard.KeyHandover) string {
	old, err := fedtls.ParsePublicKey(k.OldKey)
	sig, serr := base64.StdEncoding.DecodeString(in.Signed.Signature)
	if err != nil || serr != nil || !ed25519.Verify(old, in.Signed.Record, sig) {
		return "the key handover is not signed by the key it retires"
	}
	return ""
}

// signingKey returns the key that signs an own version with header h for
// a peer that holds key holds for this node: a key handover is always
// signed by the key it retires, any other version as KeyRing.KeyFor says.
func (f *Feed) signingKey(holds string, h *crossguard.Header) ed25519.PrivateKey {
	switch {
	case f.Ring == nil:
		return f.Key
	case h.Kind == crossguard.KindKeyHandover:
		return f.Ring().SigningKey(h.UpdatedAt)
	}
	return f.Ring().KeyFor(holds, h.UpdatedAt)
}

// skipHandover reports whether an own key handover is of no use to a
// peer that holds key holds for this node: one that retired a key older
// than the key the peer holds (a peer that learnt this node's card after
// the rotation, say), which the peer could not verify and would refuse.
// Handovers of other nodes are relayed to everyone.
func (f *Feed) skipHandover(c *crossguard.Change, holds string) bool {
	if c.Header.Kind != crossguard.KindKeyHandover || c.Header.Origin != f.Self || holds == "" || f.Ring == nil || c.State != crossguard.StateLive {
		return false
	}
	ring := f.Ring()
	held := ring.age(holds)
	if held < 0 {
		return false
	}
	var k crossguard.KeyHandover
	if json.Unmarshal(c.Body, &k) != nil {
		return false
	}
	return ring.age(k.OldKey) < held
}

// age returns how many keys came before key pub (base64) in the ring: 0
// for the oldest retired key, len(Retired) for the current one; -1 if the
// ring does not hold it.
func (r *KeyRing) age(pub string) int {
	if pub == encodeKey(r.Current.Public().(ed25519.PublicKey)) {
		return len(r.Retired)
	}
	for i, rk := range r.Retired {
		if pub == encodeKey(rk.Key.Public().(ed25519.PublicKey)) {
			return len(r.Retired) - 1 - i
		}
	}
	return -1
}

// KeyFor returns the key that signs an own version made at updated for a
// peer that holds key holds (base64) for this node, as its pull request
// says: the current key for a peer that holds it (whatever the version's
// time: a peer that learnt this node's card after a rotation knows only
// the new key); for a peer that holds a retired key, that key for a
// version made up to the handover that retired it (the peer has not yet
// applied the handover, which comes after such versions in the feed),
// and for a later version the key that was current when it was made,
// which the peer holds by the time it reads it (the handovers come
// first). holds "" (unsaid) or unknown: SigningKey.
func (r *KeyRing) KeyFor(holds string, updated time.Time) ed25519.PrivateKey {
	if holds == encodeKey(r.Current.Public().(ed25519.PublicKey)) {
		return r.Current
	}
	for _, rk := range r.Retired {
		if holds == encodeKey(rk.Key.Public().(ed25519.PublicKey)) && !updated.After(rk.RetiredAt) {
			return rk.Key
		}
	}
	return r.SigningKey(updated)
}

// checkRing refuses to build a page while this node's keys lag its store:
// when another process rotated the key (crossguard node rotate-key) and
// the ring has not yet been reread, the current key of the ring is
// already retired, and versions signed with it now would be refused by
// peers that applied the handover. The peer asks again a moment later.
func (f *Feed) checkRing(ctx context.Context) error {
	if f.Ring == nil {
		return nil
	}
	retired, err := f.Store.RetiredKeys(ctx)
	if err != nil {
		return fmt.Errorf("read this node's retired keys: %w", err)
	}
	cur := encodeKey(f.Ring().Current.Public().(ed25519.PublicKey))
	for _, rk := range retired[f.Self] {
		if rk.PublicKey == cur {
			return fmt.Errorf("this node's key was rotated by handover %s and the federation has not yet reread its keys", rk.Handover)
		}
	}
	return nil
}
