package declcsv_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"crossguard"
	"crossguard/declcsv"
)

// FuzzReader reads arbitrary bytes as a declaration file. Whatever the
// input, the reader must not panic; it either refuses the file or returns
// rows in order, each either a valid declaration or an error naming its
// line and the columns at fault; and a declaration it accepts reads back
// the same when written out again. The seed corpus is in
// testdata/fuzz/FuzzReader.
func FuzzReader(f *testing.F) {
	f.Add([]byte("Declaration ID,Date,Office ID,Process Type,Import Type,Import Use,Payment Type,Mode of Transport,Declarant ID,Importer ID,Seller ID,Courier ID,HS6 Code,Country of Departure,Country of Origin,Tax Rate,Tax Type,Country of Origin Indicator,Net Mass,Item Price\n" +
		"1,2020-01-01,30,B,11,21,11,10,D,I,S,,440890,BE,BE,0,A,G,1,2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := declcsv.NewReader(bytes.NewReader(data))
		if err != nil {
			if crossguard.ErrorCode(err) != crossguard.EINVALID {
				t.Fatalf("refused with %v, want an EINVALID error", err)
			}
			return
		}
		l := r.Layout()
		columns := append(l.Header(), "row", "csv")
		prevEnd := int64(1)
		for {
			row, err := r.Read()
			if err == io.EOF {
				break
			} else if err != nil {
				if crossguard.ErrorCode(err) != crossguard.EINVALID {
					t.Fatalf("stopped with %v, want an EINVALID error", err)
				}
				break
			}
			if row.Line <= prevEnd || row.EndLine < row.Line {
				t.Fatalf("row on lines %d-%d after a row ending on line %d", row.Line, row.EndLine, prevEnd)
			}
			prevEnd = row.EndLine
			if (row.Declaration == nil) == (row.Err == nil) {
				t.Fatalf("line %d: declaration %v and error %v", row.Line, row.Declaration, row.Err)
			}
			if row.Err != nil {
				if row.Err.Line != row.Line || len(row.Err.Fields) == 0 || row.Label != nil {
					t.Fatalf("line %d: error %v", row.Line, row.Err)
				}
				for _, f := range row.Err.Fields {
					if !slices.Contains(columns, f.Field) {
						t.Fatalf("line %d: error names %q, not a column of the file", row.Line, f.Field)
					}
				}
				continue
			}
			if err := row.Declaration.Validate(); err != nil {
				t.Fatalf("line %d: accepted an invalid declaration: %v", row.Line, err)
			}
			if (row.Label != nil) != l.Labelled() {
				t.Fatalf("line %d: label %v in a file labelled %v", row.Line, row.Label, l.Labelled())
			}
			if row.Label != nil && (row.Label.Fraud < 0 || row.Label.Fraud > 1 || row.Label.Critical < 0 || row.Label.Critical > 2) {
				t.Fatalf("line %d: label %+v out of range", row.Line, *row.Label)
			}
			checkRoundTrip(t, row)
		}
	})
}

// checkRoundTrip writes a declaration read from a row back out as a file
// and checks that it reads back the same.
func checkRoundTrip(t *testing.T, row *declcsv.Row) {
	t.Helper()
	d := row.Declaration
	text := func(c crossguard.Code) string { return string(c) }
	num := func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
	cells := []string{text(d.DeclarationID), d.Date, text(d.OfficeID), text(d.ProcessType), text(d.ImportType),
		text(d.ImportUse), text(d.PaymentType), text(d.ModeOfTransport), text(d.DeclarantID), text(d.ImporterID),
		text(d.SellerID), text(d.CourierID), text(d.HS6Code), text(d.CountryOfDeparture), text(d.CountryOfOrigin),
		num(d.TaxRate), text(d.TaxType), text(d.CountryOfOriginIndicator), num(d.NetMass), num(d.ItemPrice)}
	labelled := row.Label != nil
	if labelled {
		cells = append(cells, strconv.Itoa(row.Label.Fraud), strconv.Itoa(row.Label.Critical))
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(declcsv.Columns(labelled))
	w.Write(cells)
	w.Flush()
	r, err := declcsv.NewReader(&buf)
	if err != nil {
		t.Fatalf("line %d written out: %v", row.Line, err)
	}
	again, err := r.Read()
	if err != nil || again.Err != nil {
		t.Fatalf("line %d written out as %q: %v %v", row.Line, cells, err, again.Err)
	}
	if !reflect.DeepEqual(again.Declaration, d) || !reflect.DeepEqual(again.Label, row.Label) {
		t.Fatalf("line %d read back as\n%+v %v\nwant\n%+v %v", row.Line, *again.Declaration, again.Label, *d, row.Label)
	}
}
