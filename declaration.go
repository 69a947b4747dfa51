package crossguard

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strings"
	"time"
)

// Declaration is one line of a cargo import declaration as it reaches a
// crossing point: the 20 attributes of the customs declaration files (see
// ../shared/data/customs-declarations), plus identifiers of the goods'
// conveyance and the crossing it is declared at. Declarations are local:
// they are never records and never leave the node.
//
// Code fields keep the declared text as is; in JSON they may be given as
// strings or numbers ("office_id": 30 and "office_id": "30" are the same).
type Declaration struct {
	DeclarationID            Code         `json:"declaration_id"`
	Date                     string       `json:"date"` // YYYY-MM-DD
	OfficeID                 Code         `json:"office_id"`
	ProcessType              Code         `json:"process_type"`
	ImportType               Code         `json:"import_type"`
	ImportUse                Code         `json:"import_use"`
	PaymentType              Code         `json:"payment_type"`
	ModeOfTransport          Code         `json:"mode_of_transport"`
	DeclarantID              Code         `json:"declarant_id"`
	ImporterID               Code         `json:"importer_id"`
	SellerID                 Code         `json:"seller_id"`
	CourierID                Code         `json:"courier_id"`
	HS6Code                  Code         `json:"hs6_code"`
	CountryOfDeparture       Code         `json:"country_of_departure"`
	CountryOfOrigin          Code         `json:"country_of_origin"`
	TaxRate                  float64      `json:"tax_rate"`
	TaxType                  Code         `json:"tax_type"`
	CountryOfOriginIndicator Code         `json:"country_of_origin_indicator"`
	NetMass                  float64      `json:"net_mass"`
	ItemPrice                float64      `json:"item_price"`
	Identifiers              []Identifier `json:"identifiers,omitempty"`
	Crossing                 string       `json:"crossing,omitempty"`

	// missing lists the required JSON keys a decoded object lacked, so
	// that Validate can tell a zero from an absent number.
	missing []string
}

// Inspection results of a declaration.
const (
	ResultNoFinding    = "no_finding"
	ResultIrregularity = "irregularity"
	ResultSeizure      = "seizure"
)

// InspectionResults lists the results an inspection can have, least
// serious first.
var InspectionResults = []string{ResultNoFinding, ResultIrregularity, ResultSeizure}

// Label is the known outcome of a declaration: the Fraud and Critical
// Fraud columns of the declaration files. Fraud is 0 or 1; Critical is
// 0, 1 or 2.
type Label struct {
	Fraud    int `json:"fraud"`
	Critical int `json:"critical_fraud"`
}

// Positive reports whether the label is a fraud.
func (l Label) Positive() bool { return l.Fraud > 0 }

// Limits of a declaration's text fields.
const (
	MaxCodeBytes              = 64
	MaxDeclarationIdentifiers = 20
)

// Code is a declared code (an office, a trader, an HS code...) kept as
// text. It decodes from a JSON string or number.
type Code string

// UnmarshalJSON accepts a string, a number (kept as written) or null.
func (c *Code) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*c = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*c = Code(s)
	case len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')):
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*c = Code(n.String())
	default:
		return fmt.Errorf("a code must be a string or a number, not %s", b)
	}
	return nil
}

// requiredDeclarationKeys are the JSON keys a declaration must carry.
// declarationKeys are the JSON keys of a declaration.
var declarationKeys = func() map[string]bool {
	m := map[string]bool{}
	t := reflect.TypeFor[Declaration]()
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" {
			m[name] = true
		}
	}
	return m
}()

var requiredDeclarationKeys = []string{"declaration_id", "date", "office_id", "hs6_code", "country_of_origin", "net_mass", "item_price"}

// UnmarshalJSON decodes a declaration and remembers which required keys
// were absent, for Validate.
func (d *Declaration) UnmarshalJSON(b []byte) error {
	type plain Declaration
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		return err
	}
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*d = Declaration(p)
	d.missing = nil
	for k := range keys {
		if !declarationKeys[k] {
			// The form encoding/json uses, so that callers report it alike.
			return fmt.Errorf("json: unknown field %q", k)
		}
	}
	for _, k := range requiredDeclarationKeys {
		if v, ok := keys[k]; !ok || bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			d.missing = append(d.missing, k)
		}
	}
	return nil
}

var (
	hs6Pattern     = regexp.MustCompile(`^[0-9]{6}$`)
	countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)
)

// Validate checks a declaration field by field and returns an EINVALID
// error naming every wrong or missing field.
func (d *Declaration) Validate() error {
	v := &validator{}
	for _, k := range d.missing {
		v.addf(k, "required")
	}
	missing := func(k string) bool {
		for _, m := range d.missing {
			if m == k {
				return true
			}
		}
		return false
	}
	if !missing("declaration_id") {
		v.text("declaration_id", string(d.DeclarationID), MaxCodeBytes, true)
	}
	if !missing("date") {
		if _, err := time.Parse(time.DateOnly, d.Date); err != nil {
			v.addf("date", "%q is not a date such as 2026-11-27", d.Date)
		}
	}
	for _, f := range declarationCodeFields {
		s := string(*f.code(d))
		if missing(f.name) {
			continue
		}
		v.text(f.name, s, MaxCodeBytes, f.required)
	}
	if !missing("hs6_code") && !hs6Pattern.MatchString(string(d.HS6Code)) {
		v.addf("hs6_code", "%q is not a 6-digit HS code such as 293911", d.HS6Code)
	}
	for _, c := range []struct {
		name string
		code Code
	}{{"country_of_origin", d.CountryOfOrigin}, {"country_of_departure", d.CountryOfDeparture}} {
		if c.code != "" && !countryPattern.MatchString(string(c.code)) {
			v.addf(c.name, "%q is not a 2-letter country code such as PK", c.code)
		}
	}
	for _, n := range []struct {
		name string
		f    float64
	}{{"tax_rate", d.TaxRate}, {"net_mass", d.NetMass}, {"item_price", d.ItemPrice}} {
		if missing(n.name) {
			continue
		}
		if v.finite(n.name, n.f) && n.f < 0 {
			v.addf(n.name, "must not be negative, got %v", n.f)
		}
	}
	v.text("crossing", d.Crossing, MaxCodeBytes, false)
	if len(d.Identifiers) > MaxDeclarationIdentifiers {
		v.addf("identifiers", "%d identifiers, at most %d", len(d.Identifiers), MaxDeclarationIdentifiers)
	} else {
		for i, id := range d.Identifiers {
			id.validate(v, fmt.Sprintf("identifiers[%d]", i), "", IdentifierTypes)
		}
	}
	return v.err("declaration")
}

// codeField names a Code field of a declaration for validation.
type codeField struct {
	name     string
	required bool
	code     func(*Declaration) *Code
}

// declarationCodeFields are the Code fields other than the id.
var declarationCodeFields = []codeField{
	{"office_id", true, func(d *Declaration) *Code { return &d.OfficeID }},
	{"process_type", false, func(d *Declaration) *Code { return &d.ProcessType }},
	{"import_type", false, func(d *Declaration) *Code { return &d.ImportType }},
	{"import_use", false, func(d *Declaration) *Code { return &d.ImportUse }},
	{"payment_type", false, func(d *Declaration) *Code { return &d.PaymentType }},
	{"mode_of_transport", false, func(d *Declaration) *Code { return &d.ModeOfTransport }},
	{"declarant_id", false, func(d *Declaration) *Code { return &d.DeclarantID }},
	{"importer_id", false, func(d *Declaration) *Code { return &d.ImporterID }},
	{"seller_id", false, func(d *Declaration) *Code { return &d.SellerID }},
	{"courier_id", false, func(d *Declaration) *Code { return &d.CourierID }},
	{"hs6_code", true, func(d *Declaration) *Code { return &d.HS6Code }},
	{"country_of_departure", false, func(d *Declaration) *Code { return &d.CountryOfDeparture }},
	{"country_of_origin", true, func(d *Declaration) *Code { return &d.CountryOfOrigin }},
	{"tax_type", false, func(d *Declaration) *Code { return &d.TaxType }},
	{"country_of_origin_indicator", false, func(d *Declaration) *Code { return &d.CountryOfOriginIndicator }},
}

// ValuePerKg is the declared item price per kilogram of net mass, NaN
// when the net mass is zero (no comparison with NaN holds, so a profile
// on value per kg never selects such a declaration by it).
func (d *Declaration) ValuePerKg() float64 {
	if d.NetMass <= 0 {
		return math.NaN()
	}
	return d.ItemPrice / d.NetMass
}

// TaxAmount is the duty the declaration's tax rate puts on its price.
func (d *Declaration) TaxAmount() float64 { return d.ItemPrice * d.TaxRate / 100 }

// HSPrefix returns the first n digits of the HS code (all of it if
// shorter).
func (d *Declaration) HSPrefix(n int) string {
	s := string(d.HS6Code)
	if len(s) > n {
		return s[:n]
	}
	return s
}
