package postgres_test

import (
	"testing"

	"crossguard/internal/testenv"
	"crossguard/storetest"

	"github.com/jackc/pgx/v5"
)

// TestPeerRefusalsBackfill checks the backfill of migration 0011 (see
// storetest.PeerRefusalsBackfill) on a schema that an earlier binary left.
func TestPeerRefusalsBackfill(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	schema := newSchema(t)
	s := openUnmigrated(t, schema) // creates the schema
	conn, err := pgx.Connect(ctx, testenv.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%.60s: %v", sql, err)
		}
	}
	exec(`SET search_path TO ` + pgx.Identifier{schema}.Sanitize())
	exec(`CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`)
	for _, m := range storetest.MigrationsBefore(t, "migrations", "0011") {
		exec(m.SQL)
		exec(`INSERT INTO schema_migrations VALUES ($1, $2, now())`, m.Version, m.Name)
	}
	storetest.PeerRefusalsBackfill(t, s, func(n int64) { exec(`UPDATE peers SET refused = $1`, n) })
}
