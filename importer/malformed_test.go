package importer_test

import (
	"bytes"
	"context"
	"os"
	"reflect"
	"strings"
	"testing"

	"crossguard"
	"crossguard/importer"
)

func TestImportRefusesEncoding(t *testing.T) {
	good := newTable().add(nil).bytes()
	utf16 := []byte{0xFF, 0xFE}
	for _, b := range good {
		utf16 = append(utf16, b, 0)
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"utf-16 with BOM", utf16, "is in UTF-16: save it as UTF-8"},
		{"utf-16 without BOM", utf16[2:], "contains NUL bytes"},
		{"xlsx", append([]byte("PK\x03\x04"), good...), "Excel workbook"},
		{"empty", nil, "is empty"},
		{"only blank lines", []byte("\n\n\r\n"), "has no header row"},
		{"header not utf-8", []byte("occurred_at,pa\xe9s\n"), "the header row is not valid UTF-8"},
		{"header bad quote", []byte("occurred_at,\"country\n"), "the header row is not valid CSV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := mustNode(t, "")
			path := writeFile(t, "f.csv", tt.data)
			_, err := importer.ImportSeizures(context.Background(), targetOf(n), "tester", path, importer.Options{})
			if crossguard.ErrorCode(err) != crossguard.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want EINVALID containing %q", err, tt.want)
			}
			if len(allSeizures(t, n)) != 0 {
				t.Error("something was imported")
			}
		})
	}
}

func TestImportEncodingOfRows(t *testing.T) {
	n, _ := mustNode(t, "")
	tb := newTable().add(map[string]string{"narrative": "good, café"}).add(map[string]string{"narrative": "caf\xe9 in Latin-1"}).add(map[string]string{"narrative": "good 2"})
	// A UTF-8 byte-order mark, as Excel writes, is accepted.
	data := append([]byte("\ufeff"), tb.bytes()...)
	path := writeFile(t, "latin.csv", data)
	var errs bytes.Buffer
	res, err := importer.ImportSeizures(context.Background(), targetOf(n), "tester", path, importer.Options{Errors: &errs})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 2 || res.Rejected != 1 {
		t.Fatalf("imported %d, rejected %d; want 2 and 1", res.Imported, res.Rejected)
	}
	if want := "line 3: narrative: not valid UTF-8 (save the file as UTF-8)\n"; errs.String() != want {
		t.Errorf("errors %q, want %q", errs.String(), want)
	}
	rej, err := os.ReadFile(res.RejectsPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(rej, []byte("\ufeffref,")) || !bytes.Contains(rej, []byte("caf\xe9 in Latin-1")) {
		t.Errorf("rejects file should keep the BOM and the row's bytes as they were:\n%q", rej)
	}
}

func TestImportMalformedRows(t *testing.T) {
	n, _ := mustNode(t, "")
	good := newTable().add(map[string]string{"narrative": "good"}).bytes()
	header, row, _ := bytes.Cut(good, []byte("\n"))
	var data bytes.Buffer
	data.Write(header)
	data.WriteString("\n")
	data.Write(row)                                                     // line 2
	data.WriteString("too,few,cells\n")                                 // line 3
	data.WriteString("a,b\"c,d\n")                                      // line 4: bare quote
	data.Write(bytes.Replace(row, []byte("good"), []byte("good 2"), 1)) // line 5
	data.WriteString(",,,,,,,,,,,,,,,,,,,,,,\n")                        // line 6: blank
	data.WriteString("\n")                                              // line 7: empty, skipped
	data.WriteString("\"x\"y,1\n")                                      // line 8: text after a closing quote
	data.Write(bytes.Replace(row, []byte("good"), []byte("good 3"), 1)) // line 9
	path := writeFile(t, "malformed.csv", data.Bytes())
	var errs bytes.Buffer
	res, err := importer.ImportSeizures(context.Background(), targetOf(n), "tester", path, importer.Options{Errors: &errs})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 3 || res.Rejected != 3 || res.Blank != 1 || res.Rows != 7 {
		t.Errorf("result %+v; want 3 imported, 3 rejected, 1 blank of 7 rows", res)
	}
	got := lines(errs.String())
	want := []string{
		"line 3: row: has 3 cells, but the header has 23 columns",
		`line 4: csv: a quote (") inside a cell that does not start with one (line 4, column 4): quote the whole cell and double the quotes inside it, e.g. "5 ""No. 4"" blocks"`,
		`line 8: csv: a quoted cell is not closed properly (line 8, column 3): a quote inside a quoted cell must be doubled ("")`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors\n%q\nwant\n%q", got, want)
	}
	rows := readCSV(t, res.RejectsPath)
	if len(rows) != 4 {
		t.Fatalf("rejects file has %d rows, want header + 3: %q", len(rows), rows)
	}
	if !reflect.DeepEqual(rows[1], []string{"too", "few", "cells", want[0]}) {
		t.Errorf("rejected short row written as %q", rows[1])
	}
	if rows[2][0] != `a,b"c,d` || rows[2][len(rows[2])-1] != want[1] || len(rows[2]) != 24 {
		t.Errorf("unparsable row written as %q; want its text in the first cell", rows[2])
	}
}

func TestImportStopsAtUnreadableRest(t *testing.T) {
	// A quote that is never closed makes encoding/csv read the rest of the
	// file as one cell. Past 1 MiB the import stops, keeping what came
	// before, and says so.
	n, _ := mustNode(t, "")
	good := newTable().add(map[string]string{"narrative": "kept"}).bytes()
	data := append(good, []byte("x,\"never closed")...)
	data = append(data, bytes.Repeat([]byte("lorem ipsum\n"), 200000)...)
	path := writeFile(t, "runaway.csv", data)
	res, err := importer.ImportSeizures(context.Background(), targetOf(n), "tester", path, importer.Options{})
	if crossguard.ErrorCode(err) != crossguard.EINVALID {
		t.Fatalf("error %v, want EINVALID", err)
	}
	for _, want := range []string{"line 3: a row of more than 1 MiB", "quote that is never closed", "the 1 seizures before it were imported (lines up to 2)", "import only the rows after line 2"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if res == nil || res.Imported != 1 || len(allSeizures(t, n)) != 1 {
		t.Errorf("result %+v; want the row before the fault kept", res)
	}
}

func TestImportUnclosedQuoteAtEnd(t *testing.T) {
	n, _ := mustNode(t, "")
	good := newTable().add(map[string]string{"narrative": "kept"}).bytes()
	path := writeFile(t, "unclosed.csv", append(good, []byte("x,\"never closed\nstill open\n")...))
	var errs bytes.Buffer
	res, err := importer.ImportSeizures(context.Background(), targetOf(n), "tester", path, importer.Options{Errors: &errs})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 1 || res.Rejected != 1 {
		t.Errorf("result %+v", res)
	}
	if !strings.HasPrefix(errs.String(), "line 3: csv: a quoted cell is not closed properly (line 4,") {
		t.Errorf("errors %q", errs.String())
	}
	rows := readCSV(t, res.RejectsPath)
	if len(rows) != 2 || rows[1][0] != "x,\"never closed\nstill open" {
		t.Errorf("rejects %q", rows)
	}
}
