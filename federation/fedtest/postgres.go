package fedtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/jackc/pgx/v5"

	"crossguard"
	"crossguard/internal/testenv"
	"crossguard/postgres"
)

// Postgres opens a fresh, migrated PostgreSQL store in a schema of its own
// in the test database, so that several nodes of one test share the server
// without sharing data. The schema is dropped with everything in it when t
// ends. Without CROSSGUARD_TEST_POSTGRES the test is skipped, or fails in
// CI (see testenv.PostgresURL).
func Postgres(t testing.TB) crossguard.Store {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	return PostgresSchema("cg_fedtest_" + hex.EncodeToString(b))(t)
}

// PostgresSchema returns an Opener of the test database's schema, made and
// migrated at the first call and dropped when t ends. Each call opens
// another handle on the same schema, as another process (a crossguard
// command run while the node serves) would.
func PostgresSchema(schema string) Opener {
	return func(t testing.TB) crossguard.Store {
		t.Helper()
		url := testenv.PostgresURL(t)
		// Registered first so that it runs last, after the store is closed.
		t.Cleanup(func() { dropSchema(t, url, schema) })
		s, err := postgres.Open(t.Context(), url, postgres.Options{Schema: schema, MaxConns: 4})
		if err != nil {
			t.Fatalf("open PostgreSQL schema %s: %v", schema, err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := s.Migrate(t.Context()); err != nil {
			t.Fatalf("migrate PostgreSQL schema %s: %v", schema, err)
		}
		return s
	}
}

// dropSchema drops a test schema and everything in it.
func dropSchema(t testing.TB, url, schema string) {
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
}
