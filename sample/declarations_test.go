package sample_test

import (
	"context"
	"errors"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/risk/model"
	"crossguard/sample"
)

var declFrom = time.Date(2025, 11, 27, 0, 0, 0, 0, time.UTC)

func TestDeclarationsAreValid(t *testing.T) {
	ids := map[crossguard.Code]bool{}
	seen := map[string]int{}
	idPattern := regexp.MustCompile(`^[0-9]{8}$`)
	last := ""
	ds := sample.Declarations(5000, 7, declFrom)
	if len(ds) != 5000 {
		t.Fatalf("%d declarations, want 5000", len(ds))
	}
	for i, d := range ds {
		if err := d.Validate(); err != nil {
			t.Fatalf("declaration %d is invalid: %v", i, err)
		}
		if !idPattern.MatchString(string(d.DeclarationID)) {
			t.Errorf("declaration %d: id %q is not 8 digits", i, d.DeclarationID)
		}
		if ids[d.DeclarationID] {
			t.Errorf("declaration %d: id %s given twice", i, d.DeclarationID)
		}
		ids[d.DeclarationID] = true
		if d.Date < last {
			t.Errorf("declaration %d dated %s after one dated %s: declarations must come in date order", i, d.Date, last)
		}
		last = d.Date
		day, _ := time.Parse(time.DateOnly, d.Date)
		if day.Before(declFrom) || !day.Before(declFrom.Add(sample.DeclarationSpan)) {
			t.Errorf("declaration %d dated %s, outside the span after %s", i, d.Date, declFrom.Format(time.DateOnly))
		}
		seen["crossing:"+d.Crossing]++
		seen["hs4:"+d.HSPrefix(4)]++
		for _, id := range d.Identifiers {
			seen["id:"+id.Type]++
			// Generated identifiers carry their country where the type
			// has one, so they pass the full check without the record's.
			if _, err := id.Canonical(""); err != nil {
				t.Errorf("declaration %d: %v", i, err)
			}
		}
		if d.NetMass <= 0 || d.ItemPrice <= 0 {
			t.Errorf("declaration %d: net mass %v, item price %v; both must be positive", i, d.NetMass, d.ItemPrice)
		}
	}
	if n := seen["crossing:"+sample.CrossingSost] + seen["crossing:"+sample.CrossingKhunjerab]; n != len(ds) {
		t.Errorf("%d of %d declarations are at sost or khunjerab; all must be", n, len(ds))
	}
	for _, want := range []string{"crossing:sost", "crossing:khunjerab", "id:container", "id:vehicle_plate",
		"hs4:2939", "hs4:9303", "hs4:2402", "hs4:8471", "hs4:5407", "hs4:0809"} {
		if seen[want] == 0 {
			t.Errorf("no sample declaration has %s", want)
		}
	}
	if seen["id:container"] > len(ds)/2 {
		t.Errorf("%d of %d declarations carry a container; only some should", seen["id:container"], len(ds))
	}
}

func TestDeclarationsAreDeterministic(t *testing.T) {
	a, b := sample.LabelledDeclarations(500, 42, declFrom), sample.LabelledDeclarations(500, 42, declFrom)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with the same seed differ")
	}
	c := sample.LabelledDeclarations(500, 43, declFrom)
	if reflect.DeepEqual(a, c) {
		t.Fatal("two seeds give the same declarations")
	}
	plain := sample.Declarations(500, 42, declFrom)
	for i := range plain {
		if !reflect.DeepEqual(plain[i], a[i].Declaration) {
			t.Fatalf("declaration %d of Declarations differs from that of LabelledDeclarations", i)
		}
	}
}

func TestEachDeclarationStopsAtError(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := sample.EachDeclaration(100, 1, declFrom, func(*crossguard.Declaration, crossguard.Label) error {
		n++
		if n == 10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 10 {
		t.Fatalf("EachDeclaration returned %v after %d declarations, want the callback's error after 10", err, n)
	}
}

// rate is a share of positives.
type rate struct{ pos, all int }

func (r *rate) add(positive bool) {
	r.all++
	if positive {
		r.pos++
	}
}

func (r rate) value() float64 { return float64(r.pos) / float64(max(r.all, 1)) }

func TestLabelsCarryAFraudSignal(t *testing.T) {
	ls := sample.LabelledDeclarations(20000, 5, declFrom)
	// The usual value per kg of each HS code, from the declarations
	// found clean.
	clean := map[crossguard.Code][]float64{}
	for _, l := range ls {
		if !l.Label.Positive() {
			clean[l.Declaration.HS6Code] = append(clean[l.Declaration.HS6Code], l.Declaration.ValuePerKg())
		}
	}
	median := map[crossguard.Code]float64{}
	for hs, v := range clean {
		slices.Sort(v)
		median[hs] = v[len(v)/2]
	}
	var all, cheap, risky, plain rate
	origins := map[string]*rate{"PK": {}, "CN": {}, "AF": {}, "AE": {}}
	for i, l := range ls {
		d, pos := l.Declaration, l.Label.Positive()
		switch {
		case l.Label == crossguard.Label{}:
		case l.Label.Fraud == 1 && (l.Label.Critical == 1 || l.Label.Critical == 2):
		default:
			t.Fatalf("declaration %d has label %+v: a fraud must be critical 1 or 2, a clean one 0", i, l.Label)
		}
		all.add(pos)
		if d.ValuePerKg() < median[d.HS6Code]/3 {
			cheap.add(pos)
		}
		if h := d.HSPrefix(4); h == "2939" || h == "9303" || h == "2402" {
			risky.add(pos)
		} else {
			plain.add(pos)
		}
		if r := origins[string(d.CountryOfOrigin)]; r != nil {
			r.add(pos)
		}
	}
	if v := all.value(); v < 0.15 || v > 0.20 {
		t.Errorf("fraud rate %.3f, want 15%% to 20%%", v)
	}
	if cheap.value() < 3*all.value() {
		t.Errorf("declarations below a third of their goods' usual value per kg are frauds at %.3f, not three times the %.3f of all", cheap.value(), all.value())
	}
	if risky.value() < 2*plain.value() {
		t.Errorf("alkaloids, firearms and cigarettes are frauds at %.3f, not twice the %.3f of other goods", risky.value(), plain.value())
	}
	for _, c := range []string{"AF", "AE"} {
		if origins[c].value() < 1.5*origins["PK"].value() || origins[c].value() < 1.5*origins["CN"].value() {
			t.Errorf("origin %s is fraudulent at %.3f, not well above PK %.3f and CN %.3f", c, origins[c].value(), origins["PK"].value(), origins["CN"].value())
		}
	}
}

// TestAModelLearnsTheSignal trains the risk model on the earlier
// declarations of one crossing and checks that, inspecting the 5% it
// scores highest among the later ones, it finds far more frauds than
// random selection would.
func TestAModelLearnsTheSignal(t *testing.T) {
	var ex []model.Example
	for _, l := range sample.LabelledDeclarations(8000, 11, declFrom) {
		if l.Declaration.Crossing == sample.CrossingSost {
			ex = append(ex, model.Example{Decl: l.Declaration, Label: l.Label})
		}
	}
	cut := len(ex) * 4 / 5
	m, err := model.Train(context.Background(), ex[:cut], model.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var scores []float64
	var pos []bool
	for _, e := range ex[cut:] {
		ids, scores, pos = append(ids, string(e.Decl.DeclarationID)), append(scores, m.Score(e.Decl)), append(pos, e.Label.Positive())
	}
	ev := model.Evaluate(ids, scores, pos)
	base := float64(ev.Positives) / float64(ev.Rows)
	if p := ev.PrecisionAt["5"]; p < 0.6 || p < 3*base {
		t.Errorf("precision at 5%% is %.3f on %d declarations with a fraud rate of %.3f; a model should learn the planted signal", p, ev.Rows, base)
	}
}

func TestDeclarationsNameNoPerson(t *testing.T) {
	// Trader codes are companies' codes, never a person's; check that no
	// text field carries anything but a code.
	code := regexp.MustCompile(`^[A-Z0-9]{1,8}$`)
	for i, d := range sample.Declarations(2000, 3, declFrom) {
		for _, c := range []crossguard.Code{d.DeclarantID, d.ImporterID, d.SellerID, d.OfficeID} {
			if !code.MatchString(string(c)) {
				t.Fatalf("declaration %d has %q where a code belongs", i, c)
			}
		}
		if strings.TrimSpace(string(d.CourierID)) != "" {
			t.Errorf("declaration %d has courier %q: road cargo over the pass has none", i, d.CourierID)
		}
	}
}
