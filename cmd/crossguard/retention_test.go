package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"crossguard"
	"crossguard/sqlite"
	"crossguard/storetest"
)

// retentionFixture fills the SQLite database of an inited node p (of
// pk-customs/sost) with an agreement of 30 days with cn-customs, expired
// own seizures shared with partners (created a year ago) and fresh ones
// (created an hour ago), as of now; it returns their ids.
func retentionFixture(t *testing.T, p *proc, expired, fresh int) (old, kept []string) {
	t.Helper()
	ctx := t.Context()
	s, err := sqlite.Open(ctx, filepath.Join(p.data, "crossguard.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	info, err := s.Node(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	a := &crossguard.Agreement{Title: "Seizures, 30 days", Parties: []string{"pk-customs", "cn-customs"}, SignedOn: "2020-01-01",
		Scope: crossguard.AgreementScope{Kinds: []string{crossguard.KindSeizure}, RetentionDays: 30,
			DefaultMarking: crossguard.Marking{TLP: crossguard.TLPAmber, Handling: crossguard.HandlingH1, SourceReliability: "B", InfoAccuracy: "2"}}}
	a.Header = crossguard.Header{ID: "01900000-0000-7000-8000-00000000a001", Kind: crossguard.KindAgreement, Origin: info.ID, Version: 1,
		CreatedAt: now, UpdatedAt: now, Distribution: crossguard.DistNetwork, Recipients: a.Parties, Marking: a.Scope.DefaultMarking}
	body, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateRecord(ctx, "test", &crossguard.Record{Header: a.Header, Body: body}); err != nil {
		t.Fatal(err)
	}
	var batch []*crossguard.Seizure
	for i := range expired + fresh {
		z := storetest.NewSeizure(i, now.Add(-365*24*time.Hour+time.Duration(i)*time.Second))
		if i >= expired {
			z = storetest.NewSeizure(i, now.Add(-2*time.Hour))
			kept = append(kept, z.ID)
		} else {
			old = append(old, z.ID)
		}
		z.Origin, z.Distribution, z.Recipients = info.ID, crossguard.DistPartners, nil
		if z.Marking.TLP == crossguard.TLPRed || z.Marking.TLP == crossguard.TLPAmberStrict {
			z.Marking.TLP = crossguard.TLPAmber
		}
		batch = append(batch, z)
		if len(batch) == 500 {
			if err := s.CreateSeizures(ctx, "test", batch, nil); err != nil {
				t.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	if err := s.CreateSeizures(ctx, "test", batch, nil); err != nil {
		t.Fatal(err)
	}
	return old, kept
}

// TestRetentionApplyKilled kills `crossguard retention apply` with SIGKILL
// once it has committed its first batch, runs it again, and checks that
// every expired record became a tombstone with exactly one audit entry,
// that the fresh ones stay, and that the audit chain verifies.
func TestRetentionApplyKilled(t *testing.T) {
	p := newProc(t)
	p.must("init", "--agency", "pk-customs", "--node", "sost", "--country", "PK", "--name", "Sost")
	old, kept := retentionFixture(t, p, 3500, 50)

	out := p.must("retention", "status")
	if !strings.Contains(out, "3550") || !strings.Contains(out, "Seizures, 30 days") {
		t.Fatalf("retention status:\n%s", out)
	}
	cmd := p.command("retention", "apply")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.Contains(line, "1000 removed") {
		t.Fatalf("first line of retention apply: %q, %v", line, err)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if n := countAction(t, p, crossguard.ActionRetentionDelete); n < 1000 || n >= len(old) {
		t.Fatalf("the kill left %d retention.delete entries: it did not land between batches (want 1000 to %d)", n, len(old)-1)
	}

	out = p.must("retention", "apply")
	if !strings.Contains(out, "Retention applied") {
		t.Fatalf("retention apply again:\n%s", out)
	}
	s := wantRetained(t, p, old, kept)
	deleted := map[string]int{}
	err = s.WalkAudit(t.Context(), func(e *crossguard.AuditEntry) error {
		if e.Action == crossguard.ActionRetentionDelete {
			deleted[e.RecordID]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(deleted) != len(old) {
		t.Fatalf("%d records with a retention.delete entry, want %d", len(deleted), len(old))
	}
	for id, n := range deleted {
		if n != 1 {
			t.Fatalf("%s has %d retention.delete entries", id, n)
		}
	}
	if _, err := crossguard.VerifyAudit(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	if out := p.must("retention", "apply"); !strings.Contains(out, "0 own records deleted") {
		t.Fatalf("a third run:\n%s", out)
	}
}

// countAction returns how many audit entries of action p's database holds.
func countAction(t *testing.T, p *proc, action string) int {
	t.Helper()
	s, err := sqlite.Open(t.Context(), filepath.Join(p.data, "crossguard.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n := 0
	err = s.WalkAudit(t.Context(), func(e *crossguard.AuditEntry) error {
		if e.Action == action {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRetentionCLIHelp checks that the retention commands and peer remove
// explain themselves with examples.
func TestRetentionCLIHelp(t *testing.T) {
	c := newCLI(t)
	for _, args := range [][]string{{"retention", "status", "--help"}, {"retention", "apply", "--help"}, {"peer", "remove", "--help"}} {
		out, errOut, err := c.run("", args...)
		if out += errOut; err != nil || !strings.Contains(out, "Example") || !strings.Contains(out, "Usage") {
			t.Fatalf("crossguard %s: no examples:\n%s", strings.Join(args, " "), out)
		}
	}
	for _, bad := range []string{"0d", "1h", "5x", "-3y"} {
		if _, err := parseRetentionPeriod(bad); err == nil {
			t.Fatalf("parseRetentionPeriod(%q) accepted", bad)
		}
	}
	for s, want := range map[string]time.Duration{"5y": 5 * 365 * 24 * time.Hour, "1825d": 1825 * 24 * time.Hour, "43800h": 43800 * time.Hour} {
		if got, err := parseRetentionPeriod(s); err != nil || got != want {
			t.Fatalf("parseRetentionPeriod(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
}

// TestPeerRemovePurgeCLI removes a peer with --purge: the copy it sent
// goes with a peer.purge entry; run again on the removed peer, the command
// finds nothing left and says the peer is unknown.
func TestPeerRemovePurgeCLI(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	peer := storetest.NewPeer(storetest.PeerA, crossguard.RelPartner, time.Now())
	card, err := json.Marshal(peer.Card)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "card.json")
	if err := os.WriteFile(path, card, 0o600); err != nil {
		t.Fatal(err)
	}
	c.must("peer", "add", path, "--relationship", "partner", "--kinds", "seizure", "--max-tlp", "amber")
	x := storetest.ForeignSeizure(1, time.Now().Add(-time.Hour), storetest.PeerA, 1)
	s, err := sqlite.Open(t.Context(), filepath.Join(c.data, "crossguard.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.ApplyPage(t.Context(), &crossguard.InboundPage{Peer: storetest.PeerA, Cursor: 1, RemoteHead: 1, At: time.Now().UTC(),
		Records: storetest.FromPeer(storetest.PeerA, storetest.IncomingSeizure(x))})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	out := c.must("peer", "remove", storetest.PeerA, "--purge")
	if !strings.Contains(out, "Peer "+storetest.PeerA+" removed") || !strings.Contains(out, "1 removed") {
		t.Fatalf("peer remove --purge:\n%s", out)
	}
	if out := c.must("audit", "list", "--action", crossguard.ActionPeerPurge); !strings.Contains(out, x.ID) {
		t.Fatalf("audit list of peer.purge:\n%s", out)
	}
	if _, _, err := c.run("", "peer", "remove", storetest.PeerA, "--purge"); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
		t.Fatalf("a second purge: %v, want not found", err)
	}
}

// TestServeAppliesRetention starts `crossguard serve` on a node holding
// expired records and waits for the log line of its first retention run:
// the expired records are tombstones, the fresh ones stay.
func TestServeAppliesRetention(t *testing.T) {
	p := newProc(t)
	p.must("init", "--agency", "pk-customs", "--node", "sost", "--country", "PK", "--name", "Sost")
	old, kept := retentionFixture(t, p, 30, 5)
	cmd := p.command("serve", "--listen", "127.0.0.1:0", "--federation-listen", "off", "--log-format", "json")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := bufio.NewScanner(stderr)
	var run map[string]any
	for lines.Scan() {
		var rec map[string]any
		if json.Unmarshal(lines.Bytes(), &rec) == nil && rec["msg"] == "retention run" {
			run = rec
			break
		}
	}
	if run == nil {
		t.Fatalf("serve ended without a retention run: %v", lines.Err())
	}
	if run["tombstoned"] != float64(len(old)) {
		t.Fatalf("first retention run of serve: %v, want %d tombstoned", run, len(old))
	}
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	wantRetained(t, p, old, kept)
}

// TestDeclarationRetentionIsRemembered checks that the declaration
// retention serve runs with is the one retention status and apply use
// when run by hand without the flag: a shorter default there would delete
// declarations serve keeps.
func TestDeclarationRetentionIsRemembered(t *testing.T) {
	p := newProc(t)
	p.must("init", "--agency", "pk-customs", "--node", "sost", "--country", "PK", "--name", "Sost")
	days := func(args ...string) float64 {
		t.Helper()
		var st struct {
			Declarations struct {
				Days float64 `json:"period_days"`
			} `json:"declarations"`
		}
		out := p.must(append([]string{"retention", "status", "--json"}, args...)...)
		if err := json.Unmarshal([]byte(out), &st); err != nil {
			t.Fatalf("retention status --json: %v\n%s", err, out)
		}
		return st.Declarations.Days
	}
	if d := days(); d != 5*365 {
		t.Fatalf("declaration retention before serve ran: %v days, want the default %d", d, 5*365)
	}
	cmd, _ := p.serve("--federation-listen", "off", "--declaration-retention", "10y")
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	if d := days(); d != 10*365 {
		t.Fatalf("declaration retention after serve --declaration-retention 10y: %v days, want %d", d, 10*365)
	}
	if d := days("--declaration-retention", "2y"); d != 2*365 {
		t.Fatalf("retention status --declaration-retention 2y: %v days, want %d", d, 2*365)
	}
	if d := days(); d != 10*365 {
		t.Fatalf("a retention status with its own flag changed the remembered period: %v days", d)
	}
}

// wantRetained opens the node's SQLite store and fails unless every
// expired record is a tombstone and every fresh one is live; it returns
// the store, closed when the test ends.
func wantRetained(t *testing.T, p *proc, expired, fresh []string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), filepath.Join(p.data, "crossguard.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, id := range expired {
		if _, err := s.Tombstone(t.Context(), id); err != nil {
			t.Fatalf("expired %s: %v", id, err)
		}
	}
	for _, id := range fresh {
		if _, err := s.Seizure(t.Context(), id); err != nil {
			t.Fatalf("fresh %s: %v", id, err)
		}
	}
	return s
}
