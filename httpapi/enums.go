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
		{"handling_codes", "`marking.handling`: `H0` use for crime prevention only; `H1` not for judicial proceedings without the origin's permission (every export and printed page carries that caveat); `H2` no dissemination beyond the first recipients without the origin's permission (only the origin's agency passes it to other agencies); `H3` other restrictions, stated in `marking.conditions` (required with `H3`, refused with the other codes). See docs/handling.md", crossguard.HandlingCodes},
		{"source_reliabilities", "`marking.source_reliability`", crossguard.SourceReliabilities},
		{"info_accuracies", "`marking.info_accuracy`", crossguard.InfoAccuracies},
		{"roles", "`users[].role`", crossguard.Roles},
		{"relationships", "`relationship` of a peer", crossguard.Relationships},
		{"shareable_kinds", "`kinds` of a peer; `kind` of a record", crossguard.ShareableKinds},
		{"channels", "`channel` of a decision; `channel` of a profile and of a watch-list entry (all but `green`)", crossguard.Channels},
		{"inspection_results", "`result` of an inspection", crossguard.InspectionResults},
		{"condition_ops", "`conditions[].op` of a profile", crossguard.ConditionOps},
		{"warning_identifier_types", "`identifiers[].type` of a warning", crossguard.WarningIdentifierTypes},
		{"feedback_results", "`result` of a warning's feedback", crossguard.FeedbackResults},
		{"commitment_types", "`commitments[].type` of an agreement", crossguard.CommitmentTypes},
		{"progress_statuses", "`status` of a progress report", crossguard.ProgressStatuses},
		{"commitment_statuses", "`commitments[].status` of an agreement", crossguard.CommitmentStatuses},
		{"activity_types", "`type` of an activity", crossguard.ActivityTypes},
		{"activity_statuses", "`status` of an activity", crossguard.ActivityStatuses},
	}
}

// DeclarationFieldInfo describes a declaration field that a profile's
// conditions can test: its JSON name, whether it holds text or a number,
// and whether it is derived from declared fields rather than declared.
type DeclarationFieldInfo struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	Derived bool   `json:"derived"`
	Notes   string `json:"notes"`
}

// DeclarationFields lists the fields a profile can test, declared ones
// first, each group by name, read from the registry of package crossguard
// so that the API, profile checking and API.md agree.
func DeclarationFields() []DeclarationFieldInfo {
	var out []DeclarationFieldInfo
	for _, derived := range []bool{false, true} {
		for _, name := range crossguard.DeclarationFieldNames() {
			f, _ := crossguard.LookupDeclarationField(name)
			if f.Derived == derived {
				out = append(out, DeclarationFieldInfo{Name: f.Name, Type: f.Type.String(), Derived: f.Derived, Notes: f.Doc})
			}
		}
	}
	return out
}

// enums answers every enumeration as an object of name to values, and
// under declaration_fields the fields a profile can test.
func (s *Server) enums(w http.ResponseWriter, r *http.Request) error {
	out := make(map[string]any)
	for _, e := range Enumerations() {
		out[e.Name] = e.Values
	}
	out["declaration_fields"] = DeclarationFields()
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}
