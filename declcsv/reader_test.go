package declcsv_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"crossguard"
	"crossguard/declcsv"
)

// dataDir holds the customs declaration files.
const dataDir = "../testdata/customs-declarations/"

// counts sums up a whole file read with a Reader.
type counts struct {
	rows, errs, labelled, frauds, critical int
	first                                  *crossguard.Declaration
}

// readAll reads every row of data and counts them, failing the test on a
// reading error.
func readAll(t testing.TB, data []byte) (counts, []*declcsv.RowError) {
	t.Helper()
	r, err := declcsv.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	var c counts
	var errs []*declcsv.RowError
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("Read: %v", err)
		}
		c.rows++
		if row.Err != nil {
			c.errs++
			errs = append(errs, row.Err)
			continue
		}
		if c.first == nil {
			c.first = row.Declaration
		}
		if row.Label != nil {
			c.labelled++
			if row.Label.Positive() {
				c.frauds++
			}
			if row.Label.Critical == 2 {
				c.critical++
			}
		}
	}
	if int64(c.rows) != r.Rows() {
		t.Errorf("Rows() = %d, read %d", r.Rows(), c.rows)
	}
	return c, errs
}

// mustRead reads a file of the test data.
func mustRead(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(dataDir + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestReadsTheDeclarationFilesFully(t *testing.T) {
	for _, tc := range []struct {
		file                                   string
		rows, frauds, critical                 int
		firstID, firstHS, firstOrigin, firstTT string
		firstMass, firstPrice                  float64
	}{
		{"train.csv", 37385, 8114, 394, "97061800", "440890", "BE", "FEU1", 108.0, 372254.4},
		{"valid.csv", 8134, 1704, 78, "", "", "", "", 0, 0},
	} {
		t.Run(tc.file, func(t *testing.T) {
			c, errs := readAll(t, mustRead(t, tc.file))
			if c.rows != tc.rows || c.errs != 0 {
				t.Fatalf("read %d rows with %d errors (first %v), want %d and none", c.rows, c.errs, errs[:min(len(errs), 3)], tc.rows)
			}
			if c.labelled != tc.rows || c.frauds != tc.frauds || c.critical != tc.critical {
				t.Errorf("%d labelled, %d frauds, %d critical; want %d, %d, %d", c.labelled, c.frauds, c.critical, tc.rows, tc.frauds, tc.critical)
			}
			if tc.firstID == "" {
				return
			}
			d := c.first
			want := crossguard.Declaration{DeclarationID: "97061800", Date: "2020-01-01", OfficeID: "30", ProcessType: "B",
				ImportType: "11", ImportUse: "21", PaymentType: "11", ModeOfTransport: "10", DeclarantID: "ZZR1LT6",
				ImporterID: "QLRUBN9", SellerID: "0VKY2BR", CourierID: "", HS6Code: "440890", CountryOfDeparture: "BE",
				CountryOfOrigin: "BE", TaxRate: 0, TaxType: "FEU1", CountryOfOriginIndicator: "G", NetMass: 108, ItemPrice: 372254.4}
			if !reflect.DeepEqual(*d, want) {
				t.Errorf("first row\n%+v\nwant\n%+v", *d, want)
			}
		})
	}
}

func TestByteOrderMarkIsSkipped(t *testing.T) {
	data := mustRead(t, "valid.csv")
	head := data[:bytes.IndexByte(data, '\n')+1]
	rest := bytes.SplitN(data, []byte("\n"), 4)
	sample := append(append([]byte("\ufeff"), head...), append(append(rest[1], '\n'), rest[2]...)...)
	c, errs := readAll(t, sample)
	if c.rows != 2 || len(errs) != 0 || c.labelled != 2 {
		t.Fatalf("read %d rows, errors %v", c.rows, errs)
	}
}

func TestColumnsHoldTheirDeclarationFields(t *testing.T) {
	for _, h := range declcsv.Columns(false) {
		name := declcsv.FieldName(h)
		if _, ok := crossguard.LookupDeclarationField(name); !ok {
			t.Errorf("column %q: %q is not a declaration field", h, name)
		}
		if got := declcsv.ColumnOf(name); got != h {
			t.Errorf("ColumnOf(%q) = %q, want %q", name, got, h)
		}
	}
	header := strings.Split("Declaration ID,Date,Office ID,Process Type,Import Type,Import Use,Payment Type,Mode of Transport,Declarant ID,Importer ID,Seller ID,Courier ID,HS6 Code,Country of Departure,Country of Origin,Tax Rate,Tax Type,Country of Origin Indicator,Net Mass,Item Price,Fraud,Critical Fraud", ",")
	if got := declcsv.Columns(true); !reflect.DeepEqual(got, header) {
		t.Errorf("Columns(true) = %q", got)
	}
}

func TestRowErrorReadsAsFieldErrors(t *testing.T) {
	e := &declcsv.RowError{Line: 7, Fields: []crossguard.FieldError{{Field: "HS6 Code", Message: "bad"}, {Field: "Net Mass", Message: "required"}}}
	if crossguard.ErrorCode(e) != crossguard.EINVALID || !reflect.DeepEqual(crossguard.ErrorFields(e), e.Fields) {
		t.Errorf("code %q, fields %v", crossguard.ErrorCode(e), crossguard.ErrorFields(e))
	}
	if got, want := e.Error(), "line 7: HS6 Code: bad; Net Mass: required"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var ce *crossguard.Error
	if !errors.As(e, &ce) || !strings.Contains(ce.Message, "line 7") {
		t.Errorf("unwrapped %v", ce)
	}
}
