package profiles

import (
	"math"

	"crossguard"
)

// shape is the form a text field's values take in a valid declaration,
// so that Check can refuse values no declaration could carry.
type shape int

const (
	shapeAny     shape = iota // any text up to crossguard.MaxCodeBytes
	shapeDigits               // exactly width digits (HS codes)
	shapeCountry              // two capital letters
	shapeDate                 // YYYY-MM-DD
)

// field is a declaration field as the checker and the index see it: the
// registry's getter plus what a valid declaration can hold in it and a
// guess of how many distinct values it takes (to pick anchors).
type field struct {
	id   int
	name string
	typ  crossguard.FieldType
	text func(*crossguard.Declaration) string
	num  func(*crossguard.Declaration) float64

	// Text fields.
	shape    shape
	width    int  // for shapeDigits
	required bool // a valid declaration never leaves it empty
	about    string

	// Number fields: the values a valid declaration can give.
	lo, hi  float64
	integer bool

	// card is a rough count of the distinct values the field takes.
	card float64
}

// fieldTraits are the known traits of the registry's fields by name;
// a field missing here is free text or an unrestricted number.
var fieldTraits = map[string]field{
	"declaration_id":              {required: true, card: 1e6},
	"date":                        {shape: shapeDate, required: true, card: 1000, about: "a date such as 2026-11-27"},
	"office_id":                   {required: true, card: 50},
	"process_type":                {card: 3},
	"import_type":                 {card: 10},
	"import_use":                  {card: 20},
	"payment_type":                {card: 10},
	"mode_of_transport":           {card: 8},
	"declarant_id":                {card: 5000},
	"importer_id":                 {card: 5000},
	"seller_id":                   {card: 5000},
	"courier_id":                  {card: 50},
	"hs6_code":                    {shape: shapeDigits, width: 6, required: true, card: 3000, about: "a 6-digit HS code such as 293911"},
	"hs4":                         {shape: shapeDigits, width: 4, required: true, card: 1000, about: "a 4-digit HS heading such as 2939"},
	"hs2":                         {shape: shapeDigits, width: 2, required: true, card: 97, about: "a 2-digit HS chapter such as 29"},
	"country_of_origin":           {shape: shapeCountry, required: true, card: 100, about: "a 2-letter country code such as PK"},
	"country_of_departure":        {shape: shapeCountry, card: 100, about: "a 2-letter country code such as PK"},
	"tax_type":                    {card: 20},
	"country_of_origin_indicator": {card: 3},
	"crossing":                    {card: 10},
	"tax_rate":                    {lo: 0, hi: math.MaxFloat64, card: 1000, about: "never negative"},
	"net_mass":                    {lo: 0, hi: math.MaxFloat64, card: 1000, about: "never negative"},
	"item_price":                  {lo: 0, hi: math.MaxFloat64, card: 1000, about: "never negative"},
	"value_per_kg":                {lo: 0, hi: math.MaxFloat64, card: 1000, about: "never negative"},
	"tax_amount":                  {lo: 0, hi: math.MaxFloat64, card: 1000, about: "never negative"},
	"weekday":                     {lo: 0, hi: 6, integer: true, card: 7, about: "a whole number from 0 (Sunday) to 6"},
	"month":                       {lo: 1, hi: 12, integer: true, card: 12, about: "a whole number from 1 to 12"},
}

// Field table, built once from the registry.
var (
	fields      []*field
	fieldByName = map[string]*field{}
	fieldNames  []string
)

func init() {
	fieldNames = crossguard.DeclarationFieldNames()
	for i, name := range fieldNames {
		df, _ := crossguard.LookupDeclarationField(name)
		f := fieldTraits[name]
		f.id, f.name, f.typ, f.text, f.num = i, name, df.Type, df.Text, df.Number
		if f.typ == crossguard.FieldNumber {
			if _, known := fieldTraits[name]; !known {
				f.lo, f.hi, f.card = -math.MaxFloat64, math.MaxFloat64, 1000
			}
		} else if f.card == 0 {
			f.card = 100
		}
		fp := &f
		fields = append(fields, fp)
		fieldByName[name] = fp
	}
}

// opsFor lists the operators a field of type t takes.
func opsFor(t crossguard.FieldType) []string {
	if t == crossguard.FieldNumber {
		return []string{crossguard.OpEq, crossguard.OpIn, crossguard.OpLt, crossguard.OpLe, crossguard.OpGt, crossguard.OpGe, crossguard.OpBetween}
	}
	return []string{crossguard.OpEq, crossguard.OpIn, crossguard.OpPrefix}
}
