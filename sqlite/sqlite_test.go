package sqlite_test

import (
	"path/filepath"
	"testing"

	"crossguard"
	"crossguard/sqlite"
	"crossguard/storetest"
)

// openTemp opens a migrated store in a new file of a temporary directory.
func openTemp(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "crossguard.db"), sqlite.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	if _, err := s.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) crossguard.Store { return openTemp(t) })
}
