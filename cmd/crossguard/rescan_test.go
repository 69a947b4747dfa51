package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/canonjson"
	"crossguard/federation"
	"crossguard/federation/fedtest"
	"crossguard/internal/testenv"
	"crossguard/node"
	"crossguard/sample"
	"crossguard/sqlite"
)

// personVersions returns versions of origin, signed with key, that carry
// person data in fields no record has, as an older crossguard stored
// them: a seizure with a driver (version 2 of base if given, else a new
// one), an annotation with an author and the tombstone of a seizure with
// a name. They are decoded leniently, as the old code did.
func personVersions(t *testing.T, origin string, key ed25519.PrivateKey, base *crossguard.Seizure) []*crossguard.Incoming {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	s := base
	if s == nil {
		s = sample.Seizures(1, 77, now)[0]
		s.Normalize()
		s.ID, s.Origin, s.Version, s.CreatedAt = node.NewUUIDv7(), origin, 0, now
		s.Distribution, s.Marking.TLP = crossguard.DistNetwork, crossguard.TLPGreen
	}
	cp := *s
	s = &cp
	s.Version++
	s.UpdatedAt = now
	h := crossguard.Header{ID: node.NewUUIDv7(), Kind: crossguard.KindAnnotation, Origin: origin, Version: 1, CreatedAt: now, UpdatedAt: now,
		Distribution: crossguard.DistNetwork, Marking: crossguard.Marking{TLP: crossguard.TLPGreen, Handling: "H1"}}
	note := &crossguard.Annotation{Header: h, Target: crossguard.RecordRef{ID: s.ID, Kind: crossguard.KindSeizure, Origin: origin},
		Text: "Same concealment as last month."}
	tomb := h
	tomb.ID, tomb.Kind, tomb.Version = node.NewUUIDv7(), crossguard.KindSeizure, 2
	var out []*crossguard.Incoming
	for _, c := range []struct {
		v     any
		field string
		value any
	}{
		{s, "driver", map[string]string{"name": "Ali Khan", "passport": "AB1234567", "date_of_birth": "1980-02-03"}},
		{note, "author", "Ali Khan"},
		{struct {
			crossguard.Header
			Deleted bool `json:"deleted"`
		}{tomb, true}, "name", "Ali Khan"},
	} {
		b, err := json.Marshal(c.v)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		json.Unmarshal(b, &m)
		m[c.field] = c.value
		b, _ = json.Marshal(m)
		sr, err := federation.Sign(key, b)
		if err != nil {
			t.Fatal(err)
		}
		in := &crossguard.Incoming{Signed: *sr, Path: []string{origin}}
		var head struct {
			crossguard.Header
			Deleted bool `json:"deleted"`
		}
		json.Unmarshal(sr.Record, &head)
		in.Header, in.Deleted = head.Header, head.Deleted
		switch {
		case in.Deleted:
		case in.Header.Kind == crossguard.KindSeizure:
			in.Seizure = new(crossguard.Seizure)
			json.Unmarshal(sr.Record, in.Seizure)
		default:
			in.Target = s.ID
		}
		out = append(out, in)
	}
	return out
}

// storeAsOld stores versions received from peer as an older crossguard
// did, straight into the store, leaving the peer's cursor where it is.
func storeAsOld(t *testing.T, s crossguard.Store, peer string, versions []*crossguard.Incoming) {
	t.Helper()
	p, err := s.Peer(t.Context(), peer)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.ApplyPage(t.Context(), &crossguard.InboundPage{Peer: peer, Cursor: p.Status.Cursor, RemoteHead: p.Status.RemoteHead,
		At: time.Now().UTC(), Records: versions})
	if err != nil || res.Applied != len(versions) {
		t.Fatalf("store the old versions: %+v, %v", res, err)
	}
}

// TestRescanCommand runs crossguard rescan on a node whose database holds
// versions with person data stored by an older crossguard: it lists them
// and exits 1, changes nothing, then quarantines them with --quarantine,
// after which a rescan finds nothing and exits 0.
func TestRescanCommand(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	if out, errOut, err := c.run("", "rescan", "--help"); err != nil || !strings.Contains(errOut, "Exit status: 0 if nothing would be refused, 1 if") ||
		!strings.Contains(errOut, "crossguard rescan --quarantine") {
		t.Fatalf("rescan --help: %v\n%s%s", err, out, errOut)
	}
	if out := c.must("rescan"); !strings.Contains(out, "OK: 0 held versions checked") {
		t.Fatalf("rescan of an empty node: %s", out)
	}

	// A partner's card, and versions of it stored by an older crossguard.
	const origin = "cn-customs/kashgar"
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	card, _ := json.Marshal(crossguard.NodeCard{ID: origin, Agency: "cn-customs", Country: "CN", Name: "Kashgar", URL: "https://127.0.0.1:18444",
		PublicKey: base64.StdEncoding.EncodeToString(pub), Protocol: crossguard.ProtocolVersion})
	cardFile := filepath.Join(t.TempDir(), "kashgar.json")
	os.WriteFile(cardFile, card, 0o644)
	c.must("peer", "add", cardFile, "--relationship", "partner", "--kinds", strings.Join(crossguard.ShareableKinds, ","), "--max-tlp", "amber")
	versions := personVersions(t, origin, key, nil)
	st, err := sqlite.Open(t.Context(), filepath.Join(c.data, "crossguard.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	storeAsOld(t, st, origin, versions)
	st.Close()

	out, _, err := c.run("", "rescan")
	var found *errFindings
	if !errors.As(err, &found) || found.found != 3 || found.quarantined != 0 {
		t.Fatalf("rescan: %v, want 3 found\n%s", err, out)
	}
	for _, want := range []string{"KIND", "REASON", versions[0].Header.ID, "malformed seizure: unknown field driver",
		versions[1].Header.ID, "malformed annotation: unknown field author", "seizure (tombstone)", versions[2].Header.ID,
		"malformed tombstone: unknown field name", origin, "3 held versions checked, 3 would now be refused. Nothing was changed"} {
		if !strings.Contains(out, want) {
			t.Errorf("rescan output lacks %q:\n%s", want, out)
		}
	}
	// Nothing changed: the same is found again.
	out, _, err = c.run("", "rescan", "--quarantine", "--json")
	if !errors.As(err, &found) || found.found != 3 || found.quarantined != 3 {
		t.Fatalf("rescan --quarantine: %v, want 3 quarantined\n%s", err, out)
	}
	var res federation.RescanResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("rescan --json: %v\n%s", err, out)
	}
	if res.Checked != 3 || len(res.Findings) != 3 {
		t.Fatalf("rescan --json: %+v", res)
	}
	for i, f := range res.Findings {
		if !f.Quarantined || f.Origin != origin || f.Reason == "" {
			t.Errorf("finding %d: %+v", i, f)
		}
	}
	if out := c.must("rescan"); !strings.Contains(out, "OK: 0 held versions checked, none would now be refused.") {
		t.Fatalf("rescan after the quarantine: %s", out)
	}
	out = c.must("rescan", "--quarantined")
	for _, v := range versions {
		if !strings.Contains(out, v.Header.ID) || !strings.Contains(out, "cli:tester") {
			t.Errorf("rescan --quarantined lacks %s:\n%s", v.Header.ID, out)
		}
	}
	var qs []*crossguard.Quarantined
	if err := json.Unmarshal([]byte(c.must("rescan", "--quarantined", "--json")), &qs); err != nil || len(qs) != 3 {
		t.Fatalf("rescan --quarantined --json: %d entries, %v", len(qs), err)
	}
	// Indented in the output, the signed record is the one received.
	if canon, err := canonjson.Canonicalize(qs[0].Signed.Record); err != nil || !bytes.Equal(canon, versions[0].Signed.Record) {
		t.Fatalf("rescan --quarantined --json gives the record %s, want %s", qs[0].Signed.Record, versions[0].Signed.Record)
	}
	if out := c.must("audit", "list", "--action", crossguard.ActionFedQuarantine); strings.Count(out, crossguard.ActionFedQuarantine) != 3 {
		t.Fatalf("audit list of quarantines:\n%s", out)
	}
	if out := c.must("audit", "verify"); !strings.HasPrefix(out, "OK") {
		t.Fatalf("audit verify: %s", out)
	}
}

// TestRescanQuarantineWithdrawsDownstream has an older crossguard's
// store hold, and relay to a node of its own agency (whose older
// crossguard stored them too), a partner's versions with person data; a rescan through the command's code path finds it
// and, with quarantine, removes it, keeps it in the quarantine, audits it,
// and the downstream node receives a withdrawal and removes its copy.
func TestRescanQuarantineWithdrawsDownstream(t *testing.T) {
	runRescanDownstream(t, fedtest.SQLite)
}

// TestRescanQuarantineWithdrawsDownstreamPostgres runs the same with the
// rescanned node on PostgreSQL.
func TestRescanQuarantineWithdrawsDownstreamPostgres(t *testing.T) {
	testenv.PostgresURL(t)
	runRescanDownstream(t, fedtest.Postgres)
}

func runRescanDownstream(t *testing.T, open fedtest.Opener) {
	ctx := t.Context()
	partner := fedtest.NewNode(t, fedtest.SQLite, "cn-customs/kashgar")
	hq := fedtest.NewNode(t, open, "pk-customs/hq")
	post := fedtest.NewNode(t, fedtest.SQLite, "pk-customs/post")
	fedtest.Link(partner, hq, fedtest.All)
	fedtest.Link(hq, post, fedtest.All)
	post.AddPeer(partner, fedtest.Policy{Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPRed, OriginOnly: true})
	s := sample.Seizures(1, 78, time.Now())[0]
	// H1 rather than the sample's own code: an H2 record would not be
	// relayed by headquarters, which is of another agency than its origin.
	s.Distribution, s.Marking = crossguard.DistNetwork, crossguard.Marking{TLP: crossguard.TLPGreen, Handling: crossguard.HandlingH1}
	clean, err := partner.Node.CreateSeizure(ctx, "test", s)
	if err != nil {
		t.Fatal(err)
	}
	fedtest.Sync(t, 5, partner, hq, post)

	versions := personVersions(t, partner.ID(), partner.Key, clean)
	storeAsOld(t, hq.Store, partner.ID(), versions)
	// The old node served them to the downstream node (which, running
	// the same old crossguard, stored them).
	fedtest.Sync(t, 5, hq, post)
	ids := []string{versions[0].Header.ID, versions[1].Header.ID}
	shared, err := hq.Store.SharedWith(ctx, post.ID(), ids)
	if err != nil || len(shared) != 2 {
		t.Fatalf("the old node served %v to the downstream node (%v), want both: the test would prove nothing", shared, err)
	}
	relayed := make([]*crossguard.Incoming, 2)
	for i, v := range versions[:2] {
		c := *v
		c.Path = []string{partner.ID(), hq.ID()}
		relayed[i] = &c
	}
	storeAsOld(t, post.Store, hq.ID(), relayed)
	for _, id := range ids {
		if h := post.Holds()[id]; h.Origin != partner.ID() {
			t.Fatalf("the downstream node does not hold %s", id)
		}
	}

	env := &Env{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: func(string) string { return "" }}
	err = rescan(ctx, env, hq.Store, hq.Node.Clock, "cli:dpo", false, false)
	var found *errFindings
	if !errors.As(err, &found) || found.found != 3 {
		t.Fatalf("rescan: %v\n%s", err, env.Stdout)
	}
	if !strings.Contains(env.Stdout.(*bytes.Buffer).String(), "malformed seizure: unknown field driver") {
		t.Fatalf("rescan output:\n%s", env.Stdout)
	}
	for _, id := range ids {
		if _, ok := hq.Holds()[id]; !ok {
			t.Fatalf("a rescan without --quarantine removed %s", id)
		}
	}

	audit, _, err := hq.Store.AuditHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	env.Stdout = &bytes.Buffer{}
	if err := rescan(ctx, env, hq.Store, hq.Node.Clock, "cli:dpo", true, false); !errors.As(err, &found) || found.quarantined != 3 {
		t.Fatalf("rescan --quarantine: %v\n%s", err, env.Stdout)
	}
	held := hq.Holds()
	for _, id := range ids {
		if _, ok := held[id]; ok {
			t.Errorf("the quarantined %s is still held", id)
		}
	}
	q, err := hq.Store.QuarantinedVersions(ctx)
	if err != nil || len(q) != 3 {
		t.Fatalf("QuarantinedVersions: %d, %v", len(q), err)
	}
	for i, v := range versions {
		if q[i].ID != v.Header.ID || !bytes.Equal(q[i].Signed.Record, v.Signed.Record) || q[i].Actor != "cli:dpo" ||
			!strings.Contains(q[i].Reason, "unknown field") {
			t.Errorf("quarantined %d: %+v, want %s with its signed record", i, q[i], v.Header.ID)
		}
	}
	var entries []*crossguard.AuditEntry
	hq.Store.WalkAudit(ctx, func(e *crossguard.AuditEntry) error {
		if e.Seq > audit && e.Action == crossguard.ActionFedQuarantine {
			entries = append(entries, e)
		}
		return nil
	})
	if len(entries) != 3 || entries[0].RecordID != ids[0] || entries[0].Actor != "cli:dpo" {
		t.Fatalf("federation.quarantine entries: %+v", entries)
	}

	// The downstream node gets withdrawals and removes its copies.
	fedtest.Sync(t, 5, hq, post)
	held = post.Holds()
	for _, id := range ids {
		if _, ok := held[id]; ok {
			t.Errorf("the downstream node still holds the quarantined %s", id)
		}
	}
	removed := map[string]string{}
	post.Store.WalkAudit(ctx, func(e *crossguard.AuditEntry) error {
		if e.Action == crossguard.ActionFedWithdrawn {
			removed[e.RecordID] = e.Actor
		}
		return nil
	})
	for _, id := range ids {
		if removed[id] != hq.ID() {
			t.Errorf("the downstream node did not remove %s on a withdrawal from %s: %v", id, hq.ID(), removed)
		}
	}
	env.Stdout = &bytes.Buffer{}
	if err := rescan(context.Background(), env, hq.Store, hq.Node.Clock, "cli:dpo", false, false); err != nil {
		t.Fatalf("rescan after the quarantine: %v\n%s", err, env.Stdout)
	}
}
