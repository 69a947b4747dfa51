package sqlite

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"crossguard"
	"crossguard/storetest"
)

// writeBench opens the stores of the write benchmarks: a database in a
// new temporary folder each, whose work the process's CPU time counts.
var writeBench = storetest.BenchStore[*Store]{Open: openBench, CPU: processCPU}

// openBench opens and migrates a new database, closed when b ends.
func openBench(b *testing.B) *Store {
	b.Helper()
	s, err := Open(b.Context(), filepath.Join(b.TempDir(), "bench.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(b.Context()); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkCreateSeizures is storetest.BenchCreateSeizures on SQLite,
// against plain INSERTs of the same JSON bodies.
func BenchmarkCreateSeizures(b *testing.B) {
	storetest.BenchCreateSeizures(b, writeBench, plainSeizures)
}

// BenchmarkApplyPage is storetest.BenchApplyPage on SQLite.
func BenchmarkApplyPage(b *testing.B) { storetest.BenchApplyPage(b, writeBench) }

// BenchmarkSaveDeclarations is storetest.BenchSaveDeclarations on SQLite,
// against plain INSERTs of the same declarations' JSON.
func BenchmarkSaveDeclarations(b *testing.B) {
	storetest.BenchSaveDeclarations(b, writeBench, plainDeclarations)
}

// plainSeizures is the baseline of BenchmarkCreateSeizures: a bare table
// with a primary key only, into which a batch goes with one prepared
// INSERT a row in one write transaction.
func plainSeizures(b *testing.B, s *Store) func(context.Context, []*crossguard.Seizure) error {
	plainTable(b, s, `CREATE TABLE plain (id TEXT PRIMARY KEY, occurred_at INTEGER, country TEXT, body TEXT)`)
	return func(ctx context.Context, items []*crossguard.Seizure) error {
		return plainInsert(ctx, s, `INSERT INTO plain (id, occurred_at, country, body) VALUES (?, ?, ?, ?)`, len(items), func(i int) ([]any, error) {
			body, err := json.Marshal(items[i])
			return []any{items[i].ID, unixNano(items[i].OccurredAt), items[i].Country, string(body)}, err
		})
	}
}

// plainDeclarations is the baseline of BenchmarkSaveDeclarations, as
// plainSeizures is of BenchmarkCreateSeizures.
func plainDeclarations(b *testing.B, s *Store) func(context.Context, []*crossguard.DeclarationEntry) error {
	plainTable(b, s, `CREATE TABLE plain (id TEXT PRIMARY KEY, body TEXT)`)
	return func(ctx context.Context, entries []*crossguard.DeclarationEntry) error {
		return plainInsert(ctx, s, `INSERT INTO plain (id, body) VALUES (?, ?)`, len(entries), func(i int) ([]any, error) {
			body, err := json.Marshal(entries[i].Declaration)
			return []any{string(entries[i].Declaration.DeclarationID), string(body)}, err
		})
	}
}

// plainTable creates the bare table of a baseline.
func plainTable(b *testing.B, s *Store, create string) {
	b.Helper()
	if _, err := s.w.ExecContext(b.Context(), create); err != nil {
		b.Fatal(err)
	}
}

// plainInsert runs the prepared statement insert n times, with the
// arguments of each row, in one write transaction.
func plainInsert(ctx context.Context, s *Store, insert string, n int, row func(i int) ([]any, error)) error {
	return s.write(ctx, "plain insert", func(tx *writeTx) error {
		st, err := tx.PrepareContext(ctx, insert)
		if err != nil {
			return err
		}
		defer st.Close()
		for i := range n {
			args, err := row(i)
			if err != nil {
				return err
			}
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return err
			}
		}
		return nil
	})
}
