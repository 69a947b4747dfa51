package importer_test

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"crossguard"
	"crossguard/importer"
	"crossguard/node"
	"crossguard/sample"
)

// benchRows returns the number of rows the benchmarks import:
// CROSSGUARD_BENCH_ROWS, default 100,000.
func benchRows(b *testing.B) int {
	b.Helper()
	n := 100000
	if s := os.Getenv("CROSSGUARD_BENCH_ROWS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			b.Fatalf("CROSSGUARD_BENCH_ROWS=%q is not a positive number", s)
		}
		n = v
	}
	return n
}

// BenchmarkImportSeizures imports the same sample seizures twice in one
// run: plain_insert stores them with a plain batched INSERT into the
// seizures table only (no validation, goods lines, full-text index or
// audit), the floor of what SQLite can do; import runs ImportSeizures on
// them as CSV. Both report seizures and CSV rows per second; import also
// reports its ratio to plain_insert.
func BenchmarkImportSeizures(b *testing.B) {
	n := benchRows(b)
	dir := b.TempDir()
	csvPath := filepath.Join(dir, "sample.csv")
	f, err := os.Create(csvPath)
	if err != nil {
		b.Fatal(err)
	}
	if err := sample.WriteCSV(f, n, 1, now); err != nil {
		b.Fatal(err)
	}
	f.Close()
	rows := 0
	if err := sample.Each(n, 1, now, func(s *crossguard.Seizure) error { rows += len(s.Goods); return nil }); err != nil {
		b.Fatal(err)
	}

	var plainRate float64
	b.Run("plain_insert", func(b *testing.B) {
		var elapsed time.Duration
		for i := range b.N {
			b.StopTimer()
			nd, dbPath := mustNode(b, filepath.Join(b.TempDir(), fmt.Sprintf("plain%d.db", i)))
			items := sample.Seizures(n, 1, now)
			for _, s := range items {
				s.ID, s.Origin, s.Version, s.CreatedAt, s.UpdatedAt = node.NewUUIDv7(), nd.Info.ID, 1, now, now
			}
			nd.Store.Close()
			// The pragmas of the store's writer: WAL, synchronous=NORMAL and a
			// page cache of 128 MiB, so that the comparison is of the work done.
			db := openDB(b, dbPath+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-131072)&_txlock=immediate")
			db.SetMaxOpenConns(1)
			b.StartTimer()
			start := time.Now()
			if err := plainInsert(db, items); err != nil {
				b.Fatal(err)
			}
			elapsed += time.Since(start)
		}
		plainRate = float64(n*b.N) / elapsed.Seconds()
		b.ReportMetric(plainRate, "seizures/s")
		b.ReportMetric(float64(rows*b.N)/elapsed.Seconds(), "rows/s")
	})
	b.Run("import", func(b *testing.B) {
		var elapsed time.Duration
		for range b.N {
			b.StopTimer()
			nd, _ := mustNode(b, "")
			b.StartTimer()
			start := time.Now()
			res, err := importer.ImportSeizures(context.Background(), targetOf(nd), "bench", csvPath, importer.Options{})
			if err != nil {
				b.Fatal(err)
			}
			elapsed += time.Since(start)
			if res.Imported != int64(n) {
				b.Fatalf("imported %d of %d", res.Imported, n)
			}
		}
		rate := float64(n*b.N) / elapsed.Seconds()
		b.ReportMetric(rate, "seizures/s")
		b.ReportMetric(float64(rows*b.N)/elapsed.Seconds(), "rows/s")
		if plainRate > 0 {
			b.ReportMetric(rate/plainRate, "ratio")
		}
	})
}

// plainInsert stores items in the seizures table with one prepared
// INSERT, in transactions of 1000: the same row and JSON body as the
// store writes, and nothing else.
func plainInsert(db *sql.DB, items []*crossguard.Seizure) error {
	const batch = 1000
	seq := int64(0)
	for start := 0; start < len(items); start += batch {
		tx, err := db.Begin()
		if err != nil {
			return err
		}
		st, err := tx.Prepare(`INSERT INTO seizures (id, seq, origin, version, created_at, updated_at, occurred_at, country, distribution, tlp, deleted, body)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`)
		if err != nil {
			tx.Rollback()
			return err
		}
		for _, s := range items[start:min(start+batch, len(items))] {
			body, err := json.Marshal(s)
			if err != nil {
				tx.Rollback()
				return err
			}
			seq++
			_, err = st.Exec(s.ID, seq, s.Origin, s.Version, s.CreatedAt.Format(time.RFC3339Nano), s.UpdatedAt.Format(time.RFC3339Nano),
				s.OccurredAt.UnixNano(), s.Country, s.Distribution, s.Marking.TLP, string(body))
			if err != nil {
				tx.Rollback()
				return err
			}
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkImportPeakRSS imports CROSSGUARD_BENCH_ROWS sample seizures
// (run it with 1000000) in a child process and reports the child's peak
// resident set size, which must stay under 200 MB.
func BenchmarkImportPeakRSS(b *testing.B) {
	n := benchRows(b)
	dir := b.TempDir()
	csvPath := filepath.Join(dir, "sample.csv")
	f, err := os.Create(csvPath)
	if err != nil {
		b.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	if err := sample.WriteCSV(bw, n, 1, now); err != nil {
		b.Fatal(err)
	}
	bw.Flush()
	f.Close()
	for i := range b.N {
		dbPath := filepath.Join(dir, fmt.Sprintf("node%d.db", i))
		nd, _ := mustNode(b, dbPath)
		nd.Store.Close()
		out := filepath.Join(dir, "rss.txt")
		cmd := helperCommand("memory", dbPath, csvPath, out)
		if output, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("child: %v\n%s", err, output)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			b.Fatal(err)
		}
		var hwm, imported, rejected int64
		if _, err := fmt.Sscan(string(data), &hwm, &imported, &rejected); err != nil {
			b.Fatal(err)
		}
		if imported != int64(n) {
			b.Fatalf("child imported %d of %d (%d rejected)", imported, n, rejected)
		}
		b.ReportMetric(float64(hwm)/(1<<20), "peak-RSS-MiB")
		if hwm >= 200<<20 {
			b.Errorf("peak RSS %d MiB, want under 200 MB", hwm>>20)
		}
	}
}
