package sqlite_test

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"crossguard"
	"crossguard/sqlite"
	"crossguard/storetest"
)

// openPath opens the store at path and closes it with the test.
func openPath(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), path, sqlite.Options{})
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// rawDB opens the file with a plain connection, as another tool would.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crossguard.db")
	s := openPath(t, path)
	latest := storetest.MigrateNew(t, s)
	if n, err := s.Migrate(t.Context()); err != nil || n != 0 {
		t.Fatalf("second Migrate = %d, %v; want 0", n, err)
	}
	var names int
	if err := rawDB(t, path).QueryRow(`SELECT count(*) FROM schema_migrations WHERE name <> '' AND applied_at <> ''`).Scan(&names); err != nil || names != latest {
		t.Fatalf("schema_migrations holds %d named rows, %v; want %d", names, err, latest)
	}

	t.Run("refuses a newer schema", func(t *testing.T) {
		storetest.RefusesNewerSchema(t, s, func(v int) {
			if _, err := rawDB(t, path).Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', '2030-01-01T00:00:00.000000000Z')`, v); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func TestOpenRejectsFilesThatAreNotDatabases(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notDB, []byte(strings.Repeat("these are not the seizures you are looking for\n", 200)), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path, want string
	}{
		{"text file", notDB, "not a database"},
		{"missing directory", filepath.Join(dir, "missing", "crossguard.db"), "unable to open"},
		{"a directory", dir, "crossguard.db"},
		{"empty name", "", "invalid file name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := sqlite.Open(t.Context(), c.path, sqlite.Options{})
			if err == nil {
				s.Close()
				t.Fatalf("Open(%q) succeeded", c.path)
			}
			if c.name != "a directory" && !strings.Contains(err.Error(), c.want) {
				t.Errorf("Open(%q) = %v, want an error saying %q", c.path, err, c.want)
			}
			if c.path != "" && !strings.Contains(err.Error(), c.path) {
				t.Errorf("Open(%q) = %v, which does not name the file", c.path, err)
			}
		})
	}
	data, err := os.ReadFile(notDB)
	if err != nil || !strings.HasPrefix(string(data), "these are not") {
		t.Fatal("Open changed a file that is not a database")
	}
}

func TestAuditIsAppendOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crossguard.db")
	s := openPath(t, path)
	if _, err := s.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		e := &crossguard.AuditEntry{At: storetest.T0.Add(time.Duration(i) * time.Second), Actor: "analyst.ali", Action: crossguard.ActionSeizureRead, Outcome: crossguard.OutcomeOK}
		if err := s.AppendAudit(t.Context(), e); err != nil {
			t.Fatal(err)
		}
	}
	db := rawDB(t, path)
	for _, stmt := range []string{
		`UPDATE audit SET actor = 'someone.else' WHERE seq = 2`,
		`UPDATE audit SET hash = prev_hash`,
		`DELETE FROM audit WHERE seq = 5`,
		`DELETE FROM audit`,
	} {
		if _, err := db.Exec(stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: got %v, want the append-only error", stmt, err)
		}
	}
	if n, err := crossguard.VerifyAudit(t.Context(), s); err != nil || n != 5 {
		t.Fatalf("VerifyAudit = %d, %v; want 5 entries", n, err)
	}
	// Someone who removes the trigger can change an entry, but not
	// without the chain showing it.
	if _, err := db.Exec(`DROP TRIGGER audit_no_update`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE audit SET actor = 'someone.else' WHERE seq = 3`); err != nil {
		t.Fatal(err)
	}
	_, err := crossguard.VerifyAudit(t.Context(), s)
	var br *crossguard.AuditBreak
	if !errors.As(err, &br) || br.Seq != 3 {
		t.Fatalf("VerifyAudit after tampering = %v, want a break at entry 3", err)
	}
}

func TestTwoStoresOnOneFile(t *testing.T) {
	// A command-line import and a running server are two processes with
	// their own connections to one file; two Stores behave the same way.
	path := filepath.Join(t.TempDir(), "crossguard.db")
	a, b := openPath(t, path), openPath(t, path)
	if _, err := a.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n, err := b.Migrate(t.Context()); err != nil || n != 0 {
		t.Fatalf("Migrate by the second store = %d, %v; want 0", n, err)
	}
	const writers, batches, size = 4, 8, 10
	items := storetest.NewSeizures(0, 2*writers*batches*size, storetest.T0, time.Minute)
	var wg sync.WaitGroup
	errs := make(chan error, 2*writers)
	for w := range 2 * writers {
		s := []*sqlite.Store{a, b}[w%2]
		wg.Go(func() {
			for k := range batches {
				first := (w*batches + k) * size
				batch := items[first : first+size]
				if err := s.CreateSeizures(t.Context(), fmt.Sprintf("writer%d", w), batch, nil); err != nil {
					errs <- err
					return
				}
				e := &crossguard.AuditEntry{At: storetest.T0, Actor: fmt.Sprintf("writer%d", w), Action: crossguard.ActionSeizureRead, Outcome: crossguard.OutcomeOK}
				if err := s.AppendAudit(t.Context(), e); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	want := int64(len(items) + 2*writers*batches)
	for _, s := range []*sqlite.Store{a, b} {
		if n, err := crossguard.VerifyAudit(t.Context(), s); err != nil || n != want {
			t.Fatalf("VerifyAudit = %d, %v; want %d entries", n, err, want)
		}
	}
	var seqs []int64
	for _, it := range items {
		seq, err := b.ChangeSeq(t.Context(), it.ID)
		if err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, seq)
	}
	slices.Sort(seqs)
	for i, seq := range seqs {
		if seq != int64(i+1) {
			t.Fatalf("change numbers are not 1 to %d: %v", len(items), seqs)
		}
	}
}

func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crossguard.db")
	s, err := sqlite.Open(t.Context(), path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	node := storetest.NewNodeInfo(storetest.T0)
	items := storetest.NewSeizures(0, 20, storetest.T0, time.Hour)
	if err := s.InitNode(t.Context(), node); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSeizures(t.Context(), "officer", items, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openPath(t, path)
	if n, err := s.Migrate(t.Context()); err != nil || n != 0 {
		t.Fatalf("Migrate after reopening = %d, %v; want 0", n, err)
	}
	if got, err := s.Node(t.Context()); err != nil || got.ID != node.ID {
		t.Fatalf("Node after reopening = %+v, %v", got, err)
	}
	page, err := s.ListSeizures(t.Context(), crossguard.SeizureFilter{Query: "goods", Limit: 100})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("search after reopening = %d items, %v", len(page.Items), err)
	}
	if n, err := crossguard.VerifyAudit(t.Context(), s); err != nil || n != 20 {
		t.Fatalf("VerifyAudit after reopening = %d, %v; want 20", n, err)
	}
}
