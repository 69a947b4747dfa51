package storetest

import (
	"fmt"
	"testing"

	"crossguard"
)

// MigrateNew checks that s, a store on a new, empty database, is at
// version 0 and that Migrate applies every migration it knows; it returns
// that latest version. The backends call it on a database they create.
func MigrateNew(t *testing.T, s crossguard.SchemaStore) int {
	t.Helper()
	cur, latest, err := s.SchemaVersion(t.Context())
	if err != nil || cur != 0 || latest < 1 {
		t.Fatalf("SchemaVersion of a new database = %d, %d, %v; want 0, at least 1", cur, latest, err)
	}
	n, err := s.Migrate(t.Context())
	if err != nil || n != latest {
		t.Fatalf("Migrate = %d, %v; want %d", n, err, latest)
	}
	return latest
}

// RefusesNewerSchema checks that a migrated store s refuses a database
// that a newer crossguard migrated, with a message that says what to do:
// addVersion records a migration of version v behind the store's back.
// SchemaVersion reports the newer version, and Migrate fails with
// ECONFLICT and leaves it as it is.
func RefusesNewerSchema(t *testing.T, s crossguard.SchemaStore, addVersion func(v int)) {
	t.Helper()
	_, latest, err := s.SchemaVersion(t.Context())
	if err != nil {
		t.Fatalf("SchemaVersion: %v", err)
	}
	addVersion(latest + 1)
	wantVersion := func() {
		t.Helper()
		cur, l, err := s.SchemaVersion(t.Context())
		if err != nil || cur != latest+1 || l != latest {
			t.Fatalf("SchemaVersion = %d, %d, %v; want %d, %d", cur, l, err, latest+1, latest)
		}
	}
	wantVersion()
	_, err = s.Migrate(t.Context())
	want := fmt.Sprintf("database schema is at version %d but this crossguard only knows up to %d: upgrade crossguard", latest+1, latest)
	if crossguard.ErrorCode(err) != crossguard.ECONFLICT || crossguard.ErrorMessage(err) != want {
		t.Fatalf("Migrate on a newer schema: got %v (code %s), want %s %q", err, crossguard.ErrorCode(err), crossguard.ECONFLICT, want)
	}
	wantVersion()
}
