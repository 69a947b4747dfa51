package crossguard

import (
	"encoding/json"
	"fmt"
	"slices"

	"crossguard/personaldata"
)

// FoundPersonalData says what personal identifier a field's text holds
// and where, so that a form can point at it. The identifier itself is
// never repeated: Masked shows its shape with every letter and digit but
// the first replaced by '*'.
type FoundPersonalData struct {
	// Kind is one of cnic, cn_resident_id, passport, phone, email,
	// date_of_birth and name.
	Kind string `json:"kind"`
	// Start and End are offsets in characters (Unicode code points) from
	// the start of the field, 0-based, End excluded.
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Masked string `json:"masked"`
}

// identifierKinds are the personal identifiers looked for in the value of
// a conveyance's, consignment's or company's identifier, and in the values
// of a profile's conditions: those that no such identifier can be, so that
// a sole trader's CNIC given as a company registration is refused while a
// plate, waybill or registration never trips the screen.
var identifierKinds = []personaldata.Kind{personaldata.CNIC, personaldata.ChineseID, personaldata.Email}

// freeText checks a free-text field as text does, then screens it for
// personal identifiers: an error for each one found, or a warning when
// the record is local (it never leaves the node, so a person may keep
// what they need there, knowingly).
func (v *validator) freeText(field, s string, max int, required bool) {
	v.text(field, s, max, required)
	v.screen(field, s, nil)
}

// screenIdentifier screens the value of an identifier, or of a profile's
// condition, for the personal identifiers that no such value can be.
func (v *validator) screenIdentifier(field, s string) {
	v.screen(field, s, identifierKinds)
}

// screen records the personal identifiers of the kinds given (all kinds
// for nil) found in s. It is the one place where validation screens text
// for personal data, for a local write and a received version alike.
func (v *validator) screen(field, s string, kinds []personaldata.Kind) {
	for _, f := range personaldata.Scan(s) {
		if kinds != nil && !slices.Contains(kinds, f.Kind) {
			continue
		}
		fe := FieldError{Field: field, PersonalData: &FoundPersonalData{Kind: string(f.Kind), Start: f.RuneStart, End: f.RuneEnd, Masked: f.Masked}}
		what := fmt.Sprintf("personal data: %s (%s) at characters %d to %d", f.Kind.Describe(), f.Masked, f.RuneStart, f.RuneEnd)
		if v.local {
			fe.Message = fmt.Sprintf("%s; the record is local and was kept, but it could not be shared as it is: write %s instead", what, f.Kind.Instead())
			v.warnings = append(v.warnings, fe)
			continue
		}
		fe.Message = fmt.Sprintf("%s; a shared record must not identify a person: write %s instead", what, f.Kind.Instead())
		v.fields = append(v.fields, fe)
	}
}

// screenValues screens the strings of a profile condition's JSON value.
func (v *validator) screenValues(field string, raw json.RawMessage) {
	var val any
	if json.Unmarshal(raw, &val) != nil {
		return
	}
	var walk func(path string, x any)
	walk = func(path string, x any) {
		switch x := x.(type) {
		case string:
			v.screenIdentifier(path, x)
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		}
	}
	walk(field, val)
}
