package importer_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"crossguard"
	"crossguard/declcsv"
	"crossguard/importer"
	"os"
)

// BenchmarkImportDeclarations imports train.csv into a fresh SQLite node:
// "store" only stores the file's declarations, read beforehand, in
// batches of 1000 with SaveDeclarations, the baseline; "import" runs the
// whole import from the file. Both report rows/s; their ratio is what
// reading, checking and resuming cost over storing.
func BenchmarkImportDeclarations(b *testing.B) {
	path := declarationsDir + "train.csv"
	entries := readEntries(b, path)
	b.Run("store", func(b *testing.B) {
		rows := 0
		for b.Loop() {
			b.StopTimer()
			n, _ := mustNode(b, "")
			b.StartTimer()
			for i := 0; i < len(entries); i += 1000 {
				if err := n.Store.SaveDeclarations(context.Background(), "bench", entries[i:min(i+1000, len(entries))], nil); err != nil {
					b.Fatal(err)
				}
			}
			rows += len(entries)
		}
		b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("import", func(b *testing.B) {
		rows := 0
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			n, _ := mustNode(b, "")
			rejects := filepath.Join(b.TempDir(), fmt.Sprintf("rejects%d.csv", i))
			b.StartTimer()
			res, err := importer.ImportDeclarations(context.Background(), targetOf(n), "bench", path,
				importer.DeclarationOptions{Options: importer.Options{RejectsPath: rejects}})
			if err != nil || res.Imported != int64(len(entries)) {
				b.Fatal(err, res)
			}
			rows += int(res.Imported)
		}
		b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	})
}

// readEntries reads a labelled declaration file into entries as the
// import stores them.
func readEntries(b *testing.B, path string) []*crossguard.DeclarationEntry {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	r, err := declcsv.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	var out []*crossguard.DeclarationEntry
	at := time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)
	for {
		row, err := r.Read()
		if err != nil {
			return out
		}
		if row.Err != nil {
			b.Fatal(row.Err)
		}
		out = append(out, &crossguard.DeclarationEntry{Declaration: row.Declaration, ReceivedAt: at,
			Inspection: &crossguard.Inspection{DeclarationID: string(row.Declaration.DeclarationID),
				Result: crossguard.LabelResult(*row.Label), Label: *row.Label, Source: crossguard.InspectionFromFile, At: at}})
	}
}
