package federation

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"crossguard"
)

// testSeizure returns a valid seizure of origin, stamped at version 1.
func testSeizure(t testing.TB, origin string) *crossguard.Seizure {
	t.Helper()
	now := time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)
	lat, lon := 36.85, 75.4
	return &crossguard.Seizure{
		Header: crossguard.Header{ID: "0193f1f2-7b1c-7cc0-9a4e-3c1d2e4f5a6b", Kind: "seizure", Origin: origin, Version: 1,
			CreatedAt: now, UpdatedAt: now, Distribution: "partners", Marking: crossguard.Marking{TLP: "amber", Handling: "H1"}},
		OccurredAt: now.Add(-time.Hour), Country: "PK",
		Place:     crossguard.Place{Name: "Sost Dry Port", Lat: &lat, Lon: &lon},
		Direction: "import", TransportMode: "road", DetectionMethod: "xray", Concealment: "false_compartment",
		Route:       crossguard.Route{Origin: "AF", Transit: []string{}, Destination: "PK"},
		Goods:       []crossguard.Goods{{Category: "narcotics", HS: "1211", Description: "cannabis resin", Quantity: 12.5, Unit: "kg"}},
		Identifiers: []crossguard.Identifier{},
	}
}

// keysOf returns a Keys that knows one origin.
func keysOf(origin string, pub ed25519.PublicKey) Keys {
	return func(o string) (ed25519.PublicKey, bool) {
		if o == origin {
			return pub, true
		}
		return nil, false
	}
}

func newKey(t testing.TB) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub, key
}

// TestSignOpen checks that a signed record opens with the origin's key,
// whatever its whitespace and key order, and is refused, with the reason,
// when anything about it is wrong.
func TestSignOpen(t *testing.T) {
	pub, key := newKey(t)
	otherPub, otherKey := newKey(t)
	const origin = "pk-customs/sost"
	s := testSeizure(t, origin)
	body, err := json.MarshalIndent(s, "", "   ")
	if err != nil {
		t.Fatal(err)
	}
	sr, err := Sign(key, body)
	if err != nil {
		t.Fatal(err)
	}
	in, err := Open(sr, keysOf(origin, pub))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if in.Seizure == nil || in.Seizure.Goods[0].Description != "cannabis resin" || in.Header.Version != 1 || in.Deleted {
		t.Fatalf("opened %+v", in)
	}
	// The same record re-encoded in another key order still verifies.
	var generic map[string]any
	if err := json.Unmarshal(body, &generic); err != nil {
		t.Fatal(err)
	}
	reordered, _ := json.Marshal(generic)
	if _, err := Open(&crossguard.SignedRecord{Record: reordered, Signature: sr.Signature}, keysOf(origin, pub)); err != nil {
		t.Fatalf("re-encoded record: %v", err)
	}

	tomb, err := TombstoneJSON(s.Header)
	if err != nil {
		t.Fatal(err)
	}
	tsr, err := Sign(key, tomb)
	if err != nil {
		t.Fatal(err)
	}
	if in, err := Open(tsr, keysOf(origin, pub)); err != nil || !in.Deleted || in.Seizure != nil {
		t.Fatalf("tombstone: %+v, %v", in, err)
	}

	altered := strings.Replace(string(sr.Record), "cannabis resin", "tea leaves", 1)
	forgedBySelf, _ := Sign(otherKey, body)
	wrongOrigin := *s
	wrongOrigin.Origin = "pk-customs/hq"
	wob, _ := json.Marshal(&wrongOrigin)
	wosr, _ := Sign(key, wob)
	invalid := *s
	invalid.Goods = nil
	ib, _ := json.Marshal(&invalid)
	isr, _ := Sign(key, ib)
	warning := strings.Replace(string(sr.Record), `"kind":"seizure"`, `"kind":"warning"`, 1)
	wsr, _ := Sign(key, []byte(warning))
	declaration := strings.Replace(string(sr.Record), `"kind":"seizure"`, `"kind":"declaration"`, 1)
	dsr, _ := Sign(key, []byte(declaration))
	for _, c := range []struct {
		name   string
		sr     *crossguard.SignedRecord
		keys   Keys
		reason string
	}{
		{"altered body", &crossguard.SignedRecord{Record: []byte(altered), Signature: sr.Signature}, keysOf(origin, pub), "not the origin's"},
		{"signed by another key", forgedBySelf, keysOf(origin, pub), "not the origin's"},
		{"origin's key unknown", sr, keysOf("pk-customs/hq", otherPub), "not a known node"},
		{"forged origin", wosr, keysOf("pk-customs/hq", otherPub), "not the origin's"},
		{"malformed signature", &crossguard.SignedRecord{Record: sr.Record, Signature: "!!"}, keysOf(origin, pub), "malformed signature"},
		{"malformed JSON", &crossguard.SignedRecord{Record: []byte(`{"id": `), Signature: sr.Signature}, keysOf(origin, pub), "malformed record"},
		{"invalid body", isr, keysOf(origin, pub), "invalid seizure"},
		{"a seizure relabelled as a warning", wsr, keysOf(origin, pub), "malformed warning: unknown field"},
		{"kind never shared", dsr, keysOf(origin, pub), "not a shareable record kind"},
		{"too large", &crossguard.SignedRecord{Record: []byte(`"` + strings.Repeat("x", MaxRecordBytes) + `"`)}, keysOf(origin, pub), "over the protocol's limit"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Open(c.sr, c.keys)
			var r *Refused
			if !errors.As(err, &r) {
				t.Fatalf("Open = %v, want a refusal", err)
			}
			if !strings.Contains(r.Reason, c.reason) {
				t.Fatalf("reason %q does not say %q", r.Reason, c.reason)
			}
		})
	}
}
