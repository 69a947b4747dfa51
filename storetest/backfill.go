package storetest

import (
	"os"
	"path/filepath"
	"testing"

	"crossguard"
)

// Migration is a migration file of a backend, as an earlier binary
// applied it: the checks of backfills build the schema they start from
// with them.
type Migration struct {
	Version int    // 1, 2, ... in file order
	Name    string // the file name, such as 0001_init.sql
	SQL     string
}

// MigrationsBefore returns the migrations in the folder dir whose file
// names sort before name (such as "0011"), in order: the schema an earlier
// binary left, for a backend's check of the backfill of migration name.
func MigrationsBefore(t testing.TB, dir, name string) []Migration {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	var out []Migration
	for i, f := range files {
		if filepath.Base(f) >= name {
			break
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, Migration{Version: i + 1, Name: filepath.Base(f), SQL: string(b)})
	}
	return out
}

// PeerRefusalsBackfill checks that migration 0011 starts its counts from
// what a database held before it: a peer's refusals (as class other), the
// decisions by channel and the rows of imports. s is a store on a
// database whose schema stops before 0011 (see MigrationsBefore), not yet
// bound to a node; setRefused sets the refused count of every peer
// without the store, as an earlier binary counted refusals.
func PeerRefusalsBackfill(t *testing.T, s crossguard.Store, setRefused func(n int64)) {
	ctx := t.Context()
	if err := s.InitNode(ctx, NewNodeInfo(T0)); err != nil {
		t.Fatal(err)
	}
	if err := s.PutPeer(ctx, "test", NewPeer(PeerA, crossguard.RelPartner, T0), T0); err != nil {
		t.Fatal(err)
	}
	setRefused(5)
	var entries []*crossguard.DeclarationEntry
	for i, ch := range []string{crossguard.ChannelRed, crossguard.ChannelGreen, crossguard.ChannelGreen} {
		e := NewDeclarationEntry(i+1, "PKSST", T0)
		e.Decision = NewDecision(i+1, ch, crossguard.SelectedProfile, 0.5, "PKSST", T0)
		entries = append(entries, e)
	}
	if err := s.SaveDeclarations(ctx, "test", entries, nil); err != nil {
		t.Fatal(err)
	}
	p := &crossguard.ImportProgress{FileHash: "h", FileName: "a.csv", LinesDone: 10, Imported: 7, Rejected: 2, StartedAt: T0}
	if err := s.SaveImportProgress(ctx, p); err != nil {
		t.Fatal(err)
	}

	if n, err := s.Migrate(ctx); err != nil || n < 1 {
		t.Fatalf("Migrate = %d, %v; want 0011 (and any later) applied", n, err)
	}
	peer, err := s.Peer(ctx, PeerA)
	if err != nil {
		t.Fatal(err)
	}
	if st := peer.Status; st.Refused != 5 || st.RefusedByClass != (crossguard.RefusalCounts{Other: 5}) || st.LastRefusal != nil {
		t.Fatalf("peer after 0011: refused %d, by class %+v, last %+v; want 5 other, none kept", st.Refused, st.RefusedByClass, st.LastRefusal)
	}
	decisions, err := s.Counters(ctx, crossguard.CounterDecisions)
	if err != nil || len(decisions) != 2 || decisions[crossguard.ChannelRed] != 1 || decisions[crossguard.ChannelGreen] != 2 {
		t.Fatalf("decisions after 0011 = %v, %v; want 1 red, 2 green", decisions, err)
	}
	rows, err := s.Counters(ctx, crossguard.CounterImportRows)
	if err != nil || len(rows) != 2 || rows["imported"] != 7 || rows["rejected"] != 2 {
		t.Fatalf("import rows after 0011 = %v, %v; want 7 imported, 2 rejected", rows, err)
	}
}
