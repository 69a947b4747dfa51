package crossguard

import (
	"fmt"
	"slices"
	"time"

	"crossguard/refdata"
)

// KindOperation is the kind of a joint operation record.
const KindOperation = "operation"

// Operation limits.
const (
	MaxParticipants   = 50
	MaxFocusItems     = 100
	MaxRouteCountries = 22 // origin, departure, up to 20 transit countries, destination
)

// Operation is a time-boxed joint operation of cooperating agencies against
// a route or a commodity. It is shared with its participants and nobody
// else: its distribution is network, so that participants that are not
// directly peered receive it through each other, and its recipients are
// exactly its participants. Warnings, feedback and messages of the
// operation travel the same way.
type Operation struct {
	Header
	Name         string         `json:"name"`
	Participants []string       `json:"participants"`
	StartsAt     time.Time      `json:"starts_at"`
	EndsAt       time.Time      `json:"ends_at"`
	Focus        OperationFocus `json:"focus"`
}

// OperationFocus says what an operation targets: seizure goods categories
// (Categories), HS code prefixes, routes (each a list of ISO 3166-1
// alpha-2 countries in travel order) and crossing points.
type OperationFocus struct {
	Categories []string   `json:"categories"`
	HSPrefixes []string   `json:"hs_prefixes"`
	Routes     [][]string `json:"routes"`
	Crossings  []string   `json:"crossings"`
}

// Operation states, derived from its period and the clock.
const (
	OperationPlanned = "planned"
	OperationRunning = "running"
	OperationEnded   = "ended"
)

// Status is the operation's state at now: planned before it starts,
// running within its period, ended after it.
func (o *Operation) Status(now time.Time) string {
	switch {
	case now.Before(o.StartsAt):
		return OperationPlanned
	case now.Before(o.EndsAt):
		return OperationRunning
	}
	return OperationEnded
}

// Normalize sets the kind, fills empty lists so that the JSON form is
// stable, stores the times in UTC, sorts the participants without
// duplicates and makes them the recipients, with distribution network.
func (o *Operation) Normalize() {
	o.Kind = KindOperation
	o.Participants = sortedAgencies(o.Participants)
	o.Recipients = slices.Clone(o.Participants)
	o.Distribution = DistNetwork
	o.StartsAt, o.EndsAt = o.StartsAt.UTC(), o.EndsAt.UTC()
	f := &o.Focus
	for _, l := range []*[]string{&f.Categories, &f.HSPrefixes, &f.Crossings} {
		if *l == nil {
			*l = []string{}
		}
	}
	if f.Routes == nil {
		f.Routes = [][]string{}
	}
}

// Validate checks the operation: its name, participants (the origin's
// agency among them once the record is stamped), period, focus and
// sharing header (network distribution to exactly the participants).
func (o *Operation) Validate() error {
	v := newValidator(o.Distribution)
	v.freeText("name", o.Name, 200, true)
	validateParticipants(v, "participants", o.Participants, true)
	if o.Origin != "" && !slices.Contains(o.Participants, Agency(o.Origin)) {
		v.addf("participants", "must include the creating agency %s", Agency(o.Origin))
	}
	switch {
	case o.StartsAt.IsZero():
		v.addf("starts_at", "required, an RFC 3339 time such as 2026-12-01T00:00:00Z")
	case o.EndsAt.IsZero():
		v.addf("ends_at", "required, an RFC 3339 time such as 2026-12-31T00:00:00Z")
	case !o.EndsAt.After(o.StartsAt):
		v.addf("ends_at", "%s is not after starts_at (%s)", o.EndsAt.UTC().Format(time.RFC3339), o.StartsAt.UTC().Format(time.RFC3339))
	}
	o.Focus.validate(v)
	validateOperationSharing(v, &o.Header, o.Participants)
	return v.err("operation")
}

// validate checks the focus lists.
func (f *OperationFocus) validate(v *validator) {
	lists := []struct {
		field string
		n     int
	}{{"focus.categories", len(f.Categories)}, {"focus.hs_prefixes", len(f.HSPrefixes)}, {"focus.routes", len(f.Routes)}, {"focus.crossings", len(f.Crossings)}}
	for _, l := range lists {
		if l.n > MaxFocusItems {
			v.addf(l.field, "%d items, at most %d", l.n, MaxFocusItems)
			return
		}
	}
	for i, c := range f.Categories {
		v.oneOf(fmt.Sprintf("focus.categories[%d]", i), c, Categories)
	}
	for i, p := range f.HSPrefixes {
		v.check(fmt.Sprintf("focus.hs_prefixes[%d]", i), checkHSPrefix(p))
	}
	for i, r := range f.Routes {
		field := fmt.Sprintf("focus.routes[%d]", i)
		switch {
		case len(r) == 0:
			v.addf(field, "a route lists at least one country")
		case len(r) > MaxRouteCountries:
			v.addf(field, "%d countries, at most %d", len(r), MaxRouteCountries)
		default:
			for j, c := range r {
				checkCountry(v, fmt.Sprintf("%s[%d]", field, j), c, true)
			}
		}
	}
	for i, c := range f.Crossings {
		v.freeText(fmt.Sprintf("focus.crossings[%d]", i), c, 200, true)
	}
}

// validateParticipants checks a list of agency ids: well formed, without
// duplicates, at most MaxParticipants, and at least one if required.
func validateParticipants(v *validator, field string, agencies []string, required bool) {
	switch {
	case len(agencies) == 0:
		if required {
			v.addf(field, "required: the agency ids taking part, the creating agency's included")
		}
		return
	case len(agencies) > MaxParticipants:
		v.addf(field, "%d agencies, at most %d", len(agencies), MaxParticipants)
		return
	}
	for i, a := range agencies {
		v.check(fmt.Sprintf("%s[%d]", field, i), CheckAgencyID(a))
		if slices.Index(agencies, a) < i {
			v.addf(fmt.Sprintf("%s[%d]", field, i), "%q is listed twice", a)
		}
	}
}

// validateOperationSharing checks the sharing header of an operation's
// record: network distribution to exactly the recipients given (sorted),
// a valid marking, and never TLP:AMBER+STRICT, which would keep the record
// within its agency.
func validateOperationSharing(v *validator, h *Header, recipients []string) {
	h.Marking.validate(v, "marking")
	if h.Marking.TLP == TLPAmberStrict {
		v.addf("marking.tlp", "TLP:AMBER+STRICT keeps a record within its agency; an operation's records go to its participants (use amber or red)")
	}
	if h.Distribution != DistNetwork {
		v.addf("distribution", "must be network: an operation's records go to its participants, relayed among them")
	}
	if !slices.Equal(h.Recipients, sortedAgencies(recipients)) {
		v.addf("recipients", "must be the operation's participants it is sent to, sorted: %v", sortedAgencies(recipients))
	}
}

// checkHSPrefix checks an HS code prefix: a chapter, heading or
// subheading of HS 2022.
func checkHSPrefix(p string) error {
	if p == "" {
		return fmt.Errorf("required, an HS 2022 chapter, heading or subheading such as 1211")
	}
	return refdata.CheckHS(p)
}

// sortedAgencies returns a sorted copy of s without duplicates, empty (not
// nil) for an empty s.
func sortedAgencies(s []string) []string {
	out := slices.Clone(s)
	if out == nil {
		out = []string{}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func init() {
	RegisterRecordKind(KindOperation, RecordKind{Check: func(body []byte, h *Header) (string, error) {
		_, err := CheckRecordBody(body, h, (*Operation).Validate)
		return "", err
	}})
}
