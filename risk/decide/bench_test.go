package decide_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"crossguard"
	"crossguard/declcsv"
	"crossguard/node"
	"crossguard/risk/decide"
	"crossguard/risk/model"
	"crossguard/risk/profiles"
)

// readCSV reads every row of a labelled declaration file.
func readCSV(tb testing.TB, path string) ([]*crossguard.Declaration, []crossguard.Label) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r, err := declcsv.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	var ds []*crossguard.Declaration
	var ls []crossguard.Label
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			tb.Fatal(err)
		}
		if row.Err != nil {
			tb.Fatal(row.Err)
		}
		ds, ls = append(ds, row.Declaration), append(ls, *row.Label)
	}
	return ds, ls
}

var (
	trained     *model.Model
	trainedOnce sync.Once
)

// trainedModel trains the model on train.csv once per test binary.
func trainedModel(b *testing.B) *model.Model {
	trainedOnce.Do(func() {
		ds, ls := readCSV(b, "../../testdata/customs-declarations/train.csv")
		ex := make([]model.Example, len(ds))
		for i := range ds {
			ex[i] = model.Example{Decl: ds[i], Label: ls[i]}
		}
		m, err := model.Train(context.Background(), ex, model.Options{Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		trained = m
	})
	return trained
}

// benchProfiles makes n profiles of one to three conditions drawn from the
// values of real declarations, as analysts write them: an HS heading or
// subheading with a country of origin, an importer, an office with an HS
// subheading, and often a value-per-kg ceiling.
func benchProfiles(b *testing.B, ds []*crossguard.Declaration, n int) []*crossguard.Profile {
	rng := rand.New(rand.NewPCG(1, 2))
	raw := func(v any) json.RawMessage { j, _ := json.Marshal(v); return j }
	ps := make([]*crossguard.Profile, n)
	for i := range ps {
		d := ds[rng.IntN(len(ds))]
		var cs []crossguard.Condition
		switch rng.IntN(4) {
		case 0:
			cs = append(cs, crossguard.Condition{Field: "hs6_code", Op: "prefix", Value: raw(d.HSPrefix(4 + 2*rng.IntN(2)))},
				crossguard.Condition{Field: "country_of_origin", Op: "eq", Value: raw(string(d.CountryOfOrigin))})
		case 1:
			cs = append(cs, crossguard.Condition{Field: "importer_id", Op: "eq", Value: raw(string(d.ImporterID))})
		case 2:
			cs = append(cs, crossguard.Condition{Field: "country_of_origin", Op: "in", Value: raw([]string{string(d.CountryOfOrigin), "AF", "IR"})},
				crossguard.Condition{Field: "hs6_code", Op: "prefix", Value: raw(d.HSPrefix(4))})
		default:
			cs = append(cs, crossguard.Condition{Field: "office_id", Op: "eq", Value: raw(string(d.OfficeID))},
				crossguard.Condition{Field: "hs6_code", Op: "prefix", Value: raw(d.HSPrefix(6))})
		}
		if rng.IntN(2) == 0 {
			cs = append(cs, crossguard.Condition{Field: "value_per_kg", Op: "lt", Value: raw(float64(1 + rng.IntN(500)))})
		}
		ps[i] = &crossguard.Profile{Header: crossguard.Header{ID: fmt.Sprintf("p%06d", i), Kind: crossguard.KindProfile, Origin: "pk-customs/hq"},
			Name: fmt.Sprintf("profile %d", i), Channel: crossguard.SelectingChannels[rng.IntN(3)], Score: rng.Float64(),
			Conditions: cs, ValidFrom: "2020-01-01"}
	}
	return ps
}

// BenchmarkDecision measures a full decision — a watch list of 1,000
// entries, 10,000 profiles, the model trained on train.csv with its
// explanation, and the channel — on one goroutine over the declarations of
// valid.csv, and reports decisions per second, the p50 and p99 latency of
// one decision, and the ratio of the decision's time to the model's score
// alone, measured in the same run.
func BenchmarkDecision(b *testing.B) {
	ds, _ := readCSV(b, "../../testdata/customs-declarations/valid.csv")
	m := trainedModel(b)
	ix, err := profiles.Compile(benchProfiles(b, ds, 10000))
	if err != nil {
		b.Fatal(err)
	}
	var watch []*crossguard.WatchEntry
	for i := range 1000 {
		watch = append(watch, &crossguard.WatchEntry{ID: fmt.Sprint(i), Identifier: crossguard.Identifier{Type: "container", Value: fmt.Sprintf("MSCU%07d", i)},
			Channel: "red", Reason: "bench", ExpiresAt: time.Now().Add(time.Hour)})
	}
	for i, d := range ds {
		d.Identifiers = []crossguard.Identifier{{Type: "container", Value: fmt.Sprintf("MSCU%07d", i%5000)}}
		d.Crossing = "sost"
	}
	e, err := decide.New(decide.Config{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	e.SetModel(node.Explainer(m), 1)
	e.SetProfiles(ix)
	e.SetWatchlist(watch)
	at := time.Date(2021, 2, 1, 12, 0, 0, 0, time.UTC)

	// Baseline: the model's score alone, same declarations.
	start := time.Now()
	for i := range len(ds) * 5 {
		m.Score(ds[i%len(ds)])
	}
	scoreNs := float64(time.Since(start).Nanoseconds()) / float64(len(ds)*5)

	lat := make([]time.Duration, 0, b.N)
	hits := 0
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		dec := e.Decide(ds[i%len(ds)], at)
		lat = append(lat, time.Since(t0))
		hits += len(dec.Profiles)
	}
	b.StopTimer()
	b.ReportMetric(float64(hits)/float64(b.N), "profile-hits/decision")
	slices.Sort(lat)
	var total time.Duration
	for _, l := range lat {
		total += l
	}
	per := float64(total.Nanoseconds()) / float64(len(lat))
	b.ReportMetric(1e9/per, "decisions/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "p99-µs")
	b.ReportMetric(per/scoreNs, "x-score-only")
}
