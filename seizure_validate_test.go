package crossguard_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"
)

// now is the validation clock of these tests.
var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// mustExample returns the example seizure, decoded.
func mustExample(t *testing.T) *crossguard.Seizure {
	t.Helper()
	var s crossguard.Seizure
	if err := json.Unmarshal([]byte(storetest.ExampleSeizureJSON), &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

func ptr(f float64) *float64 { return &f }

func TestValidateAcceptsExample(t *testing.T) {
	if err := mustExample(t).Validate(now); err != nil {
		t.Fatalf("example refused: %v", err)
	}
}

func TestValidateRefuses(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *crossguard.Seizure)
		field  string
		msg    string // part of the message
	}{
		{"future occurred_at", func(s *crossguard.Seizure) { s.OccurredAt = now.Add(time.Hour) }, "occurred_at", "in the future"},
		{"missing occurred_at", func(s *crossguard.Seizure) { s.OccurredAt = time.Time{} }, "occurred_at", "required"},
		{"lower-case country", func(s *crossguard.Seizure) { s.Country = "pk" }, "country", "upper case"},
		{"unknown country", func(s *crossguard.Seizure) { s.Country = "XX" }, "country", "ISO 3166-1"},
		{"unknown hs", func(s *crossguard.Seizure) { s.Goods[0].HS = "999999" }, "goods[0].hs", "not an HS 2022 code"},
		{"odd hs length", func(s *crossguard.Seizure) { s.Goods[0].HS = "29391" }, "goods[0].hs", "digits"},
		{"zero quantity", func(s *crossguard.Seizure) { s.Goods[0].Quantity = 0 }, "goods[0].quantity", "greater than zero"},
		{"NaN quantity", func(s *crossguard.Seizure) { s.Goods[0].Quantity = math.NaN() }, "goods[0].quantity", "finite"},
		{"unknown unit", func(s *crossguard.Seizure) { s.Goods[0].Unit = "bushels" }, "goods[0].unit", "not one of"},
		{"bad currency", func(s *crossguard.Seizure) { s.Goods[0].Value.Currency = "XYZ" }, "goods[0].value.currency", "XYZ"},
		{"unknown category", func(s *crossguard.Seizure) { s.Goods[0].Category = "drugs" }, "goods[0].category", "not one of"},
		{"no goods", func(s *crossguard.Seizure) { s.Goods = nil }, "goods", "at least one"},
		{"container check digit", func(s *crossguard.Seizure) { s.Identifiers[0].Value = "CSQU3054384" }, "identifiers[0].value", "check digit"},
		{"unknown identifier type", func(s *crossguard.Seizure) { s.Identifiers[0].Type = "pallet" }, "identifiers[0].type", "not one of"},
		{"bad flight", func(s *crossguard.Seizure) { s.Identifiers[0] = crossguard.Identifier{Type: "flight", Value: "??"} }, "identifiers[0].value", "flight"},
		{"unknown direction", func(s *crossguard.Seizure) { s.Direction = "sideways" }, "direction", "not one of"},
		{"unknown transport", func(s *crossguard.Seizure) { s.TransportMode = "camel" }, "transport_mode", "not one of"},
		{"unknown detection", func(s *crossguard.Seizure) { s.DetectionMethod = "luck" }, "detection_method", "not one of"},
		{"unknown concealment", func(s *crossguard.Seizure) { s.Concealment = "hat" }, "concealment", "not one of"},
		{"unknown distribution", func(s *crossguard.Seizure) { s.Distribution = "world" }, "distribution", "not one of"},
		{"unknown tlp", func(s *crossguard.Seizure) { s.Marking.TLP = "white" }, "marking.tlp", "not one of"},
		{"unknown handling", func(s *crossguard.Seizure) { s.Marking.Handling = "H9" }, "marking.handling", "not one of"},
		{"unknown reliability", func(s *crossguard.Seizure) { s.Marking.SourceReliability = "E" }, "marking.source_reliability", "not one of"},
		{"unknown accuracy", func(s *crossguard.Seizure) { s.Marking.InfoAccuracy = "6" }, "marking.info_accuracy", "not one of"},
		{"red without recipients", func(s *crossguard.Seizure) { s.Marking.TLP = "red" }, "recipients", "TLP:RED"},
		{"bad recipient", func(s *crossguard.Seizure) { s.Recipients = []string{"Bad Agency"} }, "recipients[0]", "agency id"},
		{"latitude out of range", func(s *crossguard.Seizure) { s.Place.Lat = ptr(91) }, "place.lat", "outside"},
		{"longitude without latitude", func(s *crossguard.Seizure) { s.Place.Lat = nil }, "place.lat", "required"},
		{"missing place name", func(s *crossguard.Seizure) { s.Place.Name = " " }, "place.name", "required"},
		{"bad locode", func(s *crossguard.Seizure) { s.Place.LOCODE = "P1" }, "place.locode", ""},
		{"bad transit", func(s *crossguard.Seizure) { s.Route.Transit = []string{"ZZ"} }, "route.transit[0]", "ISO 3166-1"},
		{"control character", func(s *crossguard.Seizure) { s.Narrative = "a\x00b" }, "narrative", "control character"},
		{"invalid utf-8", func(s *crossguard.Seizure) { s.Goods[0].Description = "\xff" }, "goods[0].description", "UTF-8"},
		{"huge narrative", func(s *crossguard.Seizure) { s.Narrative = strings.Repeat("x", crossguard.MaxNarrativeBytes+1) }, "narrative", "too long"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := mustExample(t)
			tc.change(s)
			err := s.Validate(now)
			if crossguard.ErrorCode(err) != crossguard.EINVALID {
				t.Fatalf("code = %q (%v), want invalid", crossguard.ErrorCode(err), err)
			}
			for _, f := range crossguard.ErrorFields(err) {
				if f.Field == tc.field && strings.Contains(f.Message, tc.msg) {
					return
				}
			}
			t.Errorf("no field error %s containing %q in %v", tc.field, tc.msg, crossguard.ErrorFields(err))
		})
	}
}

func TestValidateReportsEveryField(t *testing.T) {
	s := mustExample(t)
	s.Country = "XX"
	s.Goods[0].HS = "999999"
	s.Marking.TLP = ""
	fields := crossguard.ErrorFields(s.Validate(now))
	if len(fields) != 3 {
		t.Fatalf("got %d field errors, want 3: %v", len(fields), fields)
	}
}

func TestValidateClockAllowance(t *testing.T) {
	s := mustExample(t)
	s.OccurredAt = now.Add(crossguard.ClockAllowance - time.Second)
	if err := s.Validate(now); err != nil {
		t.Fatalf("a time within the clock allowance was refused: %v", err)
	}
}
