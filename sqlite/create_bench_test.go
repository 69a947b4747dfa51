package sqlite

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"
)

// BenchmarkCreateSeizures measures CreateSeizures in batches of 1000 on a
// growing database, reporting seizures stored per second: with occurred_at
// in the order records arrive at a node (chronological) and in no order at
// all (random), the worst case for every index. The baseline inserts the
// same JSON bodies into a bare table with a primary key only, the most a
// batch of plain INSERTs can do on this machine.
func BenchmarkCreateSeizures(b *testing.B) {
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	orders := []struct {
		name string
		at   func(n int) time.Time
	}{
		{"chronological", func(n int) time.Time { return start.Add(time.Duration(n) * time.Minute) }},
		{"random", func(n int) time.Time { return start.Add(time.Duration(n*7919%1000003) * time.Minute) }},
	}
	for _, o := range orders {
		b.Run(o.name, func(b *testing.B) {
			s, err := Open(b.Context(), filepath.Join(b.TempDir(), "create.db"), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if _, err := s.Migrate(b.Context()); err != nil {
				b.Fatal(err)
			}
			const batch = 1000
			items := make([]*crossguard.Seizure, batch)
			n := 0
			var cpu time.Duration
			for b.Loop() {
				b.StopTimer()
				for k := range items {
					items[k] = storetest.NewSeizure(n, o.at(n))
					n++
				}
				b.StartTimer()
				c := processCPU()
				if err := s.CreateSeizures(b.Context(), "bench", items, nil); err != nil {
					b.Fatal(err)
				}
				cpu += processCPU() - c
			}
			reportRate(b, n, cpu)
		})
	}
	b.Run("baseline_plain_insert", func(b *testing.B) {
		s, err := Open(b.Context(), filepath.Join(b.TempDir(), "plain.db"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		if _, err := s.Migrate(b.Context()); err != nil {
			b.Fatal(err)
		}
		if _, err := s.w.ExecContext(b.Context(), `CREATE TABLE plain (id TEXT PRIMARY KEY, occurred_at INTEGER, country TEXT, body TEXT)`); err != nil {
			b.Fatal(err)
		}
		const batch = 1000
		n := 0
		var cpu time.Duration
		for b.Loop() {
			b.StopTimer()
			items := make([]*crossguard.Seizure, batch)
			for k := range items {
				items[k] = storetest.NewSeizure(n, orders[0].at(n))
				n++
			}
			b.StartTimer()
			c := processCPU()
			err := s.write(b.Context(), "plain insert", func(tx *writeTx) error {
				st, err := tx.PrepareContext(b.Context(), `INSERT INTO plain (id, occurred_at, country, body) VALUES (?, ?, ?, ?)`)
				if err != nil {
					return err
				}
				defer st.Close()
				for _, it := range items {
					body, err := json.Marshal(it)
					if err != nil {
						return err
					}
					if _, err := st.ExecContext(b.Context(), it.ID, unixNano(it.OccurredAt), it.Country, string(body)); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			cpu += processCPU() - c
		}
		reportRate(b, n, cpu)
	})
}

// reportRate reports n seizures stored in the benchmark's time and in cpu,
// the CPU time the process used meanwhile: the first varies with other
// load on the machine, the second much less.
func reportRate(b *testing.B, n int, cpu time.Duration) {
	b.Helper()
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "seizures/s")
	if cpu > 0 {
		b.ReportMetric(float64(n)/cpu.Seconds(), "seizures/cpu-s")
	}
}
