package identifier

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// The indexable identifier types. The first six are the types a seizure's
// identifiers have always had; the names are stored in records and sent to
// partners, so they never change.
const (
	Container           = "container"            // ISO 6346 freight container number
	VehiclePlate        = "vehicle_plate"        // a registration plate with its country
	VesselIMO           = "vessel_imo"           // IMO ship identification number
	Flight              = "flight"               // IATA or ICAO flight designator
	Waybill             = "waybill"              // IATA air waybill number
	CompanyRegistration = "company_registration" // a legal person's registration with its country
	BillOfLading        = "bill_of_lading"       // a carrier's bill of lading number
	PostalItem          = "postal_item"          // UPU S10 postal item identifier
	Goods               = "goods"                // a goods description token or an HS code
)

// types lists the indexable types in the order documentation shows them.
var types = []string{Container, VehiclePlate, VesselIMO, Flight, Waybill, CompanyRegistration, BillOfLading, PostalItem, Goods}

// Types returns the indexable identifier types. The slice is a fresh copy.
func Types() []string {
	return slices.Clone(types)
}

// Identifier is one identifier in canonical form: a type from Types and the
// value Normalize gives for it.
type Identifier struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// String returns the identifier as TYPE:VALUE, the form Parse reads.
func (id Identifier) String() string {
	return id.Type + ":" + id.Value
}

// The causes an *Error can wrap, for errors.Is.
var (
	// ErrUnknownType is the cause of an error for a type that is neither
	// indexable nor personal.
	ErrUnknownType = errors.New("unknown identifier type")
	// ErrPersonal is the cause of an error for a type that identifies a
	// natural person, which is never indexed.
	ErrPersonal = errors.New("identifier of a natural person")
)

// Error says why a value is not an identifier of its type. Reason is a
// sentence a person can act on, such as "check digit is 4, expected 3";
// the root package turns it into a field error.
type Error struct {
	Type   string // the type as given
	Value  string // the value as given
	Reason string
	err    error // ErrUnknownType, ErrPersonal or nil
}

// Error returns the type, the value and the reason.
func (e *Error) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("%s: %s", e.Type, e.Reason)
	}
	return fmt.Sprintf("%s %q: %s", e.Type, e.Value, e.Reason)
}

// Unwrap returns ErrUnknownType or ErrPersonal for an error about the type,
// and nil for one about the value.
func (e *Error) Unwrap() error {
	return e.err
}

// MaxValueBytes is the longest value Normalize reads, in bytes. The longest
// canonical form, a company registration of 40 characters in a script of
// 4-byte characters, fits with room for the separators people type.
const MaxValueBytes = 256

// normalizers gives each indexable type its normaliser, which returns the
// canonical value or a reason.
var normalizers = map[string]func(string) (string, string){
	Container:           normalizeContainer,
	VehiclePlate:        normalizePlate,
	VesselIMO:           normalizeIMO,
	Flight:              normalizeFlight,
	Waybill:             normalizeWaybill,
	CompanyRegistration: normalizeCompany,
	BillOfLading:        normalizeBillOfLading,
	PostalItem:          normalizePostalItem,
	Goods:               normalizeGoods,
}

// Normalize returns the one canonical spelling of value as an identifier of
// type typ, so that "cosu 109952-1", "COSU1099521" and "cosu1099521" are
// the same container. The canonical form of each type is described in the
// package documentation. A value whose check digit is wrong, whose format
// is not the type's, or a type of a natural person's identifier gives an
// *Error.
func Normalize(typ, value string) (string, error) {
	f, ok := normalizers[typ]
	if !ok {
		return "", typeError(typ, value)
	}
	if strings.TrimSpace(value) == "" {
		return "", &Error{Type: typ, Value: value, Reason: "value is empty"}
	}
	if len(value) > MaxValueBytes {
		return "", &Error{Type: typ, Value: value, Reason: fmt.Sprintf("value is %d bytes long, at most %d", len(value), MaxValueBytes)}
	}
	canon, reason := f(value)
	if reason != "" {
		return "", &Error{Type: typ, Value: value, Reason: reason}
	}
	return canon, nil
}

// typeError is the error for a type that is not indexable.
func typeError(typ, value string) *Error {
	if Personal(typ) {
		return &Error{Type: typ, Value: value, err: ErrPersonal,
			Reason: "identifies a natural person; identifiers of persons are never indexed, matched or shared"}
	}
	return &Error{Type: typ, Value: value, err: ErrUnknownType,
		Reason: "unknown identifier type; use one of " + strings.Join(types, ", ")}
}

// Parse reads an identifier written TYPE:VALUE, as the API's identifier=
// parameter and `crossguard identifier show` take it ("container:cosu
// 109952-1", "vehicle_plate:PK:LEA-1234"), and returns its type and
// canonical value. The type is everything before the first colon, in any
// case; the value is the rest. Without a colon, the *Error wraps
// ErrUnknownType.
func Parse(s string) (Identifier, error) {
	typ, value, ok := strings.Cut(s, ":")
	if !ok {
		return Identifier{}, &Error{Type: "identifier", Value: s, err: ErrUnknownType,
			Reason: `write the type, a colon and the value, as in "container:CSQU3054383"`}
	}
	typ = strings.ToLower(strings.TrimSpace(typ))
	canon, err := Normalize(typ, value)
	if err != nil {
		return Identifier{}, err
	}
	return Identifier{Type: typ, Value: canon}, nil
}
