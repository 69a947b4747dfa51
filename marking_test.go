package crossguard

import (
	"strings"
	"testing"
)

// TestMarkingHandlingConditions checks that handling code H3 requires the
// text of its conditions and that the other codes carry none.
func TestMarkingHandlingConditions(t *testing.T) {
	for _, c := range []struct {
		name    string
		m       Marking
		problem string // a word the conditions error must contain; "" for none
	}{
		{"H3 with its conditions", Marking{TLP: TLPAmber, Handling: HandlingH3, Conditions: "Ask before operational use."}, ""},
		{"H3 without conditions", Marking{TLP: TLPAmber, Handling: HandlingH3}, "required with handling code H3"},
		{"H3 with blank conditions", Marking{TLP: TLPAmber, Handling: HandlingH3, Conditions: " \n "}, "required with handling code H3"},
		{"H3 with conditions too long", Marking{TLP: TLPAmber, Handling: HandlingH3, Conditions: strings.Repeat("x", MaxConditionsBytes+1)}, "too long"},
		{"H1 with conditions", Marking{TLP: TLPAmber, Handling: HandlingH1, Conditions: "Ask first."}, "only handling code H3"},
		{"H0 without conditions", Marking{TLP: TLPGreen, Handling: HandlingH0}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var v validator
			c.m.validate(&v, "marking")
			var got []string
			for _, f := range v.fields {
				if f.Field == "marking.conditions" {
					got = append(got, f.Message)
				} else {
					t.Errorf("unexpected error on %s: %s", f.Field, f.Message)
				}
			}
			switch {
			case c.problem == "" && len(got) > 0:
				t.Errorf("conditions refused: %v", got)
			case c.problem != "" && (len(got) != 1 || !strings.Contains(got[0], c.problem)):
				t.Errorf("conditions errors %q, want one saying %q", got, c.problem)
			}
		})
	}
}

// TestHandlingMeaningAndCaveat checks that every handling code has its
// meaning and that only H1 asks for a caveat on exports.
func TestHandlingMeaningAndCaveat(t *testing.T) {
	for _, code := range HandlingCodes {
		if HandlingMeaning(code) == "" {
			t.Errorf("%s has no meaning", code)
		}
		caveat := HandlingCaveat(Marking{TLP: TLPAmber, Handling: code})
		if (code == HandlingH1) != (caveat != "") {
			t.Errorf("%s caveat %q", code, caveat)
		}
	}
	if !strings.Contains(HandlingCaveat(Marking{Handling: HandlingH1}), "JUDICIAL") {
		t.Error("the H1 caveat does not say it is not for judicial proceedings")
	}
}
