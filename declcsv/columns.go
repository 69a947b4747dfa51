package declcsv

import (
	"strings"

	"crossguard"
)

// kind is how a column's cells are read.
type kind int

const (
	kindCode   kind = iota // a crossguard.Code, kept as written
	kindDate               // the date, as written, checked by Validate
	kindNumber             // a decimal number, parsed strictly
	kindLabel              // Fraud or Critical Fraud
)

// column is one column of the declaration layout.
type column struct {
	header   string // the header name, e.g. "HS6 Code"
	field    string // the declaration's JSON field, e.g. "hs6_code"
	kind     kind
	required bool // a number whose cell must not be empty
	code     func(*crossguard.Declaration) *crossguard.Code
	number   func(*crossguard.Declaration) *float64
}

// The header names of the label columns.
const (
	ColumnFraud         = "Fraud"
	ColumnCriticalFraud = "Critical Fraud"
)

// columns are the columns of the layout in the order the declaration
// files have them, the two label columns last.
var columns = []column{
	codeColumn("Declaration ID", func(d *crossguard.Declaration) *crossguard.Code { return &d.DeclarationID }),
	{header: "Date", kind: kindDate},
	codeColumn("Office ID", func(d *crossguard.Declaration) *crossguard.Code { return &d.OfficeID }),
	codeColumn("Process Type", func(d *crossguard.Declaration) *crossguard.Code { return &d.ProcessType }),
	codeColumn("Import Type", func(d *crossguard.Declaration) *crossguard.Code { return &d.ImportType }),
	codeColumn("Import Use", func(d *crossguard.Declaration) *crossguard.Code { return &d.ImportUse }),
	codeColumn("Payment Type", func(d *crossguard.Declaration) *crossguard.Code { return &d.PaymentType }),
	codeColumn("Mode of Transport", func(d *crossguard.Declaration) *crossguard.Code { return &d.ModeOfTransport }),
	codeColumn("Declarant ID", func(d *crossguard.Declaration) *crossguard.Code { return &d.DeclarantID }),
	codeColumn("Importer ID", func(d *crossguard.Declaration) *crossguard.Code { return &d.ImporterID }),
	codeColumn("Seller ID", func(d *crossguard.Declaration) *crossguard.Code { return &d.SellerID }),
	codeColumn("Courier ID", func(d *crossguard.Declaration) *crossguard.Code { return &d.CourierID }),
	codeColumn("HS6 Code", func(d *crossguard.Declaration) *crossguard.Code { return &d.HS6Code }),
	codeColumn("Country of Departure", func(d *crossguard.Declaration) *crossguard.Code { return &d.CountryOfDeparture }),
	codeColumn("Country of Origin", func(d *crossguard.Declaration) *crossguard.Code { return &d.CountryOfOrigin }),
	numberColumn("Tax Rate", false, func(d *crossguard.Declaration) *float64 { return &d.TaxRate }),
	codeColumn("Tax Type", func(d *crossguard.Declaration) *crossguard.Code { return &d.TaxType }),
	codeColumn("Country of Origin Indicator", func(d *crossguard.Declaration) *crossguard.Code { return &d.CountryOfOriginIndicator }),
	numberColumn("Net Mass", true, func(d *crossguard.Declaration) *float64 { return &d.NetMass }),
	numberColumn("Item Price", true, func(d *crossguard.Declaration) *float64 { return &d.ItemPrice }),
	{header: ColumnFraud, kind: kindLabel},
	{header: ColumnCriticalFraud, kind: kindLabel},
}

// Column indexes of the columns that the row parser treats specially.
const (
	colDate          = 1
	colFraud         = 20
	colCriticalFraud = 21
	numDeclared      = 20 // the columns before the labels, all required
)

func init() {
	for i := range columns {
		columns[i].field = FieldName(columns[i].header)
	}
}

// codeColumn describes a column of codes.
func codeColumn(header string, code func(*crossguard.Declaration) *crossguard.Code) column {
	return column{header: header, kind: kindCode, code: code}
}

// numberColumn describes a column of numbers; an empty cell of a required
// one is an error, of another one zero.
func numberColumn(header string, required bool, number func(*crossguard.Declaration) *float64) column {
	return column{header: header, kind: kindNumber, required: required, number: number}
}

// FieldName returns the JSON field name of a column: the snake_case of
// its header name ("HS6 Code" gives "hs6_code", "Country of Origin"
// gives "country_of_origin").
func FieldName(header string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(header)), " ", "_")
}

// Columns returns the header names of the layout in the order of the
// declaration files, with the two label columns at the end if labelled.
func Columns(labelled bool) []string {
	n := numDeclared
	if labelled {
		n = len(columns)
	}
	out := make([]string, n)
	for i := range out {
		out[i] = columns[i].header
	}
	return out
}

// ColumnOf returns the header name of the column that holds a
// declaration's JSON field ("hs6_code" gives "HS6 Code"), or the field
// itself if no column holds it, so that validation errors can name what
// a person sees in the file.
func ColumnOf(field string) string {
	for _, c := range columns {
		if c.field == field {
			return c.header
		}
	}
	return field
}
