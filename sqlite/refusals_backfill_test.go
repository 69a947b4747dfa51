package sqlite_test

import (
	"path/filepath"
	"testing"

	"crossguard/storetest"
)

// TestPeerRefusalsBackfill checks the backfill of migration 0011 (see
// storetest.PeerRefusalsBackfill) on a file that an earlier binary left.
func TestPeerRefusalsBackfill(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crossguard.db")
	db := rawDB(t, path)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
	for _, m := range storetest.MigrationsBefore(t, "migrations", "0011") {
		exec(m.SQL)
		exec(`INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01T00:00:00Z')`, m.Version, m.Name)
	}
	storetest.PeerRefusalsBackfill(t, openPath(t, path), func(n int64) { exec(`UPDATE peers SET refused = ?`, n) })
}
