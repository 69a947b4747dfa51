package sqlite_test

import (
	"path/filepath"
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"
)

// TestSeizureVersionsBackfill checks that migration 0007 records the
// latest version of every live seizure a database held before it, own
// and received, and nothing of deleted ones.
func TestSeizureVersionsBackfill(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crossguard.db")
	s := openPath(t, path)
	if _, err := s.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := s.InitNode(t.Context(), storetest.NewNodeInfo(storetest.T0)); err != nil {
		t.Fatal(err)
	}
	own, gone := storetest.NewSeizure(0, storetest.T0), storetest.NewSeizure(1, storetest.T0)
	theirs := storetest.ForeignSeizure(2, storetest.T0, storetest.PeerA, 3)
	if err := s.CreateSeizures(t.Context(), "test", []*crossguard.Seizure{own, gone, theirs}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSeizure(t.Context(), "test", gone.ID, 0, storetest.T0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	// Undo 0007 and the migrations after it, as if the database were
	// written by an earlier binary.
	_, latest, err := s.SchemaVersion(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, path)
	for _, q := range []string{`DROP TABLE seizure_versions`, `DROP TRIGGER seizure_versions_insert`, `DROP TRIGGER seizure_versions_update`,
		`DROP TRIGGER seizure_versions_gone`, `DROP TRIGGER seizure_versions_delete`, `DROP TABLE node_keys`,
		`DELETE FROM schema_migrations WHERE version >= 7`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if n, err := s.Migrate(t.Context()); err != nil || n != latest-6 {
		t.Fatalf("Migrate = %d, %v; want %d", n, err, latest-6)
	}
	for _, c := range []struct {
		z        *crossguard.Seizure
		received bool
	}{{own, false}, {theirs, true}} {
		vs, err := s.SeizureVersions(t.Context(), c.z.ID)
		if err != nil || len(vs) != 1 || vs[0].Version != c.z.Version || vs[0].Received != c.received {
			t.Fatalf("versions of %s after the migration = %+v, %v; want version %d, received %v", c.z.ID, vs, err, c.z.Version, c.received)
		}
	}
	if vs, err := s.SeizureVersions(t.Context(), gone.ID); err != nil || len(vs) != 0 {
		t.Fatalf("versions of a deleted seizure after the migration = %+v, %v; want none", vs, err)
	}
}
