package crossguard

import (
	"sort"
	"strconv"
	"time"
)

// FieldType says whether a declaration field holds text or a number.
type FieldType int

// Field types.
const (
	FieldText FieldType = iota
	FieldNumber
)

// String names the type as the API does.
func (t FieldType) String() string {
	if t == FieldNumber {
		return "number"
	}
	return "text"
}

// DeclarationField is a field a profile can test: a declared field under
// its JSON name, or one derived from declared fields (value_per_kg, hs2,
// hs4, tax_amount, weekday, month). Exactly one of Text and Number is set,
// as Type says.
type DeclarationField struct {
	Name    string
	Type    FieldType
	Derived bool
	Doc     string
	Text    func(*Declaration) string
	Number  func(*Declaration) float64
}

// declarationFields is the registry of DeclarationFields, by name.
var declarationFields = map[string]DeclarationField{}

func init() {
	for _, f := range declarationCodeFields {
		code := f.code
		declarationFields[f.name] = DeclarationField{Name: f.name, Type: FieldText, Doc: "declared",
			Text: func(d *Declaration) string { return string(*code(d)) }}
	}
	add := func(f DeclarationField) { declarationFields[f.Name] = f }
	add(DeclarationField{Name: "declaration_id", Type: FieldText, Doc: "declared",
		Text: func(d *Declaration) string { return string(d.DeclarationID) }})
	add(DeclarationField{Name: "date", Type: FieldText, Doc: "declared, YYYY-MM-DD",
		Text: func(d *Declaration) string { return d.Date }})
	add(DeclarationField{Name: "crossing", Type: FieldText, Doc: "the crossing point",
		Text: func(d *Declaration) string { return d.Crossing }})
	add(DeclarationField{Name: "tax_rate", Type: FieldNumber, Doc: "declared, percent",
		Number: func(d *Declaration) float64 { return d.TaxRate }})
	add(DeclarationField{Name: "net_mass", Type: FieldNumber, Doc: "declared, kg",
		Number: func(d *Declaration) float64 { return d.NetMass }})
	add(DeclarationField{Name: "item_price", Type: FieldNumber, Doc: "declared",
		Number: func(d *Declaration) float64 { return d.ItemPrice }})
	add(DeclarationField{Name: "value_per_kg", Type: FieldNumber, Derived: true, Doc: "item_price / net_mass",
		Number: (*Declaration).ValuePerKg})
	add(DeclarationField{Name: "tax_amount", Type: FieldNumber, Derived: true, Doc: "item_price × tax_rate / 100",
		Number: (*Declaration).TaxAmount})
	add(DeclarationField{Name: "hs2", Type: FieldText, Derived: true, Doc: "HS chapter, the first 2 digits of hs6_code",
		Text: func(d *Declaration) string { return d.HSPrefix(2) }})
	add(DeclarationField{Name: "hs4", Type: FieldText, Derived: true, Doc: "HS heading, the first 4 digits of hs6_code",
		Text: func(d *Declaration) string { return d.HSPrefix(4) }})
	add(DeclarationField{Name: "weekday", Type: FieldNumber, Derived: true, Doc: "day of the week of date, 0 = Sunday",
		Number: func(d *Declaration) float64 { return float64(d.weekday()) }})
	add(DeclarationField{Name: "month", Type: FieldNumber, Derived: true, Doc: "month of date, 1 to 12",
		Number: func(d *Declaration) float64 {
			if len(d.Date) < 7 {
				return 0
			}
			m, _ := strconv.Atoi(d.Date[5:7])
			return float64(m)
		}})
}

// weekday is the day of the week of the declaration's date, or -1 if the
// date does not parse.
func (d *Declaration) weekday() int {
	t, err := time.Parse(time.DateOnly, d.Date)
	if err != nil {
		return -1
	}
	return int(t.Weekday())
}

// LookupDeclarationField returns the field of this name.
func LookupDeclarationField(name string) (DeclarationField, bool) {
	f, ok := declarationFields[name]
	return f, ok
}

// DeclarationFieldNames lists every field a profile can test, sorted.
func DeclarationFieldNames() []string {
	out := make([]string, 0, len(declarationFields))
	for n := range declarationFields {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
