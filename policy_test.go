package crossguard

import (
	"strings"
	"testing"
)

// TestMayShare checks each rule of the sharing policy with one case that
// passes and one that the rule stops.
func TestMayShare(t *testing.T) {
	peer := func(id, rel, maxTLP string, kinds ...string) *Peer {
		if len(kinds) == 0 {
			kinds = ShareableKinds
		}
		return &Peer{Card: NodeCard{ID: id, Agency: Agency(id)}, Relationship: rel, Kinds: kinds, MaxTLP: maxTLP}
	}
	hdr := func(origin, dist, tlp string, recipients ...string) *Header {
		return &Header{Kind: "seizure", Origin: origin, Distribution: dist, Recipients: recipients, Marking: Marking{TLP: tlp, Handling: "H1"}}
	}
	h2 := func(h *Header) *Header { h.Marking.Handling = HandlingH2; return h }
	hq := peer("pk-customs/hq", RelAgency, TLPRed)
	cn := peer("cn-customs/tashkurgan", RelPartner, TLPAmber)
	cnRed := peer("cn-customs/tashkurgan", RelPartner, TLPRed)
	af := peer("af-customs/torkham", RelPartner, TLPRed)
	originOnly := peer("cn-customs/kashgar", RelPartner, TLPRed)
	originOnly.OriginOnly = true
	warningsOnly := peer("cn-customs/tashkurgan", RelPartner, TLPRed, "warning")

	for _, c := range []struct {
		name   string
		holder string
		peer   *Peer
		h      *Header
		ok     bool
		reason string // a word the refusal must contain
	}{
		{"partners to a partner from the origin", "pk-customs/sost", cn, hdr("pk-customs/sost", DistPartners, TLPGreen), true, ""},
		{"origin-only peer", "pk-customs/sost", originOnly, hdr("pk-customs/sost", DistNetwork, TLPClear), false, "origin"},
		{"back to its origin", "pk-customs/hq", peer("pk-customs/sost", RelAgency, TLPRed), hdr("pk-customs/sost", DistNetwork, TLPClear), false, "origin"},
		{"kind not shared", "pk-customs/sost", warningsOnly, hdr("pk-customs/sost", DistNetwork, TLPClear), false, "seizure records"},
		{"above the ceiling", "pk-customs/sost", cn, hdr("pk-customs/sost", DistPartners, TLPRed, "cn-customs"), false, "ceiling"},
		{"at the ceiling", "pk-customs/sost", cn, hdr("pk-customs/sost", DistPartners, TLPAmber), true, ""},
		{"local never leaves", "pk-customs/sost", hq, hdr("pk-customs/sost", DistLocal, TLPClear), false, "local"},
		{"agency within the agency", "pk-customs/sost", hq, hdr("pk-customs/sost", DistAgency, TLPGreen), true, ""},
		{"agency not to a partner", "pk-customs/sost", cn, hdr("pk-customs/sost", DistAgency, TLPGreen), false, "agency"},
		{"amber+strict within the agency", "pk-customs/sost", hq, hdr("pk-customs/sost", DistNetwork, TLPAmberStrict), true, ""},
		{"amber+strict not to a partner", "pk-customs/sost", cnRed, hdr("pk-customs/sost", DistNetwork, TLPAmberStrict), false, "AMBER+STRICT"},
		{"red to a named recipient", "pk-customs/sost", cnRed, hdr("pk-customs/sost", DistPartners, TLPRed, "cn-customs"), true, ""},
		{"red not to an unnamed one", "pk-customs/sost", af, hdr("pk-customs/sost", DistPartners, TLPRed, "cn-customs"), false, "RED"},
		{"red not even to the own agency unless named", "pk-customs/sost", hq, hdr("pk-customs/sost", DistPartners, TLPRed, "cn-customs"), false, "RED"},
		{"red to the own agency when named", "pk-customs/sost", hq, hdr("pk-customs/sost", DistPartners, TLPRed, "cn-customs", "pk-customs"), true, ""},
		{"named recipients exclude others", "pk-customs/sost", af, hdr("pk-customs/sost", DistNetwork, TLPGreen, "cn-customs"), false, "named recipients"},
		{"named recipients do not exclude the own agency", "pk-customs/sost", hq, hdr("pk-customs/sost", DistNetwork, TLPGreen, "cn-customs"), true, ""},
		{"partners through headquarters", "pk-customs/hq", cn, hdr("pk-customs/sost", DistPartners, TLPGreen), true, ""},
		{"partners not relayed by a partner", "cn-customs/tashkurgan", af, hdr("pk-customs/sost", DistPartners, TLPGreen), false, "not relayed"},
		{"network relayed by a partner", "cn-customs/tashkurgan", af, hdr("pk-customs/sost", DistNetwork, TLPGreen), true, ""},
		{"a partner's record back into its agency", "pk-customs/hq", peer("cn-customs/kashgar", RelPartner, TLPRed), hdr("cn-customs/tashkurgan", DistAgency, TLPGreen), true, ""},
		{"H2 from the origin to a partner", "pk-customs/sost", cn, h2(hdr("pk-customs/sost", DistNetwork, TLPGreen)), true, ""},
		{"H2 through headquarters to a partner", "pk-customs/hq", cn, h2(hdr("pk-customs/sost", DistNetwork, TLPGreen)), true, ""},
		{"H2 not relayed by a partner", "cn-customs/tashkurgan", af, h2(hdr("pk-customs/sost", DistNetwork, TLPGreen)), false, "H2"},
		{"H2 not relayed within the recipient agency", "cn-customs/tashkurgan", peer("cn-customs/kashgar", RelAgency, TLPRed), h2(hdr("pk-customs/sost", DistNetwork, TLPGreen)), false, "H2"},
		{"H2 back into the origin's agency", "cn-customs/tashkurgan", hq, h2(hdr("pk-customs/sost", DistNetwork, TLPGreen)), true, ""},
		{"unknown TLP", "pk-customs/sost", hq, hdr("pk-customs/sost", DistNetwork, "purple"), false, "ceiling"},
		{"unknown distribution", "pk-customs/sost", hq, hdr("pk-customs/sost", "everyone", TLPClear), false, "local"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ok, why := MayShare(c.holder, c.peer, c.h)
			if ok != c.ok {
				t.Fatalf("MayShare = %v (%q), want %v", ok, why, c.ok)
			}
			if ok && why != "" {
				t.Errorf("allowed with a reason %q", why)
			}
			if !ok && !strings.Contains(why, c.reason) {
				t.Errorf("reason %q does not say %q", why, c.reason)
			}
		})
	}
}

// TestCheckPeerPolicy checks that the relationship must match the card.
func TestCheckPeerPolicy(t *testing.T) {
	p := &Peer{Card: NodeCard{ID: "cn-customs/tashkurgan", Agency: "cn-customs"}, Relationship: RelAgency, Kinds: []string{"seizure"}, MaxTLP: TLPAmber}
	if err := CheckPeerPolicy(p, "pk-customs"); err == nil || !strings.Contains(err.Error(), "relationship") && len(ErrorFields(err)) == 0 {
		t.Fatalf("agency relationship with a partner's card: got %v", err)
	}
	p.Relationship = RelPartner
	if err := CheckPeerPolicy(p, "pk-customs"); err != nil {
		t.Fatalf("valid policy: %v", err)
	}
	p.Kinds = []string{"declaration"}
	if err := CheckPeerPolicy(p, "pk-customs"); err == nil {
		t.Fatal("declarations accepted as a shared kind")
	}
	p.Kinds, p.MaxTLP = []string{"seizure"}, "purple"
	if err := CheckPeerPolicy(p, "pk-customs"); err == nil {
		t.Fatal("unknown TLP accepted")
	}
}
