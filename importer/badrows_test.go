package importer_test

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"crossguard/importer"
)

func TestImportMillionBadRows(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 1,000,000 rows")
	}
	const rows = 1000000
	n, _ := mustNode(t, "")
	path := filepath.Join(t.TempDir(), "bad.csv")
	writeNumberedFile(t, path, rows, func(int) bool { return true })
	runtime.GC()

	var errs bytes.Buffer
	res, err := importer.ImportSeizures(context.Background(), targetOf(n), "tester", path, importer.Options{Errors: &errs})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 0 || res.Rejected != rows || res.Rows != rows {
		t.Errorf("result %+v, want all %d rows rejected", res, rows)
	}
	got := lines(errs.String())
	if len(got) != 101 {
		t.Fatalf("%d lines reported, want 100 and a summary", len(got))
	}
	if got[0] != `line 2: hs: "999999" is not an HS 2022 code` || got[99] != `line 101: hs: "999999" is not an HS 2022 code` {
		t.Errorf("first and last error lines %q, %q", got[0], got[99])
	}
	if want := "... and 999900 more rejected rows, see " + res.RejectsPath; got[100] != want {
		t.Errorf("summary %q, want %q", got[100], want)
	}
	if len(allSeizures(t, n)) != 0 {
		t.Error("seizures were stored")
	}

	// The rejects file holds every row, as it was, with its error.
	f, err := os.Open(res.RejectsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	count := 0
	for sc.Scan() {
		if count > 0 && !strings.HasSuffix(sc.Text(), `,"line `+itoa(count+1)+`: hs: ""999999"" is not an HS 2022 code"`) {
			t.Fatalf("rejects line %d is %q", count+1, sc.Text())
		}
		count++
	}
	if count != rows+1 {
		t.Errorf("rejects file has %d lines, want header + %d", count, rows)
	}

	// Memory stays bounded: the peak resident size of this test process,
	// which generated and imported the file, stays well under 200 MB.
	if hwm, err := peakRSS(); err == nil {
		t.Logf("peak RSS %d MiB", hwm>>20)
		if hwm >= 200<<20 {
			t.Errorf("peak RSS %d MiB, want under 200 MB", hwm>>20)
		}
	}
}

// itoa formats n in decimal.
func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}
