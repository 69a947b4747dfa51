package declcsv_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"testing"

	"crossguard/declcsv"
)

// BenchmarkReadTrain reads train.csv from memory: "csv" splits it into
// cells with encoding/csv alone, the baseline; "declcsv" reads it into
// validated declarations and labels. Both report rows/s; their ratio is
// what reading the layout costs over splitting the file.
func BenchmarkReadTrain(b *testing.B) {
	data := mustRead(b, "train.csv")
	b.Run("csv", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		rows := 0
		for b.Loop() {
			cr := csv.NewReader(bytes.NewReader(data))
			for {
				_, err := cr.Read()
				if err == io.EOF {
					break
				} else if err != nil {
					b.Fatal(err)
				}
				rows++
			}
		}
		b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("declcsv", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		rows := 0
		for b.Loop() {
			r, err := declcsv.NewReader(bytes.NewReader(data))
			if err != nil {
				b.Fatal(err)
			}
			for {
				row, err := r.Read()
				if err == io.EOF {
					break
				} else if err != nil || row.Err != nil {
					b.Fatal(err, row.Err)
				}
				rows++
			}
		}
		b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	})
}
