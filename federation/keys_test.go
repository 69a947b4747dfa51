package federation

import (
	"crypto/ed25519"
	"crypto/rand"
	"testing"
	"time"

	"crossguard"
)

// ringOfThree returns a ring whose key k0 was retired at t1 (grace to g1)
// and k1 at t2 (grace to g2), k2 being current.
func ringOfThree(t *testing.T, t1, g1, t2, g2 time.Time) (*KeyRing, [3]ed25519.PrivateKey) {
	var ks [3]ed25519.PrivateKey
	for i := range ks {
		_, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		ks[i] = k
	}
	return &KeyRing{Current: ks[2], Retired: []RetiredSigner{{Key: ks[1], RetiredAt: t2, GraceUntil: g2}, {Key: ks[0], RetiredAt: t1, GraceUntil: g1}}}, ks
}

func pubOf(k ed25519.PrivateKey) string { return encodeKey(k.Public().(ed25519.PublicKey)) }

func TestKeyRingChoosesKeys(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	t1, t2 := t0.Add(time.Hour), t0.Add(3*time.Hour)
	r, k := ringOfThree(t, t1, t1.Add(4*time.Hour), t2, t2.Add(5*time.Hour))
	for _, c := range []struct {
		name    string
		holds   string
		updated time.Time
		want    ed25519.PrivateKey
	}{
		{"a peer holding the current key gets it, whatever the version's time", pubOf(k[2]), t0, k[2]},
		{"a peer holding the first key gets it for a version before its handover", pubOf(k[0]), t0, k[0]},
		{"the handover's own time counts as before it", pubOf(k[0]), t1, k[0]},
		{"a peer holding the first key gets the second for a version between the handovers", pubOf(k[0]), t1.Add(time.Minute), k[1]},
		{"and the current key for a version after both", pubOf(k[0]), t2.Add(time.Nanosecond), k[2]},
		{"a peer holding the second key gets it for an old version", pubOf(k[1]), t0, k[1]},
		{"unsaid: the key current at the version's time", "", t0, k[0]},
		{"unsaid, after both handovers", "", t2.Add(time.Second), k[2]},
	} {
		if got := r.KeyFor(c.holds, c.updated); !got.Equal(c.want) {
			t.Errorf("%s: got another key", c.name)
		}
	}
	for _, c := range []struct {
		name string
		now  time.Time
		want ed25519.PrivateKey
	}{
		{"both graces run: the oldest key", t2, k[0]},
		{"the first grace ended, the second runs", t1.Add(4*time.Hour + time.Second), k[1]},
		{"both ended", t2.Add(6 * time.Hour), k[2]},
	} {
		if got := r.TLSKey(c.now); !got.Equal(c.want) {
			t.Errorf("TLSKey: %s: got another key", c.name)
		}
	}
	if r.age(pubOf(k[0])) != 0 || r.age(pubOf(k[1])) != 1 || r.age(pubOf(k[2])) != 2 || r.age("nope") != -1 {
		t.Errorf("ages = %d %d %d", r.age(pubOf(k[0])), r.age(pubOf(k[1])), r.age(pubOf(k[2])))
	}
}

func TestAcceptsOnLink(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	r, k := ringOfThree(t, now.Add(-2*time.Hour), now.Add(-time.Hour), now.Add(-time.Hour), now.Add(time.Hour))
	retired := []crossguard.RetiredKey{
		{PublicKey: pubOf(k[1]), GraceUntil: r.Retired[0].GraceUntil},
		{PublicKey: pubOf(k[0]), GraceUntil: r.Retired[1].GraceUntil},
	}
	pub := func(i int) ed25519.PublicKey { return k[i].Public().(ed25519.PublicKey) }
	if !acceptsOnLink(pubOf(k[2]), retired, pub(2), now) {
		t.Error("the current key is refused")
	}
	if !acceptsOnLink(pubOf(k[2]), retired, pub(1), now) {
		t.Error("a retired key in its grace period is refused")
	}
	if acceptsOnLink(pubOf(k[2]), retired, pub(0), now) {
		t.Error("a retired key past its grace period is accepted")
	}
}

func TestJudgeHandover(t *testing.T) {
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	h := func(id, old, new string) *crossguard.KeyHandover {
		return &crossguard.KeyHandover{Header: crossguard.Header{ID: id, Origin: "pk-customs/hq", UpdatedAt: at}, OldKey: old, NewKey: new}
	}
	_, a, _ := ed25519.GenerateKey(rand.Reader)
	_, b, _ := ed25519.GenerateKey(rand.Reader)
	_, c, _ := ed25519.GenerateKey(rand.Reader)
	ka, kb, kc := pubOf(a), pubOf(b), pubOf(c)
	first := crossguard.RetiredKey{PublicKey: ka, Handover: "h1", RetiredAt: at}
	for _, tc := range []struct {
		name    string
		current string
		retired []crossguard.RetiredKey
		k       *crossguard.KeyHandover
		want    string
	}{
		{"retires the key held", ka, nil, h("h1", ka, kb), HandoverAccept},
		{"already applied", kb, []crossguard.RetiredKey{first}, h("h1", ka, kb), HandoverHeld},
		{"a replay of an older handover", kc, []crossguard.RetiredKey{{PublicKey: kb, Handover: "h2"}, first}, h("h1", ka, kb), HandoverRefused},
		{"another handover from a retired key", kb, []crossguard.RetiredKey{first}, h("h9", ka, kc), HandoverRefused},
		{"the card already holds the new key", kb, nil, h("h1", ka, kb), HandoverHistory},
		{"neither key held", kc, nil, h("h1", ka, kb), HandoverRefused},
	} {
		if got, why := JudgeHandover(tc.current, tc.retired, tc.k); got != tc.want || (got == HandoverRefused) != (why != "") {
			t.Errorf("%s: %s (%q), want %s", tc.name, got, why, tc.want)
		}
	}
}
