package sqlite

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// openInternal opens a migrated store in a temporary directory.
func openInternal(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "crossguard.db"), Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return s
}

func TestPragmasOnEveryConnection(t *testing.T) {
	s := openInternal(t)
	pools := []struct {
		name      string
		db        *sql.DB
		queryOnly string
	}{
		{"writer", s.w, "0"},
		{"reader", s.r, "1"},
	}
	for _, p := range pools {
		t.Run(p.name, func(t *testing.T) {
			want := map[string]string{
				"journal_mode": "wal",
				"foreign_keys": "1",
				"busy_timeout": "10000",
				"synchronous":  "1", // NORMAL
				"query_only":   p.queryOnly,
			}
			for pragma, w := range want {
				var got string
				if err := p.db.QueryRowContext(t.Context(), "PRAGMA "+pragma).Scan(&got); err != nil {
					t.Fatalf("PRAGMA %s: %v", pragma, err)
				}
				if !strings.EqualFold(got, w) {
					t.Errorf("PRAGMA %s = %s, want %s", pragma, got, w)
				}
			}
		})
	}
}

func TestForeignKeysEnforced(t *testing.T) {
	s := openInternal(t)
	_, err := s.w.ExecContext(t.Context(), `INSERT INTO tokens (hash, user_name, created_at) VALUES ('h', 'nobody', '2026-01-01T00:00:00.000000000Z')`)
	if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Fatalf("token of an unknown user: got %v, want a foreign key violation", err)
	}
}

func TestReadPoolCannotWrite(t *testing.T) {
	s := openInternal(t)
	_, err := s.r.ExecContext(t.Context(), `INSERT INTO imports (file_hash, file_name, lines_done, imported, rejected, started_at) VALUES ('h', 'f', 0, 0, 0, 'x')`)
	if err == nil {
		t.Fatal("the read pool wrote to the database")
	}
}
