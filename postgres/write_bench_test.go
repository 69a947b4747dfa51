package postgres

import (
	"context"
	"encoding/json"
	"testing"

	"crossguard"
	"crossguard/storetest"
)

// writeBench opens the stores of the write benchmarks: a new schema each.
// The database works in its own processes, so the test process's CPU time
// says nothing of it and is not reported.
var writeBench = storetest.BenchStore[*Store]{Open: openBench}

// openBench opens and migrates a store on a new schema, closed and
// dropped when b ends.
func openBench(b *testing.B) *Store {
	b.Helper()
	s := openSchema(b)
	if _, err := s.Migrate(b.Context()); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkCreateSeizures is storetest.BenchCreateSeizures on PostgreSQL.
func BenchmarkCreateSeizures(b *testing.B) { storetest.BenchCreateSeizures(b, writeBench, nil) }

// BenchmarkApplyPage is storetest.BenchApplyPage on PostgreSQL.
func BenchmarkApplyPage(b *testing.B) { storetest.BenchApplyPage(b, writeBench) }

// BenchmarkSaveDeclarations is storetest.BenchSaveDeclarations on
// PostgreSQL, against plain multi-row INSERTs of the same declarations'
// JSON.
func BenchmarkSaveDeclarations(b *testing.B) {
	storetest.BenchSaveDeclarations(b, writeBench, plainDeclarations)
}

// plainDeclarations is the baseline of BenchmarkSaveDeclarations: a bare
// table with a primary key only, into which a batch goes with one unnest
// statement, a transaction of its own.
func plainDeclarations(b *testing.B, s *Store) func(context.Context, []*crossguard.DeclarationEntry) error {
	if _, err := s.pool.Exec(b.Context(), `CREATE TABLE plain (id text COLLATE "C" PRIMARY KEY, body text)`); err != nil {
		b.Fatal(err)
	}
	return func(ctx context.Context, entries []*crossguard.DeclarationEntry) error {
		ids, bodies := make([]string, len(entries)), make([]string, len(entries))
		for i, e := range entries {
			body, err := json.Marshal(e.Declaration)
			if err != nil {
				return err
			}
			ids[i], bodies[i] = string(e.Declaration.DeclarationID), string(body)
		}
		_, err := s.pool.Exec(ctx, `INSERT INTO plain SELECT * FROM unnest($1::text[], $2::text[])`, ids, bodies)
		return err
	}
}
