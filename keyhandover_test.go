package crossguard

import (
	"crypto/ed25519"
	"crypto/rand"
	"testing"
	"time"
)

func TestKeyHandoverValidate(t *testing.T) {
	_, old, _ := ed25519.GenerateKey(rand.Reader)
	_, next, _ := ed25519.GenerateKey(rand.Reader)
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	good := func() *KeyHandover {
		return NewKeyHandover("0193a0b0-0000-7000-8000-000000000001", "pk-customs/hq", old, next, at, at.Add(time.Hour))
	}
	if err := good().Validate(); err != nil {
		t.Fatalf("a well-made handover is invalid: %v", err)
	}
	for _, c := range []struct {
		name  string
		edit  func(k *KeyHandover)
		field string
	}{
		{"new key signature by another key", func(k *KeyHandover) {
			*k = *NewKeyHandover(k.ID, k.Origin, old, other, at, k.GraceUntil)
			k.NewKey = good().NewKey
		}, "new_key_sig"},
		{"statement changed after signing", func(k *KeyHandover) { k.GraceUntil = k.GraceUntil.Add(time.Hour) }, "new_key_sig"},
		{"the same key twice", func(k *KeyHandover) { k.NewKey = k.OldKey }, "new_key"},
		{"a second version", func(k *KeyHandover) { k.Version = 2 }, "version"},
		{"grace ending before the handover", func(k *KeyHandover) { k.GraceUntil = at.Add(-time.Second) }, "grace_until"},
		{"not network", func(k *KeyHandover) { k.Distribution = DistPartners }, "distribution"},
		{"a malformed old key", func(k *KeyHandover) { k.OldKey = "bm9wZQ==" }, "old_key"},
	} {
		k := good()
		c.edit(k)
		err := k.Validate()
		found := false
		for _, f := range ErrorFields(err) {
			found = found || f.Field == c.field
		}
		if !found {
			t.Errorf("%s: Validate = %v, want an error on %s", c.name, err, c.field)
		}
	}
}

func TestMayShareKeyHandover(t *testing.T) {
	h := &Header{ID: "0193a0b0-0000-7000-8000-000000000001", Kind: KindKeyHandover, Origin: "pk-customs/hq",
		Distribution: DistNetwork, Marking: Marking{TLP: TLPClear, Handling: HandlingH0}}
	peer := func(id string, kinds []string, originOnly bool) *Peer {
		return &Peer{Card: NodeCard{ID: id, Agency: Agency(id)}, Relationship: RelPartner, Kinds: kinds, MaxTLP: TLPClear, OriginOnly: originOnly}
	}
	for _, c := range []struct {
		name   string
		holder string
		p      *Peer
		want   bool
	}{
		{"a direct peer given no kind of the sort", "pk-customs/hq", peer("cn-customs/tashkurgan", []string{KindSeizure}, false), true},
		{"relayed by a partner to its own peer", "cn-customs/tashkurgan", peer("kz-customs/khorgos", []string{"warning"}, false), true},
		{"never back to its origin", "cn-customs/tashkurgan", peer("pk-customs/hq", ShareableKinds, false), false},
		{"never to an origin-only peer", "pk-customs/hq", peer("kz-customs/khorgos", ShareableKinds, true), false},
	} {
		if got, why := MayShare(c.holder, c.p, h); got != c.want {
			t.Errorf("%s: MayShare = %v (%s), want %v", c.name, got, why, c.want)
		}
	}
	if !TravelsInFeed(KindKeyHandover) || !TravelsInFeed(KindSeizure) || TravelsInFeed("declaration") {
		t.Error("TravelsInFeed is wrong about key handovers, seizures or declarations")
	}
}
