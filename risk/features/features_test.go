package features

import (
	"math"
	"strings"
	"testing"

	"crossguard"
)

// decl makes a declaration of goods hs from country c with a price and a
// mass.
func decl(office, hs, c string, price, mass float64) *crossguard.Declaration {
	return &crossguard.Declaration{
		DeclarationID: "1", Date: "2026-11-27", OfficeID: crossguard.Code(office),
		ProcessType: "B", HS6Code: crossguard.Code(hs), CountryOfOrigin: crossguard.Code(c),
		CountryOfDeparture: crossguard.Code(c), TaxRate: 8, ItemPrice: price, NetMass: mass,
	}
}

// fitted is an encoder fitted on four declarations, the first and the
// last frauds.
func fitted(t *testing.T) *Encoder {
	t.Helper()
	decls := []*crossguard.Declaration{
		decl("30", "851712", "CN", 1000, 10),
		decl("30", "851712", "CN", 3000, 10),
		decl("40", "851790", "VN", 50, 1),
		decl("30", "293911", "CN", 99, 0),
	}
	e, err := Fit(decls, []bool{true, false, false, true})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func index(t *testing.T, name string) int {
	t.Helper()
	for i, n := range Names() {
		if n == name {
			return i
		}
	}
	t.Fatalf("no feature %q in %v", name, Names())
	return -1
}

func TestEncodeKnownDeclaration(t *testing.T) {
	e := fitted(t)
	x := make([]float64, NumFeatures())
	e.Encode(decl("30", "851712", "VN", 2000, 10), x)
	l1p := math.Log1p
	mean6 := (l1p(100) + l1p(300)) / 2
	std6 := math.Sqrt(((l1p(100)-mean6)*(l1p(100)-mean6) + (l1p(300)-mean6)*(l1p(300)-mean6)) / 1)
	mean4 := (l1p(100) + l1p(300) + l1p(50)) / 3
	want := map[string]float64{
		"office_id_rank":            0, // "30" is the most frequent office
		"office_id_count":           3,
		"country_of_origin_rank":    1, // CN (3) before VN (1)
		"country_of_origin_count":   1,
		"hs2":                       85,
		"hs4":                       8517,
		"tax_rate":                  8,
		"log_tax_amount":            l1p(160),
		"log_value_per_kg":          l1p(200),
		"log_value_per_kg_vs_hs6":   l1p(200) - mean6,
		"value_per_kg_z_hs6":        (l1p(200) - mean6) / (std6 + 0.1),
		"log_value_per_kg_vs_hs4":   l1p(200) - mean4,
		"log_item_price":            l1p(2000),
		"log_net_mass_vs_hs6":       0,
		"process_type_rank":         0,
		"courier_id_count":          4, // all four had none
		"mode_of_transport_count":   4,
		"country_of_departure_rank": 1,
	}
	for name, w := range want {
		if got := x[index(t, name)]; math.Abs(got-w) > 1e-12 {
			t.Errorf("%s = %v, want %v", name, got, w)
		}
	}
}

func TestEncodeUnseenAndUndefined(t *testing.T) {
	e := fitted(t)
	x := make([]float64, NumFeatures())
	d := decl("99", "010121", "FR", 10, 0)
	e.Encode(d, x)
	if r, c := x[index(t, "office_id_rank")], x[index(t, "office_id_count")]; !math.IsNaN(r) || c != 0 {
		t.Errorf("unseen office: rank %v count %v, want NaN and 0", r, c)
	}
	for _, name := range []string{"log_value_per_kg", "log_item_price_vs_hs6", "item_price_z_hs4", "log_net_mass_vs_hs4"} {
		if v := x[index(t, name)]; !math.IsNaN(v) {
			t.Errorf("%s = %v, want NaN (no mass, or HS code unseen)", name, v)
		}
	}
	d.HS6Code = "8X"
	e.Encode(d, x)
	if v := x[index(t, "hs2")]; !math.IsNaN(v) {
		t.Errorf("hs2 of %q = %v, want NaN", d.HS6Code, v)
	}
	if v := x[index(t, "hs4")]; !math.IsNaN(v) {
		t.Errorf("hs4 of %q = %v, want NaN", d.HS6Code, v)
	}
	if n := testing.AllocsPerRun(100, func() { e.Encode(d, x) }); n != 0 {
		t.Errorf("Encode allocates %v times, want 0", n)
	}
}

func TestSchema(t *testing.T) {
	if NumFeatures() > MaxFeatures {
		t.Fatalf("%d features, more than MaxFeatures %d", NumFeatures(), MaxFeatures)
	}
	seen := map[string]bool{}
	for i, n := range Names() {
		if n == "" || seen[n] {
			t.Errorf("feature %d has an empty or repeated name %q", i, n)
		}
		seen[n] = true
		if g := GroupOf(i); g < 0 || g >= len(Groups()) {
			t.Errorf("feature %s is in group %d of %d", n, g, len(Groups()))
		}
	}
	// Groups are named as profiles name declaration fields.
	for _, g := range Groups() {
		if _, ok := crossguard.LookupDeclarationField(g); !ok {
			t.Errorf("group %q is not a declaration field", g)
		}
	}
}

func TestDescribe(t *testing.T) {
	e := fitted(t)
	group := func(name string) int {
		for i, g := range Groups() {
			if g == name {
				return i
			}
		}
		t.Fatalf("no group %q", name)
		return -1
	}
	d := decl("30", "851712", "KR", 2000, 10)
	cases := map[string]string{
		"office_id":         "office_id=30 (past fraud rate 0.67 over 3)",
		"country_of_origin": "country_of_origin=KR (not seen in training)",
		"courier_id":        "courier_id=(none) (past fraud rate 0.50 over 4)",
		"value_per_kg":      "value_per_kg=200 (HS6 851712 usual: 173)",
		"item_price":        "item_price=2000 (HS6 851712 usual: 1732)",
		"hs4":               "hs4=8517",
		"tax_amount":        "tax_amount=160",
	}
	for g, want := range cases {
		if got := e.Describe(d, group(g)); got != want {
			t.Errorf("Describe(%s) = %q, want %q", g, got, want)
		}
	}
	d.HS6Code = "010121"
	if got := e.Describe(d, group("net_mass")); !strings.Contains(got, "not seen in training") {
		t.Errorf("net mass of unseen goods: %q", got)
	}
	if got := e.Describe(d, -1) + e.Describe(d, len(Groups())); got != "" {
		t.Errorf("groups out of range described as %q", got)
	}
}

func TestInitRefusesInconsistentEncoders(t *testing.T) {
	cases := []struct {
		name   string
		change func(e *Encoder)
		want   string
	}{
		{"missing vocabulary", func(e *Encoder) { e.Vocabs = e.Vocabs[1:] }, "vocabularies"},
		{"wrong field", func(e *Encoder) { e.Vocabs[0].Field = "importer_id" }, `is of "importer_id"`},
		{"repeated value", func(e *Encoder) {
			v := &e.Vocabs[0]
			v.Categories = append(v.Categories, v.Categories[0])
		}, "appears twice"},
		{"more frauds than declarations", func(e *Encoder) { e.Vocabs[0].Categories[0].Frauds = 9 }, "9 frauds of 3"},
		{"missing HS level", func(e *Encoder) { e.HS = e.HS[:1] }, "HS statistics at 1 levels"},
		{"repeated HS code", func(e *Encoder) { e.HS[0] = append(e.HS[0], e.HS[0][0]) }, "appears twice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := fitted(t)
			c.change(e)
			if err := e.Init(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want one containing %q", err, c.want)
			}
		})
	}
	if _, err := Fit([]*crossguard.Declaration{decl("1", "851712", "CN", 1, 1)}, nil); err == nil {
		t.Error("Fit accepted one declaration with no label")
	}
}
