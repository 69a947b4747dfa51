package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/benchdata"
	"crossguard/internal/testnode"
	"crossguard/sqlite"
)

// storedBenchNow is the fixed clock of the stored dashboard benchmark, so
// that a database kept with CROSSGUARD_BENCH_DB serves the same months on
// every run.
var storedBenchNow = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// storedBenchNode returns a node over a SQLite database holding
// CROSSGUARD_BENCH_SEIZURES seizures (100,000 unless set; the target is
// stated for 1,000,000), 95% the node's own and 5% a partner's. The
// database is built in the file CROSSGUARD_BENCH_DB names when that file
// does not exist yet and reused as it is otherwise, or in a temporary
// directory.
func storedBenchNode(b *testing.B) *testnode.Node {
	b.Helper()
	n := 100000
	if v := os.Getenv("CROSSGUARD_BENCH_SEIZURES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1000 {
			b.Fatalf("CROSSGUARD_BENCH_SEIZURES=%q: want a number of at least 1000", v)
		}
	}
	path := os.Getenv("CROSSGUARD_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "dashboard.db")
	}
	info := crossguard.NodeInfo{ID: seizureNodeID, Agency: "pk-customs", Node: "sost", Country: "PK", Name: "Sost",
		PublicKey: "a2V5", CreatedAt: storedBenchNow.AddDate(-4, 0, 0)}
	if _, err := os.Stat(path); os.IsNotExist(err) {
		buildStoredBenchDB(b, path, info, n)
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	nd := testnode.New(info, st, nil)
	nd.Clock = crossguard.FixedClock(storedBenchNow)
	return nd
}

// buildStoredBenchDB builds the database of n seizures in a file beside
// path and renames it to path once complete, so that a run stopped part way
// leaves nothing to reuse.
func buildStoredBenchDB(b *testing.B, path string, info crossguard.NodeInfo, n int) {
	b.Helper()
	b.Logf("building a database of %d seizures in %s (keep it with CROSSGUARD_BENCH_DB)", n, path)
	ctx := context.Background()
	tmp := path + ".building"
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(tmp + suffix)
	}
	st, err := sqlite.Open(ctx, tmp, sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if err := st.InitNode(ctx, &info); err != nil {
		b.Fatal(err)
	}
	benchdata.Now = func() time.Time { return storedBenchNow }
	store := func(items []*crossguard.Seizure) error { return st.CreateSeizures(ctx, "bench", items, nil) }
	partner := n / 20
	if err := benchdata.Seizures(seizureNodeID, n-partner, 1, 1000, store); err != nil {
		b.Fatal(err)
	}
	if err := benchdata.Seizures("cn-customs/tashkurgan", partner, 2, 1000, store); err != nil {
		b.Fatal(err)
	}
	if err := st.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkDashboardStored serves GET / through the real handler over a
// real SQLite store (see storedBenchNode): the server time of the start
// page. The baseline, served in the same run from the same store, is the
// first page of the seizure list, GET /seizures.
func BenchmarkDashboardStored(b *testing.B) {
	nd := storedBenchNode(b)
	auth := newFakeAuth()
	h := Handler(Config{Auth: auth, NodeName: "Sost", NodeID: seizureNodeID, Now: nd.Clock.Now,
		Records: nd, Dashboard: NodeDashboard{Partners: nd, Risk: nd, Now: nd.Clock.Now}})
	token, err := auth.SignIn(context.Background(), "alice", "correct horse", "127.0.0.1")
	if err != nil {
		b.Fatal(err)
	}
	for _, page := range []string{"/", "/seizures"} {
		b.Run(map[string]string{"/": "dashboard", "/seizures": "list-baseline"}[page], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, page, nil)
				req.AddCookie(&http.Cookie{Name: SessionCookie, Value: token})
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("GET %s = %d", page, w.Code)
				}
			}
		})
	}
}
