package crossguard

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"crossguard/identifier"
)

// countryTypes are the identifier types whose canonical form starts with
// the country that issued the value (package identifier writes them
// "CC:VALUE"): a plate or a registration number means nothing without it.
var countryTypes = []string{identifier.VehiclePlate, identifier.CompanyRegistration}

// Canonical returns the identifier in the one canonical spelling of package
// identifier, checked against its type's standard. A vehicle plate or
// company registration written without its country ("LEA-1234" rather
// than "PK:LEA-1234") is read as one of country, the country of the record
// that carries it; with country "" it stays an error. The identifier
// itself is not changed: records keep the value as it was written.
func (id Identifier) Canonical(country string) (identifier.Identifier, error) {
	value := id.Value
	canon, err := identifier.Normalize(id.Type, value)
	if err != nil && country != "" && id.withoutCountry() {
		canon, err = identifier.Normalize(id.Type, country+":"+value)
	}
	if err != nil {
		return identifier.Identifier{}, err
	}
	return identifier.Identifier{Type: id.Type, Value: canon}, nil
}

// withoutCountry reports whether the identifier is of a type that starts
// with a country and is written without one: it has no colon, the only
// separator that always ends a country code.
func (id Identifier) withoutCountry() bool {
	return slices.Contains(countryTypes, id.Type) && !strings.Contains(id.Value, ":")
}

// validate checks an identifier's type against types and its value with
// package identifier (check digits, each type's form). country is the
// country of the record, used for a plate or registration written without
// one; with none, such a value is checked as text only, as before values
// had a country, so that existing clients keep working. A type that names
// a natural person's identifier is refused with the reason why.
func (id Identifier) validate(v *validator, path, country string, types []string) {
	if identifier.Personal(id.Type) {
		_, err := identifier.Normalize(id.Type, id.Value)
		v.addf(path+".type", "%q %s", id.Type, reason(err))
	} else {
		v.oneOf(path+".type", id.Type, types)
	}
	before := len(v.fields)
	v.text(path+".value", id.Value, 64, true)
	v.screenIdentifier(path+".value", id.Value)
	if len(v.fields) > before || !slices.Contains(types, id.Type) {
		return
	}
	if _, err := id.Canonical(country); err != nil {
		switch {
		case !id.withoutCountry():
			v.addf(path+".value", "%s", reason(err))
		case country != "":
			v.addf(path+".value", "%s (written without a country code, it was read with the record's country, %s)", reason(err), country)
		}
		// A plate or registration without a country, of a record without
		// one, is accepted as before.
	}
}

// reason returns the sentence of an *identifier.Error a person can act
// on, or the error's text for any other error.
func reason(err error) string {
	var e *identifier.Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return fmt.Sprint(err)
}
