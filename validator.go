package crossguard

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// validator collects field errors so that a person sees every problem of an
// input at once rather than one per attempt.
type validator struct {
	fields []FieldError
	// local is set for a record whose distribution is local: personal
	// data found in its free text is a warning, not an error.
	local    bool
	warnings []FieldError
}

// newValidator returns a validator for a record of distribution dist.
func newValidator(dist string) *validator {
	return &validator{local: dist == DistLocal}
}

// addf records an error for field.
func (v *validator) addf(field, format string, args ...any) {
	v.fields = append(v.fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// check records err's message for field if err is not nil.
func (v *validator) check(field string, err error) {
	if err != nil {
		v.addf(field, "%s", err.Error())
	}
}

// err returns an EINVALID *Error listing every field error, or nil.
func (v *validator) err(what string) error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "invalid " + what, Fields: v.fields}
}

// oneOf requires s to be one of allowed.
func (v *validator) oneOf(field, s string, allowed []string) {
	if s == "" {
		v.addf(field, "required; one of %s", strings.Join(allowed, ", "))
	} else if !slices.Contains(allowed, s) {
		v.addf(field, "%q is not one of %s", s, strings.Join(allowed, ", "))
	}
}

// optionalOneOf requires s to be empty or one of allowed.
func (v *validator) optionalOneOf(field, s string, allowed []string) {
	if s != "" {
		v.oneOf(field, s, allowed)
	}
}

// text checks a free-text field: valid UTF-8, no control characters other
// than newlines and tabs, at most max bytes, and present if required.
func (v *validator) text(field, s string, max int, required bool) {
	switch {
	case required && strings.TrimSpace(s) == "":
		v.addf(field, "required")
	case !utf8.ValidString(s):
		v.addf(field, "not valid UTF-8")
	case len(s) > max:
		v.addf(field, "too long: %d bytes, at most %d", len(s), max)
	default:
		for _, r := range s {
			if unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' {
				v.addf(field, "contains control character %U", r)
				return
			}
		}
	}
}

// number requires f to be a finite number.
func (v *validator) finite(field string, f float64) bool {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		v.addf(field, "must be a finite number")
		return false
	}
	return true
}

// agencyPattern is the form of an agency id such as "pk-customs".
var agencyPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// CheckAgencyID reports whether s is a well-formed agency id: lower-case
// letters, digits and hyphens, starting with a letter or digit.
func CheckAgencyID(s string) error {
	if !agencyPattern.MatchString(s) {
		return fmt.Errorf("%q is not an agency id (lower-case letters, digits and hyphens, e.g. pk-customs)", s)
	}
	return nil
}

// CheckNodeName reports whether s is a well-formed node name such as "sost"
// (the part after the slash in a node id).
func CheckNodeName(s string) error {
	if !agencyPattern.MatchString(s) {
		return fmt.Errorf("%q is not a node name (lower-case letters, digits and hyphens, e.g. sost)", s)
	}
	return nil
}
