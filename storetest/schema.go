package storetest

import (
	"strings"
	"testing"
	"time"

	"crossguard"
)

// testSchema checks the migrations of a migrated store.
func testSchema(t *testing.T, open Opener) {
	t.Run("at latest version after migrate", func(t *testing.T) {
		s := fresh(t, open)
		cur, latest, err := s.SchemaVersion(t.Context())
		if err != nil {
			t.Fatalf("SchemaVersion: %v", err)
		}
		if latest < 1 || cur != latest {
			t.Fatalf("SchemaVersion = %d, %d; want current == latest >= 1", cur, latest)
		}
	})
	t.Run("migrate again applies nothing", func(t *testing.T) {
		s := fresh(t, open)
		_, before, _ := s.SchemaVersion(t.Context())
		for range 2 {
			n, err := s.Migrate(t.Context())
			if err != nil || n != 0 {
				t.Fatalf("Migrate on a migrated store = %d, %v; want 0, nil", n, err)
			}
		}
		cur, latest, err := s.SchemaVersion(t.Context())
		if err != nil || cur != before || latest != before {
			t.Fatalf("SchemaVersion after Migrate = %d, %d, %v; want %d, %d", cur, latest, err, before, before)
		}
	})
	t.Run("empty store", func(t *testing.T) {
		s := fresh(t, open)
		wantChain(t, s, 0)
		users, err := s.Users(t.Context())
		if err != nil || len(users) != 0 {
			t.Fatalf("Users on an empty store = %v, %v; want none", users, err)
		}
		page := mustList(t, s, crossguard.SeizureFilter{})
		if len(page.Items) != 0 || page.NextCursor != "" {
			t.Fatalf("ListSeizures on an empty store = %+v, want an empty page", page)
		}
	})
}

// testNode checks InitNode and Node.
func testNode(t *testing.T, open Opener) {
	t.Run("not found before init", func(t *testing.T) {
		s := fresh(t, open)
		_, err := s.Node(t.Context())
		wantCode(t, err, crossguard.ENOTFOUND)
	})
	t.Run("init then read back", func(t *testing.T) {
		s := fresh(t, open)
		want := NewNodeInfo(T0)
		if err := s.InitNode(t.Context(), want); err != nil {
			t.Fatalf("InitNode: %v", err)
		}
		got, err := s.Node(t.Context())
		if err != nil {
			t.Fatalf("Node: %v", err)
		}
		wantEqual(t, "node", got, want)
	})
	t.Run("second init conflicts", func(t *testing.T) {
		s := fresh(t, open)
		first := NewNodeInfo(T0)
		if err := s.InitNode(t.Context(), first); err != nil {
			t.Fatalf("InitNode: %v", err)
		}
		other := NewNodeInfo(T0.Add(time.Hour))
		other.ID, other.Agency, other.Node = "af-customs/torkham", "af-customs", "torkham"
		err := s.InitNode(t.Context(), other)
		wantCode(t, err, crossguard.ECONFLICT)
		if !strings.Contains(crossguard.ErrorMessage(err), first.ID) {
			t.Errorf("conflict message %q does not name the node %s", crossguard.ErrorMessage(err), first.ID)
		}
		got, err := s.Node(t.Context())
		if err != nil {
			t.Fatalf("Node: %v", err)
		}
		wantEqual(t, "node after a refused init", got, first)
	})
}
