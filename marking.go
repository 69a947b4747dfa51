package crossguard

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

// HandlingCodes lists the handling codes: H0 use for crime prevention only,
// H1 not for court without permission, H2 no onward sharing without
// permission, H3 other restrictions stated.
var HandlingCodes = []string{"H0", "H1", "H2", "H3"}

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
}

// validate appends the marking's field errors, prefixed with path.
func (m Marking) validate(v *validator, path string) {
	v.oneOf(path+".tlp", m.TLP, TLPs)
	v.oneOf(path+".handling", m.Handling, HandlingCodes)
	v.optionalOneOf(path+".source_reliability", m.SourceReliability, SourceReliabilities)
	v.optionalOneOf(path+".info_accuracy", m.InfoAccuracy, InfoAccuracies)
}
