package postgres_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/testenv"
	"crossguard/storetest"

	"github.com/jackc/pgx/v5"
)

// trainCSV is the labelled declaration file of the benchmarks.
const trainCSV = "../testdata/customs-declarations/train.csv"

// BenchmarkSaveDeclarations measures `import declarations` of train.csv
// (37,385 labelled declarations) into a new schema: every row with its
// inspection, in calls of 1,000 rows and in one call, reporting rows
// stored per second. The baseline inserts the same declarations' JSON
// into a bare table with a primary key only, with one unnest statement
// per 1,000 rows in a transaction each: the most plain multi-row INSERTs
// do on this machine. Each iteration starts from an empty schema, whose
// creation is not timed.
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
			benchDeclarations(b, entries, func(s crossguard.RiskStore, _ string) error {
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
		benchDeclarations(b, entries, func(_ crossguard.RiskStore, schema string) error {
			cfg, err := pgx.ParseConfig(testenv.PostgresURL(b))
			if err != nil {
				return err
			}
			cfg.RuntimeParams["search_path"] = pgx.Identifier{schema}.Sanitize()
			conn, err := pgx.ConnectConfig(b.Context(), cfg)
			if err != nil {
				return err
			}
			defer conn.Close(b.Context())
			if _, err := conn.Exec(b.Context(), `CREATE TABLE plain (id text COLLATE "C" PRIMARY KEY, body text)`); err != nil {
				return err
			}
			for chunk := range slices.Chunk(entries, 1000) {
				ids, bodies := make([]string, len(chunk)), make([]string, len(chunk))
				for i, e := range chunk {
					body, err := json.Marshal(e.Declaration)
					if err != nil {
						return err
					}
					ids[i], bodies[i] = string(e.Declaration.DeclarationID), string(body)
				}
				if _, err := conn.Exec(b.Context(), `INSERT INTO plain SELECT * FROM unnest($1::text[], $2::text[])`, ids, bodies); err != nil {
					return err
				}
			}
			return nil
		})
	})
}

// benchDeclarations runs store on a new schema at every iteration and
// reports the entries stored per second.
func benchDeclarations(b *testing.B, entries []*crossguard.DeclarationEntry, store func(crossguard.RiskStore, string) error) {
	var n int
	for b.Loop() {
		b.StopTimer()
		schema := newSchema(b)
		s := openTest(b, schema)
		b.StartTimer()
		if err := store(s, schema); err != nil {
			b.Fatal(err)
		}
		n += len(entries)
		b.StopTimer()
		s.Close() // the pool, at once rather than when the benchmark ends
		b.StartTimer()
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "rows/s")
}
