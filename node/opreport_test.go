package node_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation/fedtest"
	"crossguard/internal/testnode"
	"crossguard/node"
	"crossguard/storetest"
)

// reportFixture is an operation of three agencies with three warnings,
// five feedback records and three seizures, one of them not linked.
func reportFixture() (*crossguard.Operation, []*crossguard.Warning, []*crossguard.Feedback, []*crossguard.Seizure) {
	day1 := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	day2, day3 := day1.AddDate(0, 0, 1), day1.AddDate(0, 0, 2)
	id := func(i int) string { return storetest.SeizureID(1000+i, day1) }
	op := &crossguard.Operation{Header: crossguard.Header{ID: id(0), Origin: "pk-customs/sost"}, Name: "Fixture",
		Participants: []string{"af-customs", "pk-customs", "tj-customs"}, StartsAt: day1, EndsAt: day3.AddDate(0, 0, 10)}
	all := op.Participants
	warn := func(i int, origin string, at time.Time, recipients []string) *crossguard.Warning {
		return &crossguard.Warning{Header: crossguard.Header{ID: id(i), Origin: origin, CreatedAt: at, Recipients: recipients}, Operation: op.ID}
	}
	ws := []*crossguard.Warning{
		warn(1, "pk-customs/sost", day1.Add(10*time.Hour), all),
		warn(2, "pk-customs/sost", day1.Add(12*time.Hour), []string{"af-customs"}),
		warn(3, "af-customs/islam-qala", day2.Add(9*time.Hour), all),
	}
	fb := func(i int, origin string, at time.Time, warning int, result, seizure string) *crossguard.Feedback {
		return &crossguard.Feedback{Header: crossguard.Header{ID: id(i), Origin: origin, CreatedAt: at},
			Warning: id(warning), Operation: op.ID, Result: result, SeizureID: seizure}
	}
	s1, s2, s3 := id(21), id(22), id(23)
	fs := []*crossguard.Feedback{
		fb(11, "af-customs/islam-qala", day1.Add(12*time.Hour), 1, crossguard.FeedbackNotSeen, ""),
		fb(12, "af-customs/islam-qala", day2.Add(10*time.Hour), 1, crossguard.FeedbackSeized, s1),
		fb(13, "tj-customs/dushanbe", day2.Add(11*time.Hour), 1, crossguard.FeedbackInspectedNothingFound, ""),
		fb(14, "pk-customs/sost", day2.Add(13*time.Hour), 3, crossguard.FeedbackSeized, s2),
		fb(15, "tj-customs/dushanbe", day3.Add(8*time.Hour), 99, crossguard.FeedbackNotSeen, ""), // on a warning not held
	}
	seizure := func(id string, goods ...crossguard.Goods) *crossguard.Seizure {
		return &crossguard.Seizure{Header: crossguard.Header{ID: id}, Goods: goods}
	}
	ss := []*crossguard.Seizure{
		seizure(s1, crossguard.Goods{Category: "narcotics", Quantity: 12.5, Unit: "kg"}, crossguard.Goods{Category: "precursors", Quantity: 3, Unit: "l"}),
		seizure(s2, crossguard.Goods{Category: "narcotics", Quantity: 2.5, Unit: "kg"}, crossguard.Goods{Category: "narcotics", Quantity: 100, Unit: "tablets"}),
		seizure(s3, crossguard.Goods{Category: "weapons", Quantity: 1, Unit: "pieces"}), // not linked
	}
	return op, ws, fs, ss
}

func TestBuildOperationReport(t *testing.T) {
	op, ws, fs, ss := reportFixture()
	r := node.BuildOperationReport(op, ws, fs, ss)
	want := &node.OperationReport{Operation: op.ID, Name: "Fixture", Participants: op.Participants, StartsAt: op.StartsAt, EndsAt: op.EndsAt,
		Warnings: 3, Feedback: 5, Answered: 2, Hits: 2, Seizures: 2, FeedbackRate: 0.6667, HitRate: 0.6667,
		MedianHoursToFeedback: 3, MeanHoursToFeedback: 3,
		Agencies: []node.AgencyTally{
			{Agency: "af-customs", WarningsSent: 1, WarningsReceived: 2, FeedbackGiven: 2, FeedbackReceived: 1, Hits: 1},
			{Agency: "pk-customs", WarningsSent: 2, WarningsReceived: 1, FeedbackGiven: 1, FeedbackReceived: 3, Hits: 1},
			{Agency: "tj-customs", WarningsReceived: 2, FeedbackGiven: 2},
		},
		Days: []node.DayTally{
			{Date: "2026-11-20", Warnings: 2, Feedback: 1},
			{Date: "2026-11-21", Warnings: 1, Feedback: 3, Hits: 2},
			{Date: "2026-11-22", Feedback: 1},
		},
		Categories: []node.CategoryTally{
			{Category: "narcotics", Seizures: 2, Quantities: []node.Quantity{{Unit: "kg", Amount: 15}, {Unit: "tablets", Amount: 100}}},
			{Category: "precursors", Seizures: 1, Quantities: []node.Quantity{{Unit: "l", Amount: 3}}},
		},
	}
	if !reflect.DeepEqual(r, want) {
		got, _ := json.MarshalIndent(r, "", " ")
		t.Fatalf("report =\n%s", got)
	}

	// The same records in any order give the same report.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		rng.Shuffle(len(ws), func(i, j int) { ws[i], ws[j] = ws[j], ws[i] })
		rng.Shuffle(len(fs), func(i, j int) { fs[i], fs[j] = fs[j], fs[i] })
		rng.Shuffle(len(ss), func(i, j int) { ss[i], ss[j] = ss[j], ss[i] })
		if again := node.BuildOperationReport(op, ws, fs, ss); !reflect.DeepEqual(again, want) {
			t.Fatalf("report of shuffled records differs: %+v", again)
		}
	}

	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"warnings", "feedback", "hits", "seizures", "feedback_rate", "hit_rate", "agencies", "days", "categories"} {
		if _, ok := top[k]; !ok {
			t.Errorf("report JSON lacks top-level %q: %s", k, b)
		}
	}

	empty := node.BuildOperationReport(op, nil, nil, nil)
	if empty.Warnings != 0 || empty.FeedbackRate != 0 || len(empty.Agencies) != 3 || empty.Days == nil || empty.Categories == nil {
		t.Fatalf("report of an operation without records = %+v", empty)
	}
}

// nodeOn returns the test node over a migrated store.
func nodeOn(t *testing.T, st crossguard.Store) *testnode.Node {
	t.Helper()
	info := crossguard.NodeInfo{ID: "pk-customs/sost", Agency: "pk-customs", Node: "sost", Country: "PK", Name: "Sost", PublicKey: "a2V5", CreatedAt: now}
	if err := st.InitNode(context.Background(), &info); err != nil {
		t.Fatal(err)
	}
	n := testnode.New(info, st, nil)
	n.Clock = crossguard.FixedClock(now)
	return n
}

// TestOperationFlow runs an operation through warning, decision, feedback
// with a seizure and the report, on both databases.
func TestOperationFlow(t *testing.T) {
	for _, backend := range []struct {
		name string
		node func(t *testing.T) *testnode.Node
	}{
		{"sqlite", mustNode},
		{"postgres", func(t *testing.T) *testnode.Node { return nodeOn(t, fedtest.Postgres(t)) }},
	} {
		t.Run(backend.name, func(t *testing.T) {
			n := backend.node(t)
			ctx := context.Background()
			op := mustOperation(t, n)
			w, err := n.CreateWarning(ctx, "officer", op.ID, warning(now.Add(-time.Hour), now.Add(time.Hour)))
			if err != nil {
				t.Fatal(err)
			}
			if rs := decideContainer(t, n, 1); len(rs) != 1 || rs[0].ID != w.ID+"#0" {
				t.Fatalf("warning reasons = %+v", rs)
			}
			s := body(30)
			s.Distribution, s.Recipients, s.Marking = crossguard.DistLocal, nil, amber
			s.Goods = []crossguard.Goods{{Category: "narcotics", HS: "1211", Description: "opium poppy straw", Quantity: 40, Unit: "kg"}}
			own, err := n.CreateSeizure(ctx, "officer", s)
			if err != nil {
				t.Fatal(err)
			}
			n.Clock = crossguard.FixedClock(now.Add(90 * time.Minute))
			if _, err := n.CreateFeedback(ctx, "officer", w.ID, &crossguard.Feedback{Header: crossguard.Header{Marking: amber},
				Result: crossguard.FeedbackSeized, SeizureID: own.ID}); err != nil {
				t.Fatal(err)
			}
			if _, err := n.CreateWarning(ctx, "officer", op.ID, warning(now.Add(time.Hour), now.Add(3*time.Hour))); err != nil {
				t.Fatal(err)
			}
			r, err := n.OperationReport(ctx, "analyst", op.ID)
			if err != nil {
				t.Fatal(err)
			}
			if r.Warnings != 2 || r.Feedback != 1 || r.Hits != 1 || r.Seizures != 1 || r.HitRate != 0.5 || r.MedianHoursToFeedback != 1.5 ||
				len(r.Categories) != 1 || !slices.Equal(r.Categories[0].Quantities, []node.Quantity{{Unit: "kg", Amount: 40}}) {
				t.Fatalf("report = %+v", r)
			}
			if _, err := n.OperationReport(ctx, "analyst", w.ID); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
				t.Fatalf("report of a warning id: %v, want ENOTFOUND", err)
			}
		})
	}
}
