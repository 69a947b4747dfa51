package sqlite

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"
)

// trainCSV is the labelled declaration file of the benchmarks.
const trainCSV = "../testdata/customs-declarations/train.csv"

// BenchmarkSaveDeclarations measures `import declarations` of train.csv
// (37,385 labelled declarations) into a new database: every row with its
// inspection, in calls of 1,000 rows and in one call, reporting rows
// stored per second (and per CPU second of the process). The baseline
// inserts the same declarations' JSON into a bare table with a primary
// key only, one prepared INSERT a row, in transactions of 1,000: the most
// plain INSERTs do on this machine. Each iteration starts from an empty
// database, whose opening and migration are not timed.
func BenchmarkSaveDeclarations(b *testing.B) {
	entries, err := storetest.ReadDeclarationsCSV(trainCSV, time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC))
	if err != nil {
		b.Fatal(err)
	}
	for _, batch := range []int{1000, len(entries)} {
		name := fmt.Sprintf("calls_of_%d", batch)
		if batch == len(entries) {
			name = "one_call"
		}
		b.Run(name, func(b *testing.B) {
			benchDeclarations(b, entries, func(s *Store) error {
				for chunk := range slices.Chunk(entries, batch) {
					if err := s.SaveDeclarations(b.Context(), "bench", chunk, nil); err != nil {
						return err
					}
				}
				return nil
			})
		})
	}
	b.Run("baseline_plain_insert", func(b *testing.B) {
		benchDeclarations(b, entries, func(s *Store) error {
			if _, err := s.w.ExecContext(b.Context(), `CREATE TABLE plain (id TEXT PRIMARY KEY, body TEXT)`); err != nil {
				return err
			}
			for chunk := range slices.Chunk(entries, 1000) {
				err := s.write(b.Context(), "plain insert", func(tx *writeTx) error {
					st, err := tx.PrepareContext(b.Context(), `INSERT INTO plain (id, body) VALUES (?, ?)`)
					if err != nil {
						return err
					}
					defer st.Close()
					for _, e := range chunk {
						body, err := json.Marshal(e.Declaration)
						if err != nil {
							return err
						}
						if _, err := st.ExecContext(b.Context(), string(e.Declaration.DeclarationID), string(body)); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					return err
				}
			}
			return nil
		})
	})
}

// benchDeclarations runs store on a new database at every iteration and
// reports the entries stored per second.
func benchDeclarations(b *testing.B, entries []*crossguard.DeclarationEntry, store func(*Store) error) {
	var cpu time.Duration
	var n int
	for b.Loop() {
		b.StopTimer()
		s, err := Open(b.Context(), filepath.Join(b.TempDir(), fmt.Sprintf("decl%d.db", n)), Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Migrate(b.Context()); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		c := processCPU()
		if err := store(s); err != nil {
			b.Fatal(err)
		}
		cpu += processCPU() - c
		n += len(entries)
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "rows/s")
	if cpu > 0 {
		b.ReportMetric(float64(n)/cpu.Seconds(), "rows/cpu-s")
	}
}
