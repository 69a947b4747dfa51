package httpapi

import (
	"net/http"

	"crossguard"
)

// Enumeration is one closed list of values that the API accepts in a field.
type Enumeration struct {
	// Name is the key under which GET /api/v1/refdata/enums lists it.
	Name string
	// Fields says where the values are used, in Markdown.
	Fields string
	// Values are the accepted values, in the order the domain gives them.
	Values []string
}

// Enumerations returns every closed enumeration of the API, read from the
// variables of package crossguard so that the API, its validation and its
// documentation (checked by a test against API.md) never disagree.
func Enumerations() []Enumeration {
	return []Enumeration{
		{"categories", "`goods[].category`; the `category` filter of seizure lists", crossguard.Categories},
		{"transport_modes", "`transport_mode`", crossguard.TransportModes},
		{"detection_methods", "`detection_method`", crossguard.DetectionMethods},
		{"concealments", "`concealment`", crossguard.Concealments},
		{"directions", "`direction`", crossguard.Directions},
		{"units", "`goods[].unit`", crossguard.Units},
		{"identifier_types", "`identifiers[].type`", crossguard.IdentifierTypes},
		{"distributions", "`distribution`", crossguard.Distributions},
		{"tlps", "`marking.tlp`", crossguard.TLPs},
		{"handling_codes", "`marking.handling`", crossguard.HandlingCodes},
		{"source_reliabilities", "`marking.source_reliability`", crossguard.SourceReliabilities},
		{"info_accuracies", "`marking.info_accuracy`", crossguard.InfoAccuracies},
		{"roles", "`users[].role`", crossguard.Roles},
		{"relationships", "`relationship` of a peer", crossguard.Relationships},
		{"shareable_kinds", "`kinds` of a peer; `kind` of a record", crossguard.ShareableKinds},
	}
}

// enums answers every enumeration as an object of name to values.
func (s *Server) enums(w http.ResponseWriter, r *http.Request) error {
	out := make(map[string][]string)
	for _, e := range Enumerations() {
		out[e.Name] = e.Values
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}
