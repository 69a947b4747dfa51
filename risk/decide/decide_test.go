package decide

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"crossguard"
)

var at = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// scoreModel scores a declaration by its item price (a share in [0, 1])
// and explains it by one feature.
type scoreModel struct{}

func (scoreModel) Explain(d *crossguard.Declaration, k int) (float64, []crossguard.Reason) {
	return d.ItemPrice, []crossguard.Reason{{Type: crossguard.ReasonModel, Feature: "item_price", Value: fmt.Sprint(d.ItemPrice), Contribution: d.ItemPrice, Text: "price"}}
}

// hsMatcher matches the profiles whose single condition is an HS prefix.
type hsMatcher []*crossguard.Profile

func (m hsMatcher) Match(dst []*crossguard.Profile, d *crossguard.Declaration, day string) []*crossguard.Profile {
	for _, p := range m {
		var prefix string
		fmt.Sscanf(string(p.Conditions[0].Value), "%q", &prefix)
		if p.ValidOn(day) && len(d.HS6Code) >= len(prefix) && string(d.HS6Code[:len(prefix)]) == prefix {
			dst = append(dst, p)
		}
	}
	return dst
}

func decl(i int, score float64) *crossguard.Declaration {
	return &crossguard.Declaration{DeclarationID: crossguard.Code(fmt.Sprintf("D%06d", i)), Date: "2026-11-27", OfficeID: "30",
		HS6Code: "851712", CountryOfOrigin: "CN", NetMass: 10, ItemPrice: score, Crossing: "sost"}
}

func newEngine(t *testing.T, cfg Config) *Engine {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestWatchlistHitSetsChannelAndReason(t *testing.T) {
	e := newEngine(t, Config{RandomRate: -1})
	e.SetWatchlist([]*crossguard.WatchEntry{
		{ID: "w1", Identifier: crossguard.Identifier{Type: "container", Value: "MSCU 123456-5"}, Channel: "yellow", Reason: "tip-off", ExpiresAt: at.Add(time.Hour)},
		{ID: "w2", Identifier: crossguard.Identifier{Type: "vehicle_plate", Value: "GB-1234"}, Channel: "red", Reason: "old", ExpiresAt: at},
	})
	d := decl(1, 0.1)
	d.Identifiers = []crossguard.Identifier{{Type: "container", Value: "mscu1234565"}, {Type: "vehicle_plate", Value: "GB1234"}}
	dec := e.Decide(d, at)
	if dec.Channel != "yellow" || dec.SelectedBy != crossguard.SelectedWatchlist {
		t.Fatalf("channel %s selected by %s, want yellow by the watch list", dec.Channel, dec.SelectedBy)
	}
	if len(dec.Reasons) != 1 || dec.Reasons[0].ID != "w1" || dec.Reasons[0].Type != crossguard.ReasonWatchlist {
		t.Fatalf("reasons %+v, want only the unexpired entry w1", dec.Reasons)
	}
	if dec := e.Decide(decl(2, 0.1), at); dec.Channel != "green" {
		t.Fatalf("a declaration without identifiers got %s", dec.Channel)
	}
}

// TestWatchlistMatchesAnySpelling checks that the watch list matches on
// the canonical spelling of package identifier, and that an entry whose
// value does not normalise (a plate stored without its country) still
// finds the declarations whose value folds alike.
func TestWatchlistMatchesAnySpelling(t *testing.T) {
	e := newEngine(t, Config{RandomRate: -1})
	e.SetWatchlist([]*crossguard.WatchEntry{
		{ID: "w1", Identifier: crossguard.Identifier{Type: "flight", Value: "PK 0301"}, Channel: "yellow", Reason: "tip-off", ExpiresAt: at.Add(time.Hour)},
		{ID: "w2", Identifier: crossguard.Identifier{Type: "vehicle_plate", Value: "pk:lea 1234"}, Channel: "yellow", Reason: "tip-off", ExpiresAt: at.Add(time.Hour)},
		{ID: "w3", Identifier: crossguard.Identifier{Type: "vehicle_plate", Value: "kbl-4411"}, Channel: "yellow", Reason: "old entry", ExpiresAt: at.Add(time.Hour)},
	})
	for i, tc := range []struct {
		id   crossguard.Identifier
		want string
	}{
		{crossguard.Identifier{Type: "flight", Value: "PK301"}, "w1"},
		{crossguard.Identifier{Type: "vehicle_plate", Value: "PK LEA-1234"}, "w2"},
		{crossguard.Identifier{Type: "vehicle_plate", Value: "KBL 4411"}, "w3"},
		{crossguard.Identifier{Type: "container", Value: "PK301"}, ""},
	} {
		d := decl(i, 0.1)
		d.Identifiers = []crossguard.Identifier{tc.id}
		dec := e.Decide(d, at)
		got := ""
		if len(dec.Reasons) > 0 {
			got = dec.Reasons[0].ID
		}
		if got != tc.want {
			t.Errorf("%v matched %q, want %q", tc.id, got, tc.want)
		}
	}
}

func TestProfilesTakeTheMostIntrusiveChannel(t *testing.T) {
	e := newEngine(t, Config{RandomRate: -1})
	cond := func(prefix string) []crossguard.Condition {
		return []crossguard.Condition{{Field: "hs6_code", Op: "prefix", Value: []byte(fmt.Sprintf("%q", prefix))}}
	}
	e.SetProfiles(hsMatcher{
		{Header: crossguard.Header{ID: "p1", Origin: "pk-customs/hq"}, Name: "phones", Channel: "blue", Score: 0.4, Conditions: cond("8517"), ValidFrom: "2026-01-01"},
		{Header: crossguard.Header{ID: "p2", Origin: "pk-customs/hq"}, Name: "phones red", Channel: "red", Score: 0.9, Conditions: cond("851712"), ValidFrom: "2026-01-01"},
		{Header: crossguard.Header{ID: "p3", Origin: "pk-customs/hq"}, Name: "expired", Channel: "red", Score: 1, Conditions: cond("85"), ValidFrom: "2025-01-01", ValidTo: "2025-12-31"},
	})
	dec := e.Decide(decl(1, 0), at)
	if dec.Channel != "red" || dec.SelectedBy != crossguard.SelectedProfile || dec.Score != 0.9 {
		t.Fatalf("got %s by %s score %v, want red by profile with score 0.9", dec.Channel, dec.SelectedBy, dec.Score)
	}
	if got := fmt.Sprint(dec.Profiles); got != "[p1 p2]" {
		t.Fatalf("profiles %s, want [p1 p2]", got)
	}
}

func TestRandomSelectionRateAndSeed(t *testing.T) {
	run := func(seed uint64) (int, []string) {
		e := newEngine(t, Config{RandomRate: 0.02, Seed: seed})
		n, ids := 0, []string{}
		for i := range 20000 {
			dec := e.Decide(decl(i, 0), at)
			if dec.SelectedBy == crossguard.SelectedRandom {
				n++
				ids = append(ids, dec.DeclarationID)
				if dec.Channel != "red" || dec.Reasons[len(dec.Reasons)-1].Type != crossguard.ReasonRandom {
					t.Fatalf("random selection gave %s with reasons %+v", dec.Channel, dec.Reasons)
				}
			}
		}
		return n, ids
	}
	n1, ids1 := run(7)
	n2, ids2 := run(7)
	_, ids3 := run(8)
	// 20,000 draws at 2%: 400 expected, standard deviation about 20.
	if n1 < 320 || n1 > 480 {
		t.Fatalf("%d of 20000 selected at random, want about 400", n1)
	}
	if n1 != n2 || fmt.Sprint(ids1) != fmt.Sprint(ids2) {
		t.Fatal("the same seed selected different declarations")
	}
	if fmt.Sprint(ids1) == fmt.Sprint(ids3) {
		t.Fatal("different seeds selected the same declarations")
	}
}

func TestModelTopsUpToTheTargetRate(t *testing.T) {
	for _, profileShare := range []float64{0, 0.03, 0.08} {
		t.Run(fmt.Sprint(profileShare), func(t *testing.T) {
			e := newEngine(t, Config{TargetRate: 0.05, DocumentRate: 0.1, AuditRate: 0.1, RandomRate: 0.01, Seed: 3, Window: 5000})
			e.SetModel(scoreModel{}, 4)
			e.SetProfiles(hsMatcher{{Header: crossguard.Header{ID: "p"}, Name: "p", Channel: "red", Score: 0.2,
				Conditions: []crossguard.Condition{{Field: "hs6_code", Op: "prefix", Value: []byte(`"99"`)}}, ValidFrom: "2020-01-01"}})
			counts := map[string]int{}
			by := map[string]int{}
			const n = 40000
			for i := range n {
				// A scrambled score in [0, 1) and a profile hit on a fixed share.
				d := decl(i, math.Mod(float64(i)*0.6180339887, 1))
				if float64(i%1000) < profileShare*1000 {
					d.HS6Code = "990000"
				}
				dec := e.Decide(d, at)
				if i >= 10000 {
					counts[dec.Channel]++
					by[dec.SelectedBy]++
				}
				if dec.ModelVersion != 4 {
					t.Fatalf("model version %d, want 4", dec.ModelVersion)
				}
			}
			m := float64(n - 10000)
			want := math.Max(0.05, profileShare+0.01*(1-profileShare))
			if got := float64(counts["red"]) / m; math.Abs(got-want) > 0.006 {
				t.Fatalf("red share %.4f, want %.4f (counts %v, selected by %v)", got, want, counts, by)
			}
			if got := float64(counts["yellow"]) / m; math.Abs(got-0.1) > 0.01 {
				t.Fatalf("yellow share %.4f, want 0.10", got)
			}
			if got := float64(counts["blue"]) / m; math.Abs(got-0.1) > 0.01 {
				t.Fatalf("blue share %.4f, want 0.10", got)
			}
			if profileShare >= 0.05 && by[crossguard.SelectedModel] > 0 && counts["red"] > int(want*m)+int(0.006*m) {
				t.Fatal("the model added red declarations beyond the target")
			}
		})
	}
}

func TestModelReasonsAndColdStart(t *testing.T) {
	e := newEngine(t, Config{RandomRate: -1})
	e.SetModel(scoreModel{}, 1)
	dec := e.Decide(decl(1, 0.7), at)
	if dec.Channel != "red" || dec.SelectedBy != crossguard.SelectedModel {
		t.Fatalf("cold start: score 0.7 got %s by %s, want red by the model", dec.Channel, dec.SelectedBy)
	}
	if dec.Reasons[0].Type != crossguard.ReasonModel || dec.Reasons[0].Feature != "item_price" {
		t.Fatalf("reasons %+v lack the model's feature", dec.Reasons)
	}
	if dec := e.Decide(decl(2, 0.3), at); dec.Channel != "green" {
		t.Fatalf("cold start: score 0.3 got %s, want green", dec.Channel)
	}
}

func TestWarmKeepsThresholdsAcrossRestart(t *testing.T) {
	e := newEngine(t, Config{RandomRate: -1, TargetRate: 0.1, DocumentRate: 0.01, AuditRate: 0.01})
	e.SetModel(scoreModel{}, 1)
	scores := make([]float64, 1000)
	for i := range scores {
		scores[i] = float64(i) / 1000
	}
	e.Warm("sost", scores)
	// With the window warm, 0.85 is below the top 10% (0.9 and up).
	if dec := e.Decide(decl(1, 0.85), at); dec.Channel == "red" {
		t.Fatalf("score 0.85 went red; the warm window puts the threshold near 0.9")
	}
	if dec := e.Decide(decl(2, 0.95), at); dec.Channel != "red" {
		t.Fatalf("score 0.95 got %s, want red", dec.Channel)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []Config{{TargetRate: 1.5}, {TargetRate: 0.01, RandomRate: 0.02}, {TargetRate: 0.5, DocumentRate: 0.4, AuditRate: 0.2}} {
		if _, err := New(c); err == nil {
			t.Errorf("config %+v accepted", c)
		}
	}
}

// TestNewProfileDoesNotOvershoot checks that when a profile starts sending
// declarations to red, the model gives way within a few hundred decisions
// rather than once the whole window has turned over.
func TestNewProfileDoesNotOvershoot(t *testing.T) {
	e := newEngine(t, Config{TargetRate: 0.1, DocumentRate: -1, AuditRate: -1, RandomRate: -1, Window: 10000})
	e.SetModel(scoreModel{}, 1)
	i := 0
	next := func(hit bool) *crossguard.Decision {
		d := decl(i, math.Mod(float64(i)*0.6180339887, 1))
		if hit {
			d.HS6Code = "990000"
		}
		i++
		return e.Decide(d, at)
	}
	for range 10000 {
		next(false)
	}
	e.SetProfiles(hsMatcher{{Header: crossguard.Header{ID: "p"}, Name: "p", Channel: "red", Score: 0.2,
		Conditions: []crossguard.Condition{{Field: "hs6_code", Op: "prefix", Value: []byte(`"99"`)}}, ValidFrom: "2020-01-01"}})
	red := 0
	for k := range 3000 {
		dec := next(k%20 == 0) // 5% hit the new profile
		if k >= 1000 && dec.Channel == "red" {
			red++
		}
	}
	if share := float64(red) / 2000; math.Abs(share-0.1) > 0.015 {
		t.Fatalf("red share %.3f after a profile took 5%% of declarations, want 0.10", share)
	}
}

// TestWarningEntriesHoldOnlyInTheirWindow checks entries derived from a
// warning: in force only from their start to their expiry, with a reason
// of type warning.
func TestWarningEntriesHoldOnlyInTheirWindow(t *testing.T) {
	e := newEngine(t, Config{RandomRate: -1})
	from := at.Add(-time.Hour)
	e.SetWatchlist([]*crossguard.WatchEntry{{ID: "w#0", Identifier: crossguard.Identifier{Type: "container", Value: "MSCU1234566"},
		Channel: "red", Reason: "warning w of cn-customs in operation Karakoram", StartsAt: &from, ExpiresAt: at.Add(time.Hour),
		Source: crossguard.WatchFromWarning}})
	d := decl(1, 0)
	d.Identifiers = []crossguard.Identifier{{Type: "container", Value: "MSCU1234566"}}
	for _, tc := range []struct {
		at   time.Time
		want string
	}{{at.Add(-2 * time.Hour), "green"}, {at, "red"}, {at.Add(2 * time.Hour), "green"}} {
		dec := e.Decide(d, tc.at)
		if dec.Channel != tc.want {
			t.Fatalf("at %s: %s, want %s", tc.at, dec.Channel, tc.want)
		}
		if tc.want == "red" && (dec.Reasons[0].Type != crossguard.ReasonWarning || !strings.Contains(dec.Reasons[0].Text, "cn-customs")) {
			t.Fatalf("reason %+v", dec.Reasons[0])
		}
	}
}
