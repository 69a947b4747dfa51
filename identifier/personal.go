package identifier

import (
	"strings"
)

// personalTypes are the identifier types of natural persons that callers
// are likely to ask for, in the folded form of personalKey. They are named
// so that a request for one gets a clear refusal rather than "unknown".
var personalTypes = map[string]bool{
	"passport": true, "id_card": true, "identity_card": true, "national_id": true,
	"national_identity_card": true, "cnic": true, "nic": true, "cn_resident_id": true,
	"resident_id": true, "residence_permit": true, "visa": true,
	"phone": true, "telephone": true, "mobile": true, "mobile_phone": true,
	"email": true, "e_mail": true,
	"driving_licence": true, "driving_license": true, "driver_license": true,
	"drivers_license": true, "drivers_licence": true,
	"date_of_birth": true, "birth_date": true, "dob": true,
	"name": true, "person": true, "person_name": true, "full_name": true,
	"social_security": true, "ssn": true, "personal_tax_id": true,
}

// Personal reports whether typ names an identifier of a natural person:
// passport, identity card, national identity number, telephone, e-mail,
// driving licence, residence permit, visa, date of birth or name, in any
// case and with spaces, hyphens or a trailing "number" ("Passport No",
// "e-mail", "ID card number"). Such identifiers are never indexed, matched
// or put in a match filter, and Normalize refuses them.
func Personal(typ string) bool {
	return personalTypes[personalKey(typ)]
}

// personalKey folds a type name to lower case with underscores between
// words and without a trailing "number", "no" or "num".
func personalKey(typ string) string {
	typ = strings.NewReplacer("'", "", "\u2019", "").Replace(strings.ToLower(typ))
	k := strings.Join(strings.FieldsFunc(typ, func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == '.'
	}), "_")
	for _, suffix := range []string{"_number", "_no", "_num", "_nr"} {
		k = strings.TrimSuffix(k, suffix)
	}
	return k
}
