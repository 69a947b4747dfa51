package federation_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation"
	"crossguard/federation/fedtest"
)

// newProfile returns a valid profile of node n, stamped at version 1 and
// shared with partners at TLP:GREEN.
func newProfile(n *fedtest.Node) *crossguard.Profile {
	now := time.Now().UTC().Truncate(time.Microsecond)
	return &crossguard.Profile{
		Header: crossguard.Header{ID: n.Node.NewID(), Kind: crossguard.KindProfile, Origin: n.ID(), Version: 1,
			CreatedAt: now, UpdatedAt: now, Distribution: crossguard.DistPartners,
			Marking: crossguard.Marking{TLP: crossguard.TLPGreen, Handling: "H1"}},
		Name:    "Opium alkaloids declared cheap",
		Channel: crossguard.ChannelRed,
		Score:   0.9,
		Conditions: []crossguard.Condition{
			{Field: "hs6_code", Op: crossguard.OpPrefix, Value: json.RawMessage(`"2939"`)},
			{Field: "value_per_kg", Op: crossguard.OpLt, Value: json.RawMessage(`50`)},
		},
		ValidFrom: "2026-11-01", ValidTo: "2027-05-01",
		Owner: "Risk management unit",
	}
}

// profileRecord returns p as the record store keeps it.
func profileRecord(t testing.TB, p *crossguard.Profile) *crossguard.Record {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return &crossguard.Record{Header: p.Header, Body: b}
}

// heldProfile returns the profile id as n holds it, failing t unless it
// is live at version.
func heldProfile(t testing.TB, n *fedtest.Node, id string, version int64) *crossguard.Profile {
	t.Helper()
	r, err := n.Store.Record(t.Context(), id)
	if err != nil {
		t.Fatalf("%s: record %s: %v", n.ID(), id, err)
	}
	var p crossguard.Profile
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatalf("%s: decode profile %s: %v", n.ID(), id, err)
	}
	if p.Kind != crossguard.KindProfile || p.Version != version {
		t.Fatalf("%s holds %s %s at version %d, want a profile at version %d", n.ID(), p.Kind, id, p.Version, version)
	}
	return &p
}

// profileIDs returns the ids of the profiles n lists.
func profileIDs(t testing.TB, n *fedtest.Node) []string {
	t.Helper()
	rs, err := n.Store.RecordsOfKind(t.Context(), crossguard.KindProfile)
	if err != nil {
		t.Fatalf("%s: profiles: %v", n.ID(), err)
	}
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	return ids
}

// TestProfileTravels follows a profile of A through its life: a partner
// B that takes profiles receives it, its update and its tombstone, while
// a partner C that takes seizures but not profiles gets the seizure
// shared alongside and nothing of the profile. It runs with B and C on
// each backend.
func TestProfileTravels(t *testing.T) {
	for _, backend := range []struct {
		name string
		open fedtest.Opener
	}{{"SQLite", fedtest.SQLite}, {"PostgreSQL", fedtest.Postgres}} {
		t.Run(backend.name, func(t *testing.T) {
			a := fedtest.NewNode(t, fedtest.SQLite, "pk-customs/sost")
			b := fedtest.NewNode(t, backend.open, "cn-customs/tashkurgan")
			c := fedtest.NewNode(t, backend.open, "af-customs/islam-qala")
			fedtest.Link(a, b, fedtest.Policy{Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPAmber})
			fedtest.Link(a, c, fedtest.Policy{Kinds: []string{crossguard.KindSeizure, crossguard.KindAnnotation}, MaxTLP: crossguard.TLPAmber})

			p := newProfile(a)
			if err := a.Store.CreateRecord(t.Context(), "analyst.rana", profileRecord(t, p)); err != nil {
				t.Fatalf("create profile: %v", err)
			}
			sz := createSeizure(t, a, crossguard.DistPartners, crossguard.TLPGreen)
			fedtest.Sync(t, 5, a, b, c)
			if got := heldProfile(t, b, p.ID, 1); got.Name != p.Name || got.Origin != a.ID() {
				t.Fatalf("b holds profile %q of %s, want %q of %s", got.Name, got.Origin, p.Name, a.ID())
			}
			wantIDs(t, "profiles of b", profileIDs(t, b), p.ID)
			if h := c.Holds(); h[sz.ID].Version != 1 {
				t.Fatalf("c holds %v of the seizure shared with it, want version 1", h[sz.ID])
			}

			v2 := *p
			v2.Version, v2.UpdatedAt = 2, p.UpdatedAt.Add(time.Minute)
			v2.Name, v2.Score = "Opium alkaloids declared cheap, by air", 0.95
			if err := a.Store.UpdateRecord(t.Context(), "analyst.rana", profileRecord(t, &v2)); err != nil {
				t.Fatalf("update profile: %v", err)
			}
			fedtest.Sync(t, 5, a, b, c)
			if got := heldProfile(t, b, p.ID, 2); got.Name != v2.Name || got.Score != v2.Score {
				t.Fatalf("b holds profile %q scoring %v, want %q scoring %v", got.Name, got.Score, v2.Name, v2.Score)
			}

			if err := a.Store.DeleteRecord(t.Context(), "analyst.rana", p.ID, 2, v2.UpdatedAt.Add(time.Minute)); err != nil {
				t.Fatalf("delete profile: %v", err)
			}
			fedtest.Sync(t, 5, a, b, c)
			if _, held := b.Holds()[p.ID]; held {
				t.Fatalf("b still holds the deleted profile %s", p.ID)
			}
			if ch := changeOf(t, b, p.ID); ch == nil || ch.State != crossguard.StateDeleted || ch.Header.Version != 3 || ch.Signed == nil {
				t.Fatalf("b's change of the deleted profile: %+v, want the origin's signed tombstone at version 3", ch)
			}
			wantIDs(t, "profiles of b after the delete", profileIDs(t, b))

			if ch := changeOf(t, c, p.ID); ch != nil {
				t.Fatalf("c, which takes no profiles, has the profile: %+v", ch)
			}
			wantIDs(t, "profiles of c", profileIDs(t, c))
		})
	}
}

// wantIDs fails t unless got is exactly want, in order.
func wantIDs(t testing.TB, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("%s: %v, want %v", what, got, want)
	}
}

// TestOpenProfile checks that a signed profile opens, and that one the
// origin should never have signed is refused with the fields at fault.
func TestOpenProfile(t *testing.T) {
	const origin = "pk-customs/sost"
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	keys := func(o string) (ed25519.PublicKey, bool) { return pub, o == origin }
	valid := &crossguard.Profile{
		Header: crossguard.Header{ID: "0193f1f2-7b1c-7cc0-9a4e-3c1d2e4f5a6b", Kind: crossguard.KindProfile, Origin: origin, Version: 1,
			CreatedAt: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC), UpdatedAt: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC),
			Distribution: crossguard.DistPartners, Marking: crossguard.Marking{TLP: crossguard.TLPAmber, Handling: "H1"}},
		Name: "Opium alkaloids declared cheap", Channel: crossguard.ChannelRed, Score: 0.9,
		Conditions: []crossguard.Condition{{Field: "hs6_code", Op: crossguard.OpPrefix, Value: json.RawMessage(`"2939"`)}},
		ValidFrom:  "2026-11-01",
	}
	for _, tc := range []struct {
		name   string
		change func(p *crossguard.Profile)
		reason string // "" if it opens
	}{
		{"valid", func(*crossguard.Profile) {}, ""},
		{"without conditions", func(p *crossguard.Profile) { p.Conditions = nil }, "invalid profile: conditions: at least one condition is required"},
		{"score over 1", func(p *crossguard.Profile) { p.Score = 2 }, "invalid profile: score: must be between 0 and 1"},
		{"release channel", func(p *crossguard.Profile) { p.Channel = crossguard.ChannelGreen }, "invalid profile: channel"},
		{"never valid", func(p *crossguard.Profile) { p.ValidTo = "2026-10-01" }, "invalid profile: valid_to"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := *valid
			tc.change(&p)
			body, err := json.Marshal(&p)
			if err != nil {
				t.Fatal(err)
			}
			sr, err := federation.Sign(key, body)
			if err != nil {
				t.Fatal(err)
			}
			in, err := federation.Open(sr, keys)
			if tc.reason == "" {
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				if in.Header.ID != p.ID || in.Header.Kind != crossguard.KindProfile || in.Deleted {
					t.Fatalf("Open: %+v, want the live profile %s", in.Header, p.ID)
				}
				return
			}
			var refused *federation.Refused
			if !errors.As(err, &refused) || !strings.Contains(refused.Reason, tc.reason) || refused.ID != p.ID {
				t.Fatalf("Open: %v, want a refusal of %s containing %q", err, p.ID, tc.reason)
			}
		})
	}
}
