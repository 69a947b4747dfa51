package model

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"crossguard"
)

// smallOptions train quickly on synthetic data.
var smallOptions = Options{Seed: 1, Trees: 40, MaxLeaves: 15, MaxDepth: 6}

func mustTrain(tb testing.TB, ex []Example, opt Options) *Model {
	tb.Helper()
	m, err := Train(context.Background(), ex, opt)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func mustBytes(tb testing.TB, m *Model) []byte {
	tb.Helper()
	var b bytes.Buffer
	n, err := m.WriteTo(&b)
	if err != nil {
		tb.Fatal(err)
	}
	if n != int64(b.Len()) {
		tb.Fatalf("WriteTo reported %d bytes, wrote %d", n, b.Len())
	}
	return b.Bytes()
}

func TestTrainLearnsUndervaluation(t *testing.T) {
	m := mustTrain(t, syntheticExamples(3000, 1), smallOptions)
	test := syntheticExamples(1000, 2)
	ev := evaluateOn(m, test)
	if ev.PrecisionAt["10"] < 0.95 || ev.RecallAt["10"] < 0.3 {
		t.Errorf("on fresh synthetic declarations: %+v, want precision@10%% >= 0.95", ev)
	}
	// The strongest reason for an undervalued declaration is its value.
	for _, e := range test[:50] {
		if !e.Label.Positive() {
			continue
		}
		score, why := m.Explain(e.Decl, 3)
		if score < 0.5 {
			continue
		}
		top := why[0].Feature
		if top != "value_per_kg" && top != "item_price" {
			t.Errorf("top reason of an undervalued declaration is %+v, want value_per_kg or item_price", why[0])
		}
		if why[0].Contribution <= 0 {
			t.Errorf("top reason %+v does not push towards fraud", why[0])
		}
	}
}

func TestTrainIsDeterministic(t *testing.T) {
	ex := syntheticExamples(1500, 3)
	opt := smallOptions
	opt.ColSample = 0.5
	a := mustBytes(t, mustTrain(t, ex, opt))
	opt.Workers = 1
	if b := mustBytes(t, mustTrain(t, ex, opt)); !bytes.Equal(a, b) {
		t.Fatal("two trainings with the same seed wrote different model files")
	}
	opt.Seed = 2
	if c := mustBytes(t, mustTrain(t, ex, opt)); bytes.Equal(a, c) {
		t.Error("trainings with seeds 1 and 2 wrote the same file although features are sampled")
	}
}

func TestTrainRefuses(t *testing.T) {
	ex := syntheticExamples(200, 4)
	negatives := []Example{}
	positives := []Example{}
	for _, e := range ex {
		if e.Label.Positive() {
			positives = append(positives, e)
		} else {
			negatives = append(negatives, e)
		}
	}
	withNil := append([]Example{{Label: crossguard.Label{Fraud: 1}}}, ex...)
	cases := []struct {
		name string
		ex   []Example
		opt  Options
		want string
	}{
		{"no examples", nil, Options{}, "0 labelled declarations, training needs at least 10"},
		{"too few", ex[:5], Options{}, "5 labelled declarations"},
		{"no frauds", negatives, Options{}, "none of the"},
		{"only frauds", positives, Options{}, "all "},
		{"nil declaration", withNil, Options{}, "example 0 has no declaration"},
		{"bad option", ex, Options{LearningRate: -1}, "learning rate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Train(context.Background(), c.ex, c.opt)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestTrainOnFewRows(t *testing.T) {
	ex := syntheticExamples(40, 15)[:MinTrainingRows]
	ex[0].Label, ex[1].Label = crossguard.Label{Fraud: 1}, crossguard.Label{}
	m := mustTrain(t, ex, Options{})
	for _, e := range syntheticExamples(20, 16) {
		if s := m.Score(e.Decl); !(s > 0 && s < 1) {
			t.Fatalf("score %v from a model of %d rows", s, len(ex))
		}
	}
	if _, err := Read(bytes.NewReader(mustBytes(t, m))); err != nil {
		t.Errorf("the file of a model of %d rows does not read back: %v", len(ex), err)
	}
}

func TestTrainReportsProgressAndStops(t *testing.T) {
	ex := syntheticExamples(500, 5)
	var stages []string
	last := 0
	opt := smallOptions
	opt.Progress = func(stage string, done, total int) {
		if len(stages) == 0 || stages[len(stages)-1] != stage {
			stages = append(stages, stage)
		}
		if stage == "train" {
			if done != last+1 || total != opt.Trees {
				t.Errorf("train progress %d/%d after %d", done, total, last)
			}
			last = done
		}
	}
	mustTrain(t, ex, opt)
	if strings.Join(stages, ",") != "encode,train" || last != opt.Trees {
		t.Errorf("stages %v ending at %d, want encode,train ending at %d", stages, last, opt.Trees)
	}

	ctx, cancel := context.WithCancel(context.Background())
	opt.Progress = func(stage string, done, total int) {
		if stage == "train" && done == 2 {
			cancel()
		}
	}
	if _, err := Train(ctx, ex, opt); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled training: err = %v, want context.Canceled", err)
	}
}

func TestScoreHandlesUnseenAndOddDeclarations(t *testing.T) {
	m := mustTrain(t, syntheticExamples(1000, 6), smallOptions)
	base := *syntheticExamples(1, 7)[0].Decl
	odd := map[string]func(d *crossguard.Declaration){
		"unseen office and HS code": func(d *crossguard.Declaration) { d.OfficeID = "999"; d.HS6Code = "999999" },
		"empty codes":               func(d *crossguard.Declaration) { *d = crossguard.Declaration{DeclarationID: "x"} },
		"zero mass":                 func(d *crossguard.Declaration) { d.NetMass = 0 },
		"short HS code":             func(d *crossguard.Declaration) { d.HS6Code = "85" },
		"letters in HS code":        func(d *crossguard.Declaration) { d.HS6Code = "85AB12" },
		"negative and infinite":     func(d *crossguard.Declaration) { d.NetMass = -1; d.ItemPrice = math.Inf(1); d.TaxRate = math.NaN() },
	}
	for name, change := range odd {
		t.Run(name, func(t *testing.T) {
			d := base
			change(&d)
			s := m.Score(&d)
			if !(s >= 0 && s <= 1) {
				t.Fatalf("score %v, want a probability", s)
			}
			es, why := m.Explain(&d, 5)
			if es != s {
				t.Errorf("Explain's score %v differs from Score's %v", es, s)
			}
			for _, c := range why {
				if !strings.HasPrefix(c.Value, c.Feature+"=") {
					t.Errorf("value %q does not describe feature %q", c.Value, c.Feature)
				}
			}
		})
	}
}

func TestScoreDoesNotAllocate(t *testing.T) {
	m := mustTrain(t, syntheticExamples(500, 8), smallOptions)
	d := syntheticExamples(1, 9)[0].Decl
	if n := testing.AllocsPerRun(100, func() { m.Score(d) }); n != 0 {
		t.Errorf("Score allocates %v times per call, want 0", n)
	}
}

func TestExplainRanksContributions(t *testing.T) {
	m := mustTrain(t, syntheticExamples(1500, 10), smallOptions)
	for _, e := range syntheticExamples(30, 11) {
		score, all := m.Explain(e.Decl, 1000)
		logit := math.Log(score / (1 - score))
		sum := 0.0
		for i, c := range all {
			sum += c.Contribution
			if i > 0 && math.Abs(c.Contribution) > math.Abs(all[i-1].Contribution) {
				t.Fatalf("contributions out of order: %+v", all)
			}
		}
		// The contributions and the bias (the same for every declaration)
		// add up to the log-odds: check through a second declaration.
		bias := logit - sum
		score2, all2 := m.Explain(syntheticExamples(1, 12)[0].Decl, 1000)
		sum2 := 0.0
		for _, c := range all2 {
			sum2 += c.Contribution
		}
		if got := math.Log(score2/(1-score2)) - sum2; math.Abs(got-bias) > 1e-6 {
			t.Fatalf("bias %v for one declaration and %v for another", bias, got)
		}
		if _, top := m.Explain(e.Decl, 2); len(top) != min(2, len(all)) || (len(top) > 0 && top[0] != all[0]) {
			t.Fatalf("top 2 %+v is not the head of %+v", top, all)
		}
	}
	if _, none := m.Explain(syntheticExamples(1, 13)[0].Decl, 0); len(none) != 0 {
		t.Errorf("k = 0 gave %d contributions", len(none))
	}
	if _, none := m.Explain(syntheticExamples(1, 13)[0].Decl, -1); len(none) != 0 {
		t.Errorf("k = -1 gave %d contributions", len(none))
	}
}

func TestInfo(t *testing.T) {
	ex := syntheticExamples(800, 14)
	m := mustTrain(t, ex, smallOptions)
	info := m.Info()
	if info["trees"] != smallOptions.Trees || info["trained_rows"] != len(ex) || info["seed"] != int64(1) {
		t.Errorf("info %v, want %d trees, %d rows, seed 1", info, smallOptions.Trees, len(ex))
	}
	if d, _ := info["max_depth"].(int); d < 1 || d > smallOptions.MaxDepth {
		t.Errorf("max_depth %v, want 1 to %d", info["max_depth"], smallOptions.MaxDepth)
	}
	if _, ok := info["training_seconds"].(float64); !ok {
		t.Errorf("no training_seconds in %v", info)
	}
	top, _ := info["top_features"].([]FeatureGain)
	if len(top) == 0 || !strings.Contains(top[0].Feature, "value_per_kg") && !strings.Contains(top[0].Feature, "item_price") {
		t.Errorf("top features %v, want value per kg or price first", top)
	}
}
