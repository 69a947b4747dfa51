package postgres_test

import (
	"os"
	"path/filepath"
	"testing"

	"crossguard"
	"crossguard/internal/testenv"
	"crossguard/storetest"

	"github.com/jackc/pgx/v5"
)

// TestPeerRefusalsBackfill checks that migration 0011 starts its counts
// from what a database held before it: a peer's refusals (as class
// other), the decisions by channel and the rows of imports.
func TestPeerRefusalsBackfill(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	schema := newSchema(t)
	s := openUnmigrated(t, schema) // creates the schema
	conn, err := pgx.Connect(ctx, testenv.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%.60s: %v", sql, err)
		}
	}
	// The schema as an earlier binary left it: every migration before 0011.
	exec(`SET search_path TO ` + pgx.Identifier{schema}.Sanitize())
	exec(`CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`)
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
		exec(string(b))
		exec(`INSERT INTO schema_migrations VALUES ($1, $2, now())`, i+1, filepath.Base(f))
	}
	if err := s.InitNode(ctx, storetest.NewNodeInfo(storetest.T0)); err != nil {
		t.Fatal(err)
	}
	if err := s.PutPeer(ctx, "test", storetest.NewPeer(storetest.PeerA, crossguard.RelPartner, storetest.T0), storetest.T0); err != nil {
		t.Fatal(err)
	}
	exec(`UPDATE peers SET refused = 5`)
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
	decisions, err := s.Counters(ctx, crossguard.CounterDecisions)
	if err != nil || len(decisions) != 2 || decisions[crossguard.ChannelRed] != 1 || decisions[crossguard.ChannelGreen] != 2 {
		t.Fatalf("decisions after 0011 = %v, %v; want 1 red, 2 green", decisions, err)
	}
	rows, err := s.Counters(ctx, crossguard.CounterImportRows)
	if err != nil || len(rows) != 2 || rows["imported"] != 7 || rows["rejected"] != 2 {
		t.Fatalf("import rows after 0011 = %v, %v; want 7 imported, 2 rejected", rows, err)
	}
}
