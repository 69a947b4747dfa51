package crossguard

import "strings"

// Distribution scopes say how far a record may travel (see DESIGN.md,
// Federation). They are ordered from narrowest to widest.
const (
	DistLocal    = "local"
	DistAgency   = "agency"
	DistPartners = "partners"
	DistNetwork  = "network"
)

// TLP 2.0 markings, ordered from least to most restricted.
const (
	TLPClear       = "clear"
	TLPGreen       = "green"
	TLPAmber       = "amber"
	TLPAmberStrict = "amber+strict"
	TLPRed         = "red"
)

// Distributions lists the distribution scopes from narrowest to widest.
var Distributions = []string{DistLocal, DistAgency, DistPartners, DistNetwork}

// TLPs lists the TLP 2.0 markings from least to most restricted.
var TLPs = []string{TLPClear, TLPGreen, TLPAmber, TLPAmberStrict, TLPRed}

// Handling codes say what a recipient may do with a record besides
// reading it (DESIGN.md, Principles). Their meanings are HandlingMeaning's
// and docs/handling.md's; what the node enforces is in the comments here.
const (
	// HandlingH0 allows use for the prevention and detection of crime
	// only: intelligence, targeting and analysis.
	HandlingH0 = "H0"
	// HandlingH1 forbids use in judicial proceedings without the origin's
	// permission: every export and printed page carries HandlingCaveat.
	HandlingH1 = "H1"
	// HandlingH2 forbids dissemination beyond the first recipients without
	// the origin's permission: MayShare never lets a node of another agency
	// than the origin's pass the record on.
	HandlingH2 = "H2"
	// HandlingH3 says other restrictions apply: the marking must state them
	// in Conditions.
	HandlingH3 = "H3"
)

// HandlingCodes lists the handling codes: H0 use for crime prevention only,
// H1 not for court without permission, H2 no onward sharing without
// permission, H3 other restrictions stated.
var HandlingCodes = []string{HandlingH0, HandlingH1, HandlingH2, HandlingH3}

// handlingMeanings are the handling codes' meanings in English, as the API
// and the command line state them; the web pages say them in the reader's
// language from their catalogs.
var handlingMeanings = map[string]string{
	HandlingH0: "Use for the prevention and detection of crime only.",
	HandlingH1: "Not for use in judicial proceedings without the origin's permission.",
	HandlingH2: "No dissemination beyond its first recipients without the origin's permission.",
	HandlingH3: "Other restrictions apply, stated in the marking's conditions.",
}

// HandlingMeaning returns what a handling code means, in English, or "" for
// an unknown code.
func HandlingMeaning(code string) string { return handlingMeanings[code] }

// HandlingCaveat returns the caveat that every export and printed copy of
// a record with marking m must carry, or "" when its handling code asks for
// none. H1 records may not be used in court without the origin's
// permission, so whoever holds a copy outside crossguard must see it.
func HandlingCaveat(m Marking) string {
	if m.Handling != HandlingH1 {
		return ""
	}
	return "NOT FOR USE IN JUDICIAL PROCEEDINGS WITHOUT THE PERMISSION OF THE ORIGINATING AGENCY"
}

// MaxConditionsBytes bounds the conditions text of an H3 marking.
const MaxConditionsBytes = 500

// SourceReliabilities lists the source reliability grades of the evaluation.
var SourceReliabilities = []string{"A", "B", "C", "X"}

// InfoAccuracies lists the information accuracy grades of the evaluation.
var InfoAccuracies = []string{"1", "2", "3", "4"}

// Marking is the protective marking every shareable record carries: a TLP
// level, a handling code and the 3x4 evaluation of source and information.
type Marking struct {
	TLP               string `json:"tlp"`
	Handling          string `json:"handling"`
	SourceReliability string `json:"source_reliability,omitempty"`
	InfoAccuracy      string `json:"info_accuracy,omitempty"`
	// Conditions states the restrictions of handling code H3, which
	// requires it; other codes carry none.
	Conditions string `json:"conditions,omitempty"`
}

// validate appends the marking's field errors, prefixed with path.
func (m Marking) validate(v *validator, path string) {
	v.oneOf(path+".tlp", m.TLP, TLPs)
	v.oneOf(path+".handling", m.Handling, HandlingCodes)
	v.optionalOneOf(path+".source_reliability", m.SourceReliability, SourceReliabilities)
	v.optionalOneOf(path+".info_accuracy", m.InfoAccuracy, InfoAccuracies)
	switch {
	case m.Handling == HandlingH3 && strings.TrimSpace(m.Conditions) == "":
		v.addf(path+".conditions", "required with handling code H3: state the restrictions that apply, such as \"no use against nationals of the receiving state\"")
	case m.Handling == HandlingH3:
		v.freeText(path+".conditions", m.Conditions, MaxConditionsBytes, true)
	case m.Conditions != "":
		v.addf(path+".conditions", "only handling code H3 states conditions: set handling to H3 or leave conditions out")
		v.screen(path+".conditions", m.Conditions, nil)
	}
}
