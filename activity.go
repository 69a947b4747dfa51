package crossguard

import (
	"fmt"
	"maps"
	"math"
	"slices"
)

// KindActivity is the kind of an activity of the cooperation programme:
// a joint exercise, a training or a delegation visit.
const KindActivity = "activity"

// Activity types.
const (
	ActivityExercise = "exercise"
	ActivityTraining = "training"
	ActivityVisit    = "visit"
)

// ActivityTypes lists the types of an activity.
var ActivityTypes = []string{ActivityExercise, ActivityTraining, ActivityVisit}

// ActivityStatuses lists the statuses of an activity.
var ActivityStatuses = []string{StatusPlanned, StatusDone, StatusCancelled}

// Activity limits.
const (
	MaxActivityUnits     = 100
	MaxActivityItinerary = 100
	MaxHeadcount         = 100000
	MaxTrainingHours     = 10000
)

// Training is what a training activity adds: the course, its hours and how
// many officers were certified (a number: the rosters stay in each
// agency's own personnel systems).
type Training struct {
	Course    string  `json:"course"`
	Hours     float64 `json:"hours"`
	Certified int     `json:"certified"`
}

// Visit is what a delegation visit adds: the delegation's size, the title
// (never the name) of the official leading it, and the itinerary.
type Visit struct {
	DelegationSize int      `json:"delegation_size"`
	LeadTitle      string   `json:"lead_title"`
	Itinerary      []string `json:"itinerary,omitempty"`
}

// Activity is an activity of the cooperation programme, possibly the one
// that fulfils a commitment of an agreement. It names agencies, units and
// headcounts, never persons. It goes to the agreement's parties, or to
// the participating agencies when it belongs to no agreement.
type Activity struct {
	Header
	Type       string         `json:"type"`
	Agreement  string         `json:"agreement,omitempty"`  // the agreement's record id
	Commitment string         `json:"commitment,omitempty"` // the commitment it fulfils
	Title      string         `json:"title"`
	StartsOn   string         `json:"starts_on"` // YYYY-MM-DD
	EndsOn     string         `json:"ends_on"`   // YYYY-MM-DD, inclusive
	Place      string         `json:"place"`
	Agencies   []string       `json:"agencies"`
	Units      []string       `json:"units,omitempty"`
	Headcounts map[string]int `json:"headcounts,omitempty"` // by agency
	Status     string         `json:"status"`
	Outcome    string         `json:"outcome,omitempty"`
	Training   *Training      `json:"training,omitempty"`
	Visit      *Visit         `json:"visit,omitempty"`
}

// Validate checks an activity as its origin stamps it. That its agreement
// and commitment exist is checked by the node that writes it, which holds
// the agreement.
func (a *Activity) Validate() error {
	v := newValidator(a.Distribution)
	validateSharing(v, a.Distribution, a.Recipients, a.Marking)
	if a.Distribution != "" && a.Distribution != DistNetwork {
		v.addf("distribution", "must be network (the activity goes to the agencies concerned), not %q", a.Distribution)
	}
	if len(a.Recipients) == 0 {
		v.addf("recipients", "must be the agreement's parties, or the participating agencies")
	}
	v.oneOf("type", a.Type, ActivityTypes)
	if a.Agreement != "" {
		if !IsRecordID(a.Agreement) {
			v.addf("agreement", "must be the id of an agreement this node holds")
		}
	}
	if a.Commitment != "" {
		if a.Agreement == "" {
			v.addf("commitment", "a commitment belongs to an agreement: give the agreement too")
		} else if !commitmentIDPattern.MatchString(a.Commitment) {
			v.addf("commitment", "%q is not a commitment id", a.Commitment)
		}
	}
	v.freeText("title", a.Title, 200, true)
	from := validateDay(v, "starts_on", a.StartsOn, true)
	if validateDay(v, "ends_on", a.EndsOn, true) && from && a.EndsOn < a.StartsOn {
		v.addf("ends_on", "%s is before starts_on %s", a.EndsOn, a.StartsOn)
	}
	v.freeText("place", a.Place, 200, true)
	switch {
	case len(a.Agencies) == 0:
		v.addf("agencies", "at least one participating agency")
	case len(a.Agencies) > MaxRecipients:
		v.addf("agencies", "%d agencies, at most %d", len(a.Agencies), MaxRecipients)
	}
	for i, ag := range a.Agencies {
		path := fmt.Sprintf("agencies[%d]", i)
		if err := CheckAgencyID(ag); err != nil {
			v.check(path, err)
		} else if slices.Index(a.Agencies, ag) < i {
			v.addf(path, "%q is listed twice", ag)
		}
	}
	if len(a.Units) > MaxActivityUnits {
		v.addf("units", "%d units, at most %d", len(a.Units), MaxActivityUnits)
	}
	for i, u := range a.Units {
		v.freeText(fmt.Sprintf("units[%d]", i), u, 200, true)
	}
	for _, ag := range slices.Sorted(maps.Keys(a.Headcounts)) {
		n, path := a.Headcounts[ag], "headcounts."+ag
		if !slices.Contains(a.Agencies, ag) {
			v.addf(path, "%q is not among the participating agencies", ag)
		}
		if n < 0 || n > MaxHeadcount {
			v.addf(path, "%d, between 0 and %d", n, MaxHeadcount)
		}
	}
	v.oneOf("status", a.Status, ActivityStatuses)
	v.freeText("outcome", a.Outcome, 4000, false)
	a.validateDetails(v)
	return v.err("activity")
}

// validateDetails checks the training or visit details, which the
// activities of that type and no others have.
func (a *Activity) validateDetails(v *validator) {
	switch {
	case a.Type == ActivityTraining && a.Training == nil:
		v.addf("training", "required for a training: course, hours and certified")
	case a.Type != ActivityTraining && a.Training != nil:
		v.addf("training", "only a training has training details, not a %s", a.Type)
	case a.Training != nil:
		t := a.Training
		v.freeText("training.course", t.Course, 200, true)
		if math.IsNaN(t.Hours) || t.Hours <= 0 || t.Hours > MaxTrainingHours {
			v.addf("training.hours", "must be more than 0 and at most %d", MaxTrainingHours)
		}
		if t.Certified < 0 || t.Certified > MaxHeadcount {
			v.addf("training.certified", "%d, between 0 and %d", t.Certified, MaxHeadcount)
		}
	}
	switch {
	case a.Type == ActivityVisit && a.Visit == nil:
		v.addf("visit", "required for a visit: delegation_size, lead_title and itinerary")
	case a.Type != ActivityVisit && a.Visit != nil:
		v.addf("visit", "only a visit has visit details, not a %s", a.Type)
	case a.Visit != nil:
		vi := a.Visit
		if vi.DelegationSize < 1 || vi.DelegationSize > MaxHeadcount {
			v.addf("visit.delegation_size", "%d, between 1 and %d", vi.DelegationSize, MaxHeadcount)
		}
		v.freeText("visit.lead_title", vi.LeadTitle, 200, true)
		if len(vi.Itinerary) > MaxActivityItinerary {
			v.addf("visit.itinerary", "%d stops, at most %d", len(vi.Itinerary), MaxActivityItinerary)
		}
		for i, s := range vi.Itinerary {
			v.freeText(fmt.Sprintf("visit.itinerary[%d]", i), s, 200, true)
		}
	}
}

func init() {
	RegisterRecordKind(KindActivity, RecordKind{Check: func(body []byte, h *Header) (string, error) {
		a, err := CheckRecordBody(body, h, (*Activity).Validate)
		if err != nil {
			return "", err
		}
		return a.Agreement, nil
	}})
}
