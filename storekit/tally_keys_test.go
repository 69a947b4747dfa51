package storekit

import (
	"math"
	"reflect"
	"testing"
	"time"

	"crossguard"
)

func TestTallyPlaceKey(t *testing.T) {
	tests := []struct {
		name     string
		lat, lon float64
		want     string
	}{
		{"whole degrees", 35, 71, "35.0,71.0"},
		{"rounded down", 35.04, 71.449, "35.0,71.4"},
		{"rounded up", 24.96, 69.99, "25.0,70.0"},
		{"final five rounds up", 35.05, 71.45, "35.1,71.5"},
		{"final five of an exact binary half rounds up", 0.25, 33.75, "0.3,33.8"},
		{"final five of a negative rounds away from zero", -0.05, -89.95, "-0.1,-90.0"},
		{"negative zero", math.Copysign(0, -1), -0.04, "0.0,0.0"},
		{"tiny negatives", -1e-7, -0.0499, "0.0,0.0"},
		{"extremes", -90, 180, "-90.0,180.0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := TallyPlaceKey(tc.lat, tc.lon); got != tc.want {
				t.Fatalf("TallyPlaceKey(%v, %v) = %q, want %q", tc.lat, tc.lon, got, tc.want)
			}
		})
	}
}

func TestTallyMonth(t *testing.T) {
	at := time.Date(2026, 3, 1, 1, 30, 0, 0, time.FixedZone("PKT", 5*3600))
	if got := TallyMonth(at); got != "2026-02" {
		t.Fatalf("TallyMonth(%v) = %q, want the UTC month 2026-02", at, got)
	}
}

func TestTallyKeys(t *testing.T) {
	lat, lon := 36.85, 75.42
	s := &crossguard.Seizure{
		Header:      crossguard.Header{Origin: "pk-customs/sost"},
		OccurredAt:  time.Date(2026, 11, 30, 23, 59, 59, 999999999, time.UTC),
		Place:       crossguard.Place{Lat: &lat, Lon: &lon},
		Concealment: "in_cargo",
		Route:       crossguard.Route{Origin: "AF", Destination: "CN"},
		Goods:       []crossguard.Goods{{Category: "narcotics"}, {Category: "weapons"}, {Category: "narcotics"}},
	}
	month := "2026-11"
	want := []*crossguard.Tally{
		{Month: month, Dim: crossguard.TallyCategory, Key: "narcotics", Count: 1},
		{Month: month, Dim: crossguard.TallyCategory, Key: "weapons", Count: 1},
		{Month: month, Dim: crossguard.TallyConcealment, Key: "in_cargo", Count: 1},
		{Month: month, Dim: crossguard.TallyOrigin, Key: "pk-customs/sost", Count: 1},
		{Month: month, Dim: crossguard.TallyPlace, Key: "36.9,75.4", Count: 1},
		{Month: month, Dim: crossguard.TallyRoute, Key: "AF>CN", Count: 1},
	}
	if got := TallyKeys(s); !reflect.DeepEqual(got, want) {
		t.Fatalf("TallyKeys = %v, want %v", tallyStrings(got), tallyStrings(want))
	}

	t.Run("without coordinates or a full route", func(t *testing.T) {
		s.Place.Lat, s.Route.Destination = nil, ""
		want := []*crossguard.Tally{want[0], want[1], want[2], want[3]}
		if got := TallyKeys(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("TallyKeys = %v, want %v", tallyStrings(got), tallyStrings(want))
		}
	})
}

// tallyStrings returns tallies as readable values.
func tallyStrings(ts []*crossguard.Tally) []crossguard.Tally {
	out := make([]crossguard.Tally, len(ts))
	for i, t := range ts {
		out[i] = *t
	}
	return out
}
