package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"

	"crossguard"
	"crossguard/internal/testenv"
	"crossguard/postgres"
	"crossguard/storetest"

	"github.com/jackc/pgx/v5"
)

// TestConformance runs the storage conformance suite, each subtest in a
// schema of its own.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) crossguard.Store {
		return openTest(t, newSchema(t))
	})
}

// newSchema returns the name of a new, random schema that is dropped with
// everything in it when the test ends.
func newSchema(t testing.TB) string {
	t.Helper()
	url := testenv.PostgresURL(t)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "cg_test_" + hex.EncodeToString(b)
	t.Cleanup(func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema
}

// openTest opens a store on schema, migrates it and closes it when the test
// ends (before the schema is dropped).
func openTest(t testing.TB, schema string) *postgres.Store {
	t.Helper()
	s := openUnmigrated(t, schema)
	if _, err := s.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return s
}

// openUnmigrated opens a store on schema without migrating it.
func openUnmigrated(t testing.TB, schema string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(t.Context(), testenv.PostgresURL(t), postgres.Options{Schema: schema, MaxConns: 4})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
