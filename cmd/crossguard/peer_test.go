package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/sqlite"
	"crossguard/storetest"
)

// newPeerCLIs returns two initialised nodes of different agencies with
// their cards written to files.
func newPeerCLIs(t *testing.T) (a, b *cli, cardA, cardB string) {
	t.Helper()
	a, b = newCLI(t), newCLI(t)
	b.data = filepath.Join(t.TempDir(), "node-b")
	a.must("init", "--agency", "pk-customs", "--node", "sost", "--country", "PK", "--name", "Sost", "--federation-url", "https://127.0.0.1:18443")
	b.must("init", "--agency", "cn-customs", "--node", "tashkurgan", "--country", "CN", "--name", "Tashkurgan", "--federation-url", "https://127.0.0.1:18444")
	dir := t.TempDir()
	cardA, cardB = filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	os.WriteFile(cardA, []byte(a.must("node", "card")), 0o644)
	os.WriteFile(cardB, []byte(b.must("node", "card")), 0o644)
	return a, b, cardA, cardB
}

func TestNodeCard(t *testing.T) {
	a, _, cardA, _ := newPeerCLIs(t)
	b, _ := os.ReadFile(cardA)
	var card crossguard.NodeCard
	if err := json.Unmarshal(b, &card); err != nil {
		t.Fatalf("node card is not JSON: %v\n%s", err, b)
	}
	want := crossguard.NodeCard{ID: "pk-customs/sost", Agency: "pk-customs", Country: "PK", Name: "Sost",
		URL: "https://127.0.0.1:18443", Protocol: crossguard.ProtocolVersion}
	pub := card.PublicKey
	card.PublicKey = ""
	if card != want || len(pub) != 44 {
		t.Fatalf("card = %+v (key %q), want %+v", card, pub, want)
	}
	if _, _, err := a.run("", "init", "--agency", "x", "--node", "y", "--country", "PK", "--name", "n", "--federation-url", "http://plain"); err == nil {
		t.Fatal("init accepted a federation URL that is not https")
	}
}

func TestPeerAddListRemove(t *testing.T) {
	a, _, _, cardB := newPeerCLIs(t)
	out := a.must("peer", "add", cardB, "--relationship", "partner", "--kinds", "seizure,annotation", "--max-tlp", "amber")
	if !strings.Contains(out, "cn-customs/tashkurgan") || !strings.Contains(out, "added this node's card too") {
		t.Fatalf("peer add said %q", out)
	}
	var peers []*crossguard.Peer
	if err := json.Unmarshal([]byte(a.must("peer", "list", "--json")), &peers); err != nil {
		t.Fatal(err)
	}
	if len(peers) != 1 || peers[0].Card.ID != "cn-customs/tashkurgan" || peers[0].MaxTLP != "amber" ||
		strings.Join(peers[0].Kinds, ",") != "annotation,seizure" || peers[0].Relationship != "partner" {
		t.Fatalf("peer list = %+v", peers[0])
	}
	if out := a.must("peer", "list"); !strings.Contains(out, "cn-customs/tashkurgan") || !strings.Contains(out, "never") {
		t.Fatalf("peer list table: %q", out)
	}
	// Adding it again changes the policy.
	a.must("peer", "add", cardB, "--relationship", "partner", "--kinds", "seizure", "--max-tlp", "green")
	json.Unmarshal([]byte(a.must("peer", "list", "--json")), &peers)
	if len(peers) != 1 || peers[0].MaxTLP != "green" || strings.Join(peers[0].Kinds, ",") != "seizure" {
		t.Fatalf("after a policy change: %+v", peers)
	}
	a.must("peer", "remove", "cn-customs/tashkurgan")
	if out := a.must("peer", "list"); !strings.Contains(out, "No peers") {
		t.Fatalf("after remove: %q", out)
	}
	if _, _, err := a.run("", "peer", "remove", "cn-customs/tashkurgan"); err == nil {
		t.Fatal("removing an unknown peer succeeded")
	}
	// The audit log says who changed the peers.
	if out := a.must("audit", "list", "--action", "peer.remove"); !strings.Contains(out, "cn-customs/tashkurgan") {
		t.Fatalf("audit list: %q", out)
	}
}

func TestPeerAddRefusesBadInput(t *testing.T) {
	a, _, cardA, cardB := newPeerCLIs(t)
	garbage := filepath.Join(t.TempDir(), "garbage.json")
	os.WriteFile(garbage, []byte(`{"id": "x", "colour": "blue"}`), 0o644)
	for _, c := range []struct {
		name string
		args []string
		says string
	}{
		{"own card", []string{cardA, "--relationship", "agency", "--kinds", "seizure", "--max-tlp", "amber"}, "own"},
		{"not a card", []string{garbage, "--relationship", "partner", "--kinds", "seizure", "--max-tlp", "amber"}, "not a node card"},
		{"relationship does not match the card", []string{cardB, "--relationship", "agency", "--kinds", "seizure", "--max-tlp", "amber"}, "relationship"},
		{"unknown kind", []string{cardB, "--relationship", "partner", "--kinds", "declaration", "--max-tlp", "amber"}, "kinds"},
		{"unknown TLP", []string{cardB, "--relationship", "partner", "--kinds", "seizure", "--max-tlp", "white"}, "max_tlp"},
		{"no kinds", []string{cardB, "--relationship", "partner", "--max-tlp", "amber"}, "kinds"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, err := a.run("", append([]string{"peer", "add"}, c.args...)...)
			if err == nil {
				t.Fatalf("accepted: %s", out)
			}
			if msg := err.Error() + errOut + fieldsOf(err); !strings.Contains(msg, c.says) {
				t.Fatalf("error %q does not say %q", msg, c.says)
			}
		})
	}
	if out := a.must("peer", "list"); !strings.Contains(out, "No peers") {
		t.Fatalf("a refused peer was stored: %q", out)
	}
}

// fieldsOf renders the field errors of an application error.
func fieldsOf(err error) string {
	var b strings.Builder
	for _, f := range crossguard.ErrorFields(err) {
		b.WriteString(f.Field + ": " + f.Message + "; ")
	}
	return b.String()
}

// TestPeerListRefusalsAndAck checks that peer list shows the refused count
// and the last refusal, which outlives a clean page until peer ack clears
// it, audited.
func TestPeerListRefusalsAndAck(t *testing.T) {
	a, _, _, cardB := newPeerCLIs(t)
	a.must("peer", "add", cardB, "--relationship", "partner", "--kinds", "seizure", "--max-tlp", "amber")
	const peer = "cn-customs/tashkurgan"
	reason := "signed by a key that is not the origin's"
	at := time.Date(2026, 12, 1, 11, 40, 0, 0, time.UTC)
	func() {
		s, err := sqlite.Open(t.Context(), filepath.Join(a.data, "crossguard.db"), sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		refused := []crossguard.Refusal{{ID: storetest.SeizureID(1, at), Kind: crossguard.KindSeizure, Origin: peer, Reason: reason},
			{ID: storetest.SeizureID(2, at), Kind: crossguard.KindSeizure, Origin: peer, Reason: reason}}
		for _, p := range []*crossguard.InboundPage{
			{Peer: peer, Cursor: 1, RemoteHead: 5, At: at, Refused: refused},
			{Peer: peer, Cursor: 2, RemoteHead: 5, At: at.Add(time.Minute)}, // clean
		} {
			if _, err := s.ApplyPage(t.Context(), p); err != nil {
				t.Fatal(err)
			}
		}
	}()
	out := a.must("peer", "list")
	for _, want := range []string{"REFUSED", "LAST REFUSAL", "2 unacknowledged; last at", reason, storetest.SeizureID(2, at)} {
		if !strings.Contains(out, want) {
			t.Errorf("peer list lacks %q:\n%s", want, out)
		}
	}
	var peers []*crossguard.Peer
	if err := json.Unmarshal([]byte(a.must("peer", "list", "--json")), &peers); err != nil {
		t.Fatal(err)
	}
	if st := peers[0].Status; st.Refused != 2 || st.RefusedByClass.Signature != 2 || st.LastRefusal == nil || st.LastRefusal.Reason != reason {
		t.Fatalf("peer list --json status %+v", st)
	}
	out = a.must("peer", "ack", peer)
	if !strings.Contains(out, "Acknowledged 2 refused envelopes from "+peer) || !strings.Contains(out, reason) {
		t.Fatalf("peer ack said %q", out)
	}
	if out := a.must("peer", "list"); strings.Contains(out, "unacknowledged") {
		t.Fatalf("peer list after ack:\n%s", out)
	}
	if out := a.must("peer", "ack", peer); !strings.Contains(out, "No refusals") {
		t.Fatalf("second peer ack said %q", out)
	}
	if out := a.must("audit", "list", "--action", "peer.ack"); !strings.Contains(out, "cli:tester") || !strings.Contains(out, peer) {
		t.Fatalf("audit list: %q", out)
	}
	if _, _, err := a.run("", "peer", "ack", "cn-customs/nowhere"); err == nil {
		t.Fatal("acknowledging an unknown peer succeeded")
	}
}
