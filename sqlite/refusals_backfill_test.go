package sqlite_test

import (
	"os"
	"path/filepath"
	"testing"

	"crossguard"
	"crossguard/storetest"
)

// TestPeerRefusalsBackfill checks that migration 0011 starts its counts
// from what a database held before it: a peer's refusals (as class
// other), the decisions by channel and the rows of imports.
func TestPeerRefusalsBackfill(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crossguard.db")
	db := rawDB(t, path)
	// The schema as an earlier binary left it: every migration before 0011.
	if _, err := db.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		if filepath.Base(f) >= "0011" {
			break
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(b)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if _, err := db.Exec(`INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01T00:00:00Z')`, i+1, filepath.Base(f)); err != nil {
			t.Fatal(err)
		}
	}
	s := openPath(t, path)
	ctx := t.Context()
	if err := s.InitNode(ctx, storetest.NewNodeInfo(storetest.T0)); err != nil {
		t.Fatal(err)
	}
	if err := s.PutPeer(ctx, "test", storetest.NewPeer(storetest.PeerA, crossguard.RelPartner, storetest.T0), storetest.T0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE peers SET refused = 5`); err != nil {
		t.Fatal(err)
	}
	var entries []*crossguard.DeclarationEntry
	for i, ch := range []string{crossguard.ChannelRed, crossguard.ChannelGreen, crossguard.ChannelGreen} {
		e := storetest.NewDeclarationEntry(i+1, "PKSST", storetest.T0)
		e.Decision = storetest.NewDecision(i+1, ch, crossguard.SelectedProfile, 0.5, "PKSST", storetest.T0)
		entries = append(entries, e)
	}
	if err := s.SaveDeclarations(ctx, "test", entries, nil); err != nil {
		t.Fatal(err)
	}
	p := &crossguard.ImportProgress{FileHash: "h", FileName: "a.csv", LinesDone: 10, Imported: 7, Rejected: 2, StartedAt: storetest.T0}
	if err := s.SaveImportProgress(ctx, p); err != nil {
		t.Fatal(err)
	}

	if n, err := s.Migrate(ctx); err != nil || n < 1 {
		t.Fatalf("Migrate = %d, %v; want 0011 (and any later) applied", n, err)
	}
	peer, err := s.Peer(ctx, storetest.PeerA)
	if err != nil {
		t.Fatal(err)
	}
	if st := peer.Status; st.Refused != 5 || st.RefusedByClass != (crossguard.RefusalCounts{Other: 5}) || st.LastRefusal != nil {
		t.Fatalf("peer after 0011: refused %d, by class %+v, last %+v; want 5 other, none kept", st.Refused, st.RefusedByClass, st.LastRefusal)
	}
	for name, want := range map[string]map[string]int64{
		crossguard.CounterDecisions:  {crossguard.ChannelRed: 1, crossguard.ChannelGreen: 2},
		crossguard.CounterImportRows: {"imported": 7, "rejected": 2},
	} {
		got, err := s.Counters(ctx, name)
		if err != nil || len(got) != len(want) || got[crossguard.ChannelRed] != want[crossguard.ChannelRed] ||
			got[crossguard.ChannelGreen] != want[crossguard.ChannelGreen] || got["imported"] != want["imported"] || got["rejected"] != want["rejected"] {
			t.Fatalf("counter %s after 0011 = %v, %v; want %v", name, got, err, want)
		}
	}
}
