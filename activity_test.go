package crossguard_test

import (
	"math"
	"testing"

	"crossguard"
)

// progActivity returns a valid training activity fulfilling tr-1 of
// progAgreement, written by af-customs/islam-qala.
func progActivity() *crossguard.Activity {
	return &crossguard.Activity{
		Header: crossguard.Header{ID: "0193a6f4-0000-7000-8000-00000000aaaa", Kind: crossguard.KindActivity, Origin: "af-customs/islam-qala",
			Version: 1, CreatedAt: progT0, UpdatedAt: progT0, Distribution: crossguard.DistNetwork,
			Recipients: []string{"pk-customs", "af-customs"}, Marking: crossguard.Marking{TLP: crossguard.TLPGreen, Handling: "H0"}},
		Type: crossguard.ActivityTraining, Agreement: progAgreementID, Commitment: "tr-1",
		Title: "Concealment detection course", StartsOn: "2027-02-01", EndsOn: "2027-02-12", Place: "Customs academy, Kabul",
		Agencies: []string{"af-customs", "pk-customs"}, Units: []string{"Border police, Torkham"},
		Headcounts: map[string]int{"pk-customs": 12, "af-customs": 3}, Status: crossguard.StatusPlanned,
		Training: &crossguard.Training{Course: "Concealment detection", Hours: 60, Certified: 0},
	}
}

func TestActivityValidate(t *testing.T) {
	visit := func(a *crossguard.Activity) {
		a.Type, a.Training = crossguard.ActivityVisit, nil
		a.Visit = &crossguard.Visit{DelegationSize: 6, LeadTitle: "Deputy Director General", Itinerary: []string{"Torkham", "Jalalabad"}}
	}
	cases := []struct {
		name  string
		edit  func(a *crossguard.Activity)
		field string
	}{
		{"valid training", func(a *crossguard.Activity) {}, ""},
		{"valid visit", visit, ""},
		{"valid exercise without agreement", func(a *crossguard.Activity) {
			a.Type, a.Training, a.Agreement, a.Commitment = crossguard.ActivityExercise, nil, "", ""
		}, ""},
		{"unknown type", func(a *crossguard.Activity) { a.Type = "conference" }, "type"},
		{"commitment without agreement", func(a *crossguard.Activity) { a.Agreement = "" }, "commitment"},
		{"agreement not an id", func(a *crossguard.Activity) { a.Agreement = "ag-1" }, "agreement"},
		{"ends before it starts", func(a *crossguard.Activity) { a.EndsOn = "2027-01-31" }, "ends_on"},
		{"no start", func(a *crossguard.Activity) { a.StartsOn = "" }, "starts_on"},
		{"no place", func(a *crossguard.Activity) { a.Place = "" }, "place"},
		{"no agencies", func(a *crossguard.Activity) { a.Agencies = nil; a.Headcounts = nil }, "agencies"},
		{"agency twice", func(a *crossguard.Activity) { a.Agencies = append(a.Agencies, "af-customs") }, "agencies[2]"},
		{"headcount of another agency", func(a *crossguard.Activity) { a.Headcounts["ir-customs"] = 2 }, "headcounts.ir-customs"},
		{"negative headcount", func(a *crossguard.Activity) { a.Headcounts["pk-customs"] = -1 }, "headcounts.pk-customs"},
		{"empty unit", func(a *crossguard.Activity) { a.Units = []string{""} }, "units[0]"},
		{"done is allowed", func(a *crossguard.Activity) { a.Status = crossguard.StatusDone }, ""},
		{"in_progress is not an activity status", func(a *crossguard.Activity) { a.Status = crossguard.StatusInProgress }, "status"},
		{"training without details", func(a *crossguard.Activity) { a.Training = nil }, "training"},
		{"training without course", func(a *crossguard.Activity) { a.Training.Course = "" }, "training.course"},
		{"training of no hours", func(a *crossguard.Activity) { a.Training.Hours = 0 }, "training.hours"},
		{"training of NaN hours", func(a *crossguard.Activity) { a.Training.Hours = math.NaN() }, "training.hours"},
		{"negative certified", func(a *crossguard.Activity) { a.Training.Certified = -2 }, "training.certified"},
		{"exercise with training details", func(a *crossguard.Activity) { a.Type = crossguard.ActivityExercise }, "training"},
		{"visit without details", func(a *crossguard.Activity) { visit(a); a.Visit = nil }, "visit"},
		{"visit of nobody", func(a *crossguard.Activity) { visit(a); a.Visit.DelegationSize = 0 }, "visit.delegation_size"},
		{"visit led by no title", func(a *crossguard.Activity) { visit(a); a.Visit.LeadTitle = "" }, "visit.lead_title"},
		{"visit with an empty stop", func(a *crossguard.Activity) { visit(a); a.Visit.Itinerary = []string{"Torkham", " "} }, "visit.itinerary[1]"},
		{"training with visit details", func(a *crossguard.Activity) { a.Visit = &crossguard.Visit{DelegationSize: 1, LeadTitle: "Director"} }, "visit"},
		{"distribution partners", func(a *crossguard.Activity) { a.Distribution = crossguard.DistPartners }, "distribution"},
		{"no recipients", func(a *crossguard.Activity) { a.Recipients = nil }, "recipients"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := progActivity()
			tc.edit(a)
			wantFieldError(t, a.Validate(), tc.field)
		})
	}
}
