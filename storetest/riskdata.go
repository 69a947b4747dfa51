package storetest

import (
	"fmt"
	"strconv"
	"time"

	"crossguard"
)

// Crossings are the crossing points of the suite's declarations.
var Crossings = []string{"torkham", "chaman", "sost"}

// NewDeclaration returns declaration n, declared at crossing, with every
// field set: codes that vary with n, numbers with fractions and two
// identifiers of its conveyance.
func NewDeclaration(n int, crossing string) *crossguard.Declaration {
	code := func(prefix string, mod int) crossguard.Code {
		return crossguard.Code(fmt.Sprintf("%s%04d", prefix, n%mod))
	}
	hs := []crossguard.Code{"293911", "130211", "240311", "870323", "440890", "690722"}
	countries := []crossguard.Code{"PK", "AF", "CN", "AE", "BE", "IR"}
	return &crossguard.Declaration{
		DeclarationID:            DeclarationID(n),
		Date:                     T0.AddDate(0, 0, n%365).Format(time.DateOnly),
		OfficeID:                 crossguard.Code(strconv.Itoa(10 * (1 + n%7))),
		ProcessType:              "B",
		ImportType:               crossguard.Code(strconv.Itoa(11 + n%3)),
		ImportUse:                "21",
		PaymentType:              crossguard.Code(strconv.Itoa(11 + n%2)),
		ModeOfTransport:          "10",
		DeclarantID:              code("DCL", 97),
		ImporterID:               code("IMP", 89),
		SellerID:                 code("SEL", 83),
		CourierID:                code("CUR", 5),
		HS6Code:                  hs[n%len(hs)],
		CountryOfDeparture:       countries[(n+1)%len(countries)],
		CountryOfOrigin:          countries[n%len(countries)],
		TaxRate:                  float64(n%9) + 0.5,
		TaxType:                  "A",
		CountryOfOriginIndicator: "Y",
		NetMass:                  100.25 + float64(n%1000),
		ItemPrice:                5000.5 + 3*float64(n%10000),
		Identifiers: []crossguard.Identifier{
			{Type: "container", Value: fmt.Sprintf("MSCU%07d", n)},
			{Type: "vehicle_plate", Value: fmt.Sprintf("KBL-%05d", n%100000)},
		},
		Crossing: crossing,
	}
}

// DeclarationID is the id of declaration n of the suite.
func DeclarationID(n int) crossguard.Code {
	return crossguard.Code(fmt.Sprintf("%08d", 10000000+n))
}

// NewDeclarationEntry returns declaration n at crossing, received at at,
// without decision or inspection.
func NewDeclarationEntry(n int, crossing string, at time.Time) *crossguard.DeclarationEntry {
	return &crossguard.DeclarationEntry{Declaration: NewDeclaration(n, crossing), ReceivedAt: at.UTC()}
}

// NewDecision returns the decision on declaration n: channel, chosen by
// selectedBy with score at crossing, decided at at, with a reason for
// every profile that matched and, when the model chose, for a feature.
func NewDecision(n int, channel, selectedBy string, score float64, crossing string, at time.Time, profiles ...string) *crossguard.Decision {
	d := &crossguard.Decision{
		DeclarationID: string(DeclarationID(n)), Channel: channel, Score: score, SelectedBy: selectedBy,
		Crossing: crossing, DecidedAt: at.UTC(), Profiles: profiles, Reasons: []crossguard.Reason{},
	}
	for _, p := range profiles {
		d.Reasons = append(d.Reasons, crossguard.Reason{Type: crossguard.ReasonProfile, ID: p, Name: "profile " + p,
			Channel: channel, Text: "matched profile " + p})
	}
	switch selectedBy {
	case crossguard.SelectedModel:
		d.ModelVersion = 1
		d.Reasons = append(d.Reasons, crossguard.Reason{Type: crossguard.ReasonModel, Feature: "value_per_kg", Value: "12.5",
			Contribution: 1.25, Text: "value per kg is low for this HS code"})
	case crossguard.SelectedRandom:
		d.Reasons = append(d.Reasons, crossguard.Reason{Type: crossguard.ReasonRandom, Text: "selected at random"})
	}
	return d
}

// NewInspection returns an officer's inspection of declaration n with
// result, recovering revenue, at at; its label is the one the result
// gives.
func NewInspection(n int, result string, revenue float64, at time.Time) *crossguard.Inspection {
	in := &crossguard.Inspection{
		DeclarationID: string(DeclarationID(n)), Result: result, RecoveredRevenue: revenue,
		Notes: "inspected at the " + result + " bay", Label: crossguard.ResultLabel(result),
		Source: crossguard.InspectionFromOfficer, At: at.UTC(),
	}
	if result == crossguard.ResultSeizure {
		in.SeizureID = fmt.Sprintf("seizure-of-%d", n)
	}
	return in
}

// FileInspection returns the inspection a labelled declaration file
// gives declaration n: label, with the result derived from it.
func FileInspection(n int, label crossguard.Label, at time.Time) *crossguard.Inspection {
	return &crossguard.Inspection{DeclarationID: string(DeclarationID(n)), Result: crossguard.LabelResult(label),
		Label: label, Source: crossguard.InspectionFromFile, At: at.UTC()}
}
