package declcsv_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"

	"crossguard"
	"crossguard/declcsv"
)

// goodRow is a valid labelled row by column.
var goodRow = map[string]string{
	"Declaration ID": "97061800", "Date": "2020-01-01", "Office ID": "30", "Process Type": "B",
	"Import Type": "11", "Import Use": "21", "Payment Type": "11", "Mode of Transport": "10",
	"Declarant ID": "ZZR1LT6", "Importer ID": "QLRUBN9", "Seller ID": "0VKY2BR", "Courier ID": "",
	"HS6 Code": "440890", "Country of Departure": "BE", "Country of Origin": "BE", "Tax Rate": "0.0",
	"Tax Type": "FEU1", "Country of Origin Indicator": "G", "Net Mass": "108.0", "Item Price": "372254.4",
	"Fraud": "1", "Critical Fraud": "2",
}

// fileOf returns a CSV file with the header cols and one row per change
// set, each goodRow with the changes.
func fileOf(cols []string, changes ...map[string]string) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(cols)
	for _, ch := range changes {
		row := make([]string, len(cols))
		for i, c := range cols {
			row[i] = goodRow[c]
			if v, ok := ch[c]; ok {
				row[i] = v
			}
		}
		w.Write(row)
	}
	w.Flush()
	return buf.Bytes()
}

// without returns cols less the named ones.
func without(cols []string, drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(cols), func(c string) bool { return slices.Contains(drop, c) })
}

func TestBadHeaderIsRefusedNamingEveryProblem(t *testing.T) {
	all := declcsv.Columns(true)
	for _, tc := range []struct {
		name   string
		header []string
		want   []crossguard.FieldError // nil: accepted
	}{
		{"exact", all, nil},
		{"without labels", declcsv.Columns(false), nil},
		{"in another order", append(slices.Clone(all[10:]), all[:10]...), nil},
		{"missing columns", without(all, "Net Mass", "Date"), []crossguard.FieldError{
			{Field: "Date", Message: "required column is missing"}, {Field: "Net Mass", Message: "required column is missing"}}},
		{"Fraud alone", without(all, "Critical Fraud"), []crossguard.FieldError{
			{Field: "Critical Fraud", Message: "required column is missing: the label columns Fraud and Critical Fraud come together"}}},
		{"Critical Fraud alone", without(all, "Fraud"), []crossguard.FieldError{
			{Field: "Fraud", Message: "required column is missing: the label columns Fraud and Critical Fraud come together"}}},
		{"snake case", append(without(all, "HS6 Code"), "hs6_code"), []crossguard.FieldError{
			{Field: "hs6_code", Message: `unknown column (did you mean "HS6 Code"?)`},
			{Field: "HS6 Code", Message: "required column is missing"}}},
		{"case and a slip", append(without(all, "Net Mass", "Importer ID"), "net mass", "Importr ID"), []crossguard.FieldError{
			{Field: "net mass", Message: `unknown column (did you mean "Net Mass"?)`},
			{Field: "Importr ID", Message: `unknown column (did you mean "Importer ID"?)`},
			{Field: "Importer ID", Message: "required column is missing"},
			{Field: "Net Mass", Message: "required column is missing"}}},
		{"unknown column", append(slices.Clone(all), "Vessel"), []crossguard.FieldError{
			{Field: "Vessel", Message: "unknown column"}}},
		{"error column of a rejects file", append(slices.Clone(all), "error"), []crossguard.FieldError{
			{Field: "error", Message: "unknown column"}}},
		{"twice", append(slices.Clone(all), "Office ID"), []crossguard.FieldError{
			{Field: "Office ID", Message: "appears twice, in columns 3 and 23"}}},
		{"no name", append(slices.Clone(all), " "), []crossguard.FieldError{
			{Field: "column 23", Message: "has no name"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := declcsv.NewReader(bytes.NewReader(fileOf(tc.header)))
			if tc.want == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if crossguard.ErrorCode(err) != crossguard.EINVALID || !strings.HasPrefix(err.Error(), "line 1: the header row does not match the customs declaration layout") {
				t.Fatalf("error %v, want EINVALID about the header", err)
			}
			if got := crossguard.ErrorFields(err); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("problems\n%v\nwant\n%v", got, tc.want)
			}
		})
	}
}

func TestParseHeaderIgnoresNamedColumns(t *testing.T) {
	l, err := declcsv.ParseHeader(append(declcsv.Columns(true), "error"), "error")
	if err != nil || l.Width() != 23 || !l.Labelled() {
		t.Fatalf("layout %v, %v", l, err)
	}
	if _, err := declcsv.ParseHeader(append(declcsv.Columns(true), "error", "error"), "error"); err == nil {
		t.Fatal("an ignored column given twice was accepted")
	}
}

func TestUnreadableFilesAreRefused(t *testing.T) {
	for _, tc := range []struct {
		name, data, want string
	}{
		{"empty", "", "no header row"},
		{"UTF-16", "\xff\xfeD\x00e\x00", "UTF-16"},
		{"xlsx", "PK\x03\x04rest", "Excel workbook"},
		{"header not CSV", `Declaration "ID",Date` + "\n", "not valid CSV"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := declcsv.NewReader(strings.NewReader(tc.data))
			if crossguard.ErrorCode(err) != crossguard.EINVALID || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want EINVALID saying %q", err, tc.want)
			}
		})
	}
}

func TestBadRowsAreReportedAndReadingGoesOn(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change map[string]string
		want   []crossguard.FieldError // nil: a good row
	}{
		{"good", nil, nil},
		{"spaces around cells", map[string]string{"Net Mass": " 108.0 ", "HS6 Code": " 440890"}, nil},
		{"empty optional codes", map[string]string{"Seller ID": "", "Tax Type": "", "Country of Departure": ""}, nil},
		{"empty tax rate", map[string]string{"Tax Rate": ""}, nil},
		{"exponent", map[string]string{"Item Price": "3.722544e5"}, nil},
		{"thousands separator", map[string]string{"Item Price": "372,254.4"}, []crossguard.FieldError{
			{Field: "Item Price", Message: `"372,254.4" is not a number such as 1234.5 (a point for decimals, no thousands separators)`}}},
		{"decimal comma", map[string]string{"Net Mass": "108,5"}, []crossguard.FieldError{
			{Field: "Net Mass", Message: `"108,5" is not a number such as 1234.5 (a point for decimals, no thousands separators)`}}},
		{"not numbers", map[string]string{"Tax Rate": "Inf", "Net Mass": "0x10", "Item Price": "NaN"}, []crossguard.FieldError{
			{Field: "Tax Rate", Message: `"Inf" is not a number such as 1234.5 (a point for decimals, no thousands separators)`},
			{Field: "Net Mass", Message: `"0x10" is not a number such as 1234.5 (a point for decimals, no thousands separators)`},
			{Field: "Item Price", Message: `"NaN" is not a number such as 1234.5 (a point for decimals, no thousands separators)`}}},
		{"out of range", map[string]string{"Item Price": "1e999"}, []crossguard.FieldError{
			{Field: "Item Price", Message: `"1e999" is out of range`}}},
		{"required numbers", map[string]string{"Net Mass": "", "Item Price": " "}, []crossguard.FieldError{
			{Field: "Net Mass", Message: "required"}, {Field: "Item Price", Message: "required"}}},
		{"negative", map[string]string{"Net Mass": "-1"}, []crossguard.FieldError{
			{Field: "Net Mass", Message: "must not be negative, got -1"}}},
		{"validation", map[string]string{"Declaration ID": "", "Date": "2020-13-01", "Office ID": "", "HS6 Code": "44089", "Country of Origin": "be"},
			[]crossguard.FieldError{
				{Field: "Declaration ID", Message: "required"},
				{Field: "Date", Message: `"2020-13-01" is not a date such as 2026-11-27`},
				{Field: "Office ID", Message: "required"},
				{Field: "HS6 Code", Message: `"44089" is not a 6-digit HS code such as 293911`},
				{Field: "Country of Origin", Message: `"be" is not a 2-letter country code such as PK`}}},
		{"not UTF-8", map[string]string{"Importer ID": "QLR\xffBN9"}, []crossguard.FieldError{
			{Field: "Importer ID", Message: "not valid UTF-8"}}},
		{"labels out of range", map[string]string{"Fraud": "2", "Critical Fraud": "3"}, []crossguard.FieldError{
			{Field: "Fraud", Message: `"2" is not 0 (no fraud) or 1 (fraud)`},
			{Field: "Critical Fraud", Message: `"3" is not 0, 1 or 2`}}},
		{"labels not integers", map[string]string{"Fraud": "1.0", "Critical Fraud": "yes"}, []crossguard.FieldError{
			{Field: "Fraud", Message: `"1.0" is not 0 (no fraud) or 1 (fraud)`},
			{Field: "Critical Fraud", Message: `"yes" is not 0, 1 or 2`}}},
		{"labels empty", map[string]string{"Fraud": "", "Critical Fraud": ""}, []crossguard.FieldError{
			{Field: "Fraud", Message: "required in a labelled file: 0 (no fraud) or 1 (fraud)"},
			{Field: "Critical Fraud", Message: "required in a labelled file: 0, 1 or 2"}}},
		{"critical without fraud", map[string]string{"Fraud": "0", "Critical Fraud": "1"}, []crossguard.FieldError{
			{Field: "Critical Fraud", Message: "is 1, but Fraud is 0: a critical fraud is a fraud"}}},
		{"number and validation of other fields", map[string]string{"Net Mass": "ten", "HS6 Code": "x"}, []crossguard.FieldError{
			{Field: "Net Mass", Message: `"ten" is not a number such as 1234.5 (a point for decimals, no thousands separators)`},
			{Field: "HS6 Code", Message: `"x" is not a 6-digit HS code such as 293911`}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The bad row sits between two good ones.
			data := fileOf(declcsv.Columns(true), map[string]string{"Declaration ID": "1"}, tc.change, map[string]string{"Declaration ID": "3"})
			r, err := declcsv.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			var rows []*declcsv.Row
			for {
				row, err := r.Read()
				if err == io.EOF {
					break
				} else if err != nil {
					t.Fatal(err)
				}
				rows = append(rows, row)
			}
			if len(rows) != 3 || rows[0].Err != nil || rows[2].Err != nil || rows[2].Line != 4 {
				t.Fatalf("read %d rows around the one under test, want 3 with the others good", len(rows))
			}
			row := rows[1]
			if row.Line != 3 || row.EndLine != 3 {
				t.Errorf("row on lines %d-%d, want 3", row.Line, row.EndLine)
			}
			if tc.want == nil {
				if row.Err != nil || row.Declaration == nil || row.Label == nil {
					t.Fatalf("good row refused: %v", row.Err)
				}
				return
			}
			if row.Err == nil || row.Declaration != nil || row.Label != nil {
				t.Fatalf("bad row accepted: %+v", row.Declaration)
			}
			if row.Err.Line != 3 || !reflect.DeepEqual(row.Err.Fields, tc.want) {
				t.Errorf("line %d: problems\n%v\nwant line 3:\n%v", row.Err.Line, row.Err.Fields, tc.want)
			}
		})
	}
}

func TestRowsThatAreNotCSVOfTheLayout(t *testing.T) {
	header := strings.Join(declcsv.Columns(false), ",")
	good := "1,2020-01-01,30,B,11,21,11,10,D,I,S,,440890,BE,BE,0,A,G,1,2"
	data := header + "\n" +
		good + "\n" +
		"2,2020-01-01,30\n" + // line 3: too few cells
		"3,2020-01-01,30,B,11,\"21\n\",11,10,D,I,S,,440890,BE,BE,0,A,G,1,2,extra\n" + // lines 4-5: too many, spanning lines
		"4,2020-01-01,30,B,11,2\"1,11,10,D,I,S,,440890,BE,BE,0,A,G,1,2\n" + // line 6: bare quote
		"\n" + // line 7: empty, skipped
		",,,,,,,,,,,,,,,,,,,\n" + // line 8: blank cells, skipped
		strings.Replace(good, "1,", "5,", 1) + "\n" // line 9
	r, err := declcsv.NewReader(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		line, end int64
		id        string
		err       string
	}
	var rows []got
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		g := got{line: row.Line, end: row.EndLine}
		if row.Err != nil {
			g.err = row.Err.Error()
		} else {
			g.id = string(row.Declaration.DeclarationID)
		}
		rows = append(rows, g)
	}
	want := []got{
		{line: 2, end: 2, id: "1"},
		{line: 3, end: 3, err: "line 3: row: has 3 cells, but the header has 20 columns"},
		{line: 4, end: 5, err: "line 4: row: has 21 cells, but the header has 20 columns"},
		{line: 6, end: 6, err: `line 6: csv: a quote (") inside a cell that does not start with one (line 6, column 23): quote the whole cell and double the quotes inside it`},
		{line: 9, end: 9, id: "5"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows\n%+v\nwant\n%+v", rows, want)
	}
	if r.Blank() != 1 {
		t.Errorf("Blank() = %d, want 1", r.Blank())
	}
}

func TestAnUnclosedQuoteStopsReadingPastTheLimit(t *testing.T) {
	header := strings.Join(declcsv.Columns(false), ",")
	good := "1,2020-01-01,30,B,11,21,11,10,D,I,S,,440890,BE,BE,0,A,G,1,2"
	data := header + "\n" + good + "\n\"2" + strings.Repeat("x,", declcsv.MaxRowBytes)
	r, err := declcsv.NewReader(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if row, err := r.Read(); err != nil || row.Err != nil {
		t.Fatalf("first row: %v %v", err, row.Err)
	}
	_, err = r.Read()
	if crossguard.ErrorCode(err) != crossguard.EINVALID || !strings.Contains(err.Error(), "line 3: a row longer than 1 MiB") {
		t.Fatalf("error %v, want the row at line 3 refused as too long", err)
	}
	if _, again := r.Read(); again != err {
		t.Errorf("reading on gave %v, want the same error", again)
	}
}
