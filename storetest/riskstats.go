package storetest

import (
	"testing"
	"time"

	"crossguard"
)

// testRiskStats checks RiskStats on a small fixture whose numbers are
// computed by hand.
func testRiskStats(t *testing.T, open Opener) {
	t.Run("hit rates by profile, channel, crossing point, model and random selection", func(t *testing.T) {
		s := riskFresh(t, open)
		from, to := riskT0, riskT0.Add(10*time.Hour)
		at := func(h float64) time.Time { return from.Add(time.Duration(h * float64(time.Hour))) }
		type fixture struct {
			n          int
			channel    string
			selectedBy string
			at         time.Time
			profiles   []string
			result     string // "" when not inspected
			revenue    float64
		}
		var (
			red, yellow, blue, green = crossguard.ChannelRed, crossguard.ChannelYellow, crossguard.ChannelBlue, crossguard.ChannelGreen
			seizure, irregular, none = crossguard.ResultSeizure, crossguard.ResultIrregularity, crossguard.ResultNoFinding
		)
		fixtures := []fixture{
			{1, red, crossguard.SelectedProfile, at(1), []string{"p-1", "p-2"}, seizure, 1000},
			{2, red, crossguard.SelectedWatchlist, at(2), nil, none, 0},
			{3, yellow, crossguard.SelectedProfile, at(3), []string{"p-1"}, irregular, 250.5},
			{4, yellow, crossguard.SelectedModel, at(4), nil, "", 0},
			{5, blue, crossguard.SelectedRandom, at(5), nil, irregular, 100.25},
			{6, green, crossguard.SelectedNone, at(6), nil, "", 0},
			{7, red, crossguard.SelectedModel, at(7), []string{"p-2"}, none, 0},
			{10, green, crossguard.SelectedRandom, from, nil, "", 0},                      // at from: counted
			{8, red, crossguard.SelectedModel, to, []string{"p-1", "p-3"}, seizure, 5000}, // at to: not counted
			{9, green, crossguard.SelectedRandom, at(-1), []string{"p-3"}, seizure, 700},  // before from
		}
		var entries []*crossguard.DeclarationEntry
		var later []*crossguard.Inspection
		for _, f := range fixtures {
			crossing := "torkham"
			if f.n == 5 || f.n == 7 {
				crossing = "sost"
			}
			e := NewDeclarationEntry(f.n, crossing, f.at)
			e.Decision = NewDecision(f.n, f.channel, f.selectedBy, 0.5, crossing, f.at, f.profiles...)
			if f.result != "" {
				in := NewInspection(f.n, f.result, f.revenue, to.Add(time.Hour))
				if f.n%2 == 0 {
					e.Inspection = in
				} else {
					later = append(later, in)
				}
			}
			entries = append(entries, e)
		}
		mustSaveDeclarations(t, s, entries...)
		for _, in := range later {
			if err := s.RecordInspection(t.Context(), actor, in); err != nil {
				t.Fatalf("RecordInspection(%s): %v", in.DeclarationID, err)
			}
		}
		got, err := s.RiskStats(t.Context(), from, to)
		if err != nil {
			t.Fatalf("RiskStats: %v", err)
		}
		want := &crossguard.RiskStats{
			From: from, To: to, Total: 8,
			Profiles: []*crossguard.RateStats{
				{Key: "p-1", Selected: 2, Inspected: 2, Hits: 2, HitRate: 1, Revenue: 1250.5},
				{Key: "p-2", Selected: 2, Inspected: 2, Hits: 1, HitRate: 0.5, Revenue: 1000},
			},
			Channels: []*crossguard.RateStats{
				{Key: red, Selected: 3, Inspected: 3, Hits: 1, HitRate: 1.0 / 3, Revenue: 1000},
				{Key: yellow, Selected: 2, Inspected: 1, Hits: 1, HitRate: 1, Revenue: 250.5},
				{Key: blue, Selected: 1, Inspected: 1, Hits: 1, HitRate: 1, Revenue: 100.25},
				{Key: green, Selected: 2},
			},
			Crossings: []*crossguard.CrossingStats{
				{Crossing: "sost", Total: 2, Channels: []*crossguard.RateStats{
					{Key: red, Selected: 1, Inspected: 1},
					{Key: yellow},
					{Key: blue, Selected: 1, Inspected: 1, Hits: 1, HitRate: 1, Revenue: 100.25},
					{Key: green},
				}},
				{Crossing: "torkham", Total: 6, Channels: []*crossguard.RateStats{
					{Key: red, Selected: 2, Inspected: 2, Hits: 1, HitRate: 0.5, Revenue: 1000},
					{Key: yellow, Selected: 2, Inspected: 1, Hits: 1, HitRate: 1, Revenue: 250.5},
					{Key: blue},
					{Key: green, Selected: 2},
				}},
			},
			Model:  &crossguard.RateStats{Key: crossguard.SelectedModel, Selected: 2, Inspected: 1},
			Random: &crossguard.RateStats{Key: crossguard.SelectedRandom, Selected: 2, Inspected: 1, Hits: 1, HitRate: 1, Revenue: 100.25},
		}
		wantEqual(t, "risk stats", got, want)
	})
	t.Run("every channel at zero over an empty period", func(t *testing.T) {
		s := riskFresh(t, open)
		e := NewDeclarationEntry(1, "torkham", riskT0)
		e.Decision = NewDecision(1, crossguard.ChannelRed, crossguard.SelectedModel, 0.9, "torkham", riskT0, "p-1")
		mustSaveDeclarations(t, s, e)
		from, to := riskT0.Add(time.Hour), riskT0.Add(2*time.Hour)
		got, err := s.RiskStats(t.Context(), from, to)
		if err != nil {
			t.Fatalf("RiskStats: %v", err)
		}
		want := &crossguard.RiskStats{From: from, To: to, Profiles: []*crossguard.RateStats{}, Crossings: []*crossguard.CrossingStats{},
			Model: &crossguard.RateStats{Key: crossguard.SelectedModel}, Random: &crossguard.RateStats{Key: crossguard.SelectedRandom}}
		for _, c := range crossguard.Channels {
			want.Channels = append(want.Channels, &crossguard.RateStats{Key: c})
		}
		wantEqual(t, "risk stats of an empty period", got, want)
	})
}
