package profiles

import (
	"slices"
	"sync"
	"testing"

	"crossguard"
)

// TestMatchOps checks every operator on text, number and derived fields
// against sampleDeclaration, through the index and the naive evaluator.
func TestMatchOps(t *testing.T) {
	tests := []struct {
		name  string
		conds []string
		want  bool
	}{
		{"text eq", []string{`{"field":"importer_id","op":"eq","value":"IMP1"}`}, true},
		{"text eq other", []string{`{"field":"importer_id","op":"eq","value":"IMP2"}`}, false},
		{"text eq number", []string{`{"field":"office_id","op":"eq","value":30}`}, true},
		{"text eq number as written", []string{`{"field":"office_id","op":"eq","value":30.0}`}, false},
		{"text in", []string{`{"field":"country_of_origin","op":"in","value":["AF","PK"]}`}, true},
		{"text in other", []string{`{"field":"country_of_origin","op":"in","value":["AF","IR"]}`}, false},
		{"text in large", []string{`{"field":"seller_id","op":"in","value":["S1","S2","S3","S4","S5","S6","S7","S8","S9","SEL1"]}`}, true},
		{"text in large other", []string{`{"field":"seller_id","op":"in","value":["S1","S2","S3","S4","S5","S6","S7","S8","S9","SEL2"]}`}, false},
		{"text in numbers", []string{`{"field":"office_id","op":"in","value":[20,30]}`}, true},
		{"hs prefix", []string{`{"field":"hs6_code","op":"prefix","value":"2939"}`}, true},
		{"hs prefix whole", []string{`{"field":"hs6_code","op":"prefix","value":"293911"}`}, true},
		{"hs prefix other", []string{`{"field":"hs6_code","op":"prefix","value":"2940"}`}, false},
		{"text prefix", []string{`{"field":"crossing","op":"prefix","value":"tork"}`}, true},
		{"date prefix", []string{`{"field":"date","op":"prefix","value":"2021-02"}`}, true},
		{"date eq", []string{`{"field":"date","op":"eq","value":"2021-02-16"}`}, false},
		{"hs2 eq", []string{`{"field":"hs2","op":"eq","value":"29"}`}, true},
		{"hs4 in", []string{`{"field":"hs4","op":"in","value":["2939","2940"]}`}, true},
		{"hs4 prefix", []string{`{"field":"hs4","op":"prefix","value":"294"}`}, false},
		{"empty departure", []string{`{"field":"country_of_departure","op":"eq","value":""}`}, false},
		{"empty courier", []string{`{"field":"courier_id","op":"eq","value":""}`}, true},
		{"number eq", []string{`{"field":"net_mass","op":"eq","value":10}`}, true},
		{"number eq other", []string{`{"field":"net_mass","op":"eq","value":10.5}`}, false},
		{"number in", []string{`{"field":"tax_rate","op":"in","value":[0,5,8]}`}, true},
		{"number in large", []string{`{"field":"item_price","op":"in","value":[1,2,3,4,5,6,7,8,9,400]}`}, true},
		{"number in other", []string{`{"field":"tax_rate","op":"in","value":[0,8]}`}, false},
		{"lt below", []string{`{"field":"net_mass","op":"lt","value":11}`}, true},
		{"lt at", []string{`{"field":"net_mass","op":"lt","value":10}`}, false},
		{"le at", []string{`{"field":"net_mass","op":"le","value":10}`}, true},
		{"le below", []string{`{"field":"net_mass","op":"le","value":9.99}`}, false},
		{"gt above", []string{`{"field":"net_mass","op":"gt","value":9}`}, true},
		{"gt at", []string{`{"field":"net_mass","op":"gt","value":10}`}, false},
		{"ge at", []string{`{"field":"net_mass","op":"ge","value":10}`}, true},
		{"ge above", []string{`{"field":"net_mass","op":"ge","value":10.01}`}, false},
		{"between inside", []string{`{"field":"item_price","op":"between","value":[100,500]}`}, true},
		{"between at both ends", []string{`{"field":"item_price","op":"between","value":[400,400]}`}, true},
		{"between outside", []string{`{"field":"item_price","op":"between","value":[401,500]}`}, false},
		{"value per kg", []string{`{"field":"value_per_kg","op":"lt","value":50}`}, true},
		{"value per kg at", []string{`{"field":"value_per_kg","op":"eq","value":40}`}, true},
		{"value per kg above", []string{`{"field":"value_per_kg","op":"gt","value":40}`}, false},
		{"tax amount", []string{`{"field":"tax_amount","op":"eq","value":20}`}, true},
		{"weekday", []string{`{"field":"weekday","op":"eq","value":1}`}, true},
		{"weekend", []string{`{"field":"weekday","op":"in","value":[0,6]}`}, false},
		{"month", []string{`{"field":"month","op":"between","value":[1,3]}`}, true},
		{"month after", []string{`{"field":"month","op":"ge","value":3}`}, false},
		{"issue example", []string{`{"field":"hs6_code","op":"prefix","value":"2939"}`, `{"field":"value_per_kg","op":"lt","value":50}`}, true},
		{"issue example, dear", []string{`{"field":"hs6_code","op":"prefix","value":"2939"}`, `{"field":"value_per_kg","op":"lt","value":30}`}, false},
		{"nested prefixes", []string{`{"field":"hs6_code","op":"prefix","value":"29"}`, `{"field":"hs6_code","op":"prefix","value":"29391"}`}, true},
		{"prefix and eq", []string{`{"field":"hs6_code","op":"prefix","value":"29"}`, `{"field":"hs6_code","op":"in","value":["293911","291234"]}`}, true},
		{"lists intersected", []string{`{"field":"country_of_origin","op":"in","value":["PK","AF"]}`, `{"field":"country_of_origin","op":"in","value":["AF","IR"]}`}, false},
		{"range merged", []string{`{"field":"net_mass","op":"gt","value":5}`, `{"field":"net_mass","op":"lt","value":10}`}, false},
		{"range and set", []string{`{"field":"net_mass","op":"in","value":[10,20]}`, `{"field":"net_mass","op":"lt","value":15}`}, true},
		{"four fields", []string{`{"field":"office_id","op":"eq","value":"30"}`, `{"field":"country_of_origin","op":"eq","value":"PK"}`, `{"field":"net_mass","op":"ge","value":5}`, `{"field":"mode_of_transport","op":"in","value":["10","40"]}`}, true},
		{"four fields, one off", []string{`{"field":"office_id","op":"eq","value":"30"}`, `{"field":"country_of_origin","op":"eq","value":"PK"}`, `{"field":"net_mass","op":"ge","value":5}`, `{"field":"mode_of_transport","op":"in","value":["20","40"]}`}, false},
	}
	d := sampleDeclaration()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustProfile(t, "p", 0.5, tt.conds...)
			ix := mustCompile(t, p)
			got := len(ix.Match(nil, d, d.Date)) == 1
			if got != tt.want {
				t.Errorf("index: matched %v, want %v", got, tt.want)
			}
			if naive := naiveMatch(p, d, d.Date); naive != tt.want {
				t.Errorf("naive evaluator: matched %v, want %v (the test is wrong)", naive, tt.want)
			}
		})
	}
}

// TestMatchNoMass checks that value per kg never selects a declaration
// without mass, whatever the comparison.
func TestMatchNoMass(t *testing.T) {
	d := sampleDeclaration()
	d.NetMass = 0
	for _, c := range []string{
		`{"field":"value_per_kg","op":"lt","value":50}`,
		`{"field":"value_per_kg","op":"ge","value":0}`,
		`{"field":"value_per_kg","op":"eq","value":0}`,
		`{"field":"value_per_kg","op":"in","value":[0,40]}`,
		`{"field":"value_per_kg","op":"between","value":[0,1e300]}`,
	} {
		ix := mustCompile(t, mustProfile(t, "p", 0.5, c))
		if got := ix.Match(nil, d, d.Date); len(got) != 0 {
			t.Errorf("%s selected a declaration without mass", c)
		}
	}
}

// TestMatchOrder checks the order of matches: score descending, then id,
// then the order given to Compile.
func TestMatchOrder(t *testing.T) {
	hs := `{"field":"hs6_code","op":"prefix","value":"29"}`
	ps := []*crossguard.Profile{
		mustProfile(t, "b", 0.5, hs),
		mustProfile(t, "c", 0.9, `{"field":"office_id","op":"eq","value":"30"}`),
		mustProfile(t, "a", 0.5, `{"field":"net_mass","op":"gt","value":1}`),
		mustProfile(t, "d", 0.1, `{"field":"tax_rate","op":"eq","value":5}`),
		mustProfile(t, "a", 0.5, `{"field":"country_of_origin","op":"eq","value":"PK"}`),
		mustProfile(t, "e", 1, `{"field":"office_id","op":"eq","value":"31"}`),
	}
	ix := mustCompile(t, ps...)
	if ix.Len() != len(ps) {
		t.Fatalf("Len %d, want %d", ix.Len(), len(ps))
	}
	d := sampleDeclaration()
	got := ix.Match(nil, d, d.Date)
	want := []*crossguard.Profile{ps[1], ps[2], ps[4], ps[0], ps[3]}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", ids(got), ids(want))
	}
	// Match appends to dst.
	pre := &crossguard.Profile{}
	if got := ix.Match([]*crossguard.Profile{pre}, d, d.Date); len(got) != 6 || got[0] != pre {
		t.Fatalf("Match did not append to dst: %v", got)
	}
}

// TestMatchManyHits checks the order when many profiles match (the
// bitmap path of sortHits) against sorting.
func TestMatchManyHits(t *testing.T) {
	var ps []*crossguard.Profile
	conds := []string{
		`{"field":"hs6_code","op":"prefix","value":"29"}`, `{"field":"office_id","op":"in","value":["30","31"]}`,
		`{"field":"net_mass","op":"le","value":10}`, `{"field":"tax_rate","op":"eq","value":5}`,
		`{"field":"office_id","op":"eq","value":"31"}`,
	}
	for i := range 500 {
		ps = append(ps, mustProfile(t, string(rune('a'+i%26))+string(rune('a'+i/26)), float64(i%7)/10, conds[i%len(conds)]))
	}
	ix := mustCompile(t, ps...)
	d := sampleDeclaration()
	got := ix.Match(nil, d, d.Date)
	var want []*crossguard.Profile
	for _, p := range ix.profiles {
		if naiveMatch(p, d, d.Date) {
			want = append(want, p)
		}
	}
	if len(want) != 400 || !slices.Equal(got, want) {
		t.Fatalf("got %d matches, want %d in rank order", len(got), len(want))
	}
}

// TestMatchValidity checks that only profiles in force on the day match.
func TestMatchValidity(t *testing.T) {
	c := `{"field":"office_id","op":"eq","value":"30"}`
	mk := func(id, from, to string) *crossguard.Profile {
		p := mustProfile(t, id, 0.5, c)
		p.ValidFrom, p.ValidTo = from, to
		return p
	}
	ps := []*crossguard.Profile{
		mk("open", "2021-01-01", ""),
		mk("feb", "2021-02-01", "2021-02-28"),
		mk("ends", "2020-01-01", "2021-02-15"),
		mk("starts", "2021-02-15", "2021-03-01"),
		mk("past", "2020-01-01", "2021-02-14"),
		mk("future", "2021-02-16", ""),
		mk("no start", "", ""),
		mk("odd dates", "2021-02-1", "2021-02-15x"),
	}
	ix := mustCompile(t, ps...)
	d := sampleDeclaration()
	for _, day := range []string{"2021-02-15", "2021-02-14", "2021-02-16", "2021-03-02", "2021-2-15", "", "9999-99-99"} {
		got := ix.Match(nil, d, day)
		var want []*crossguard.Profile
		for _, p := range ix.profiles {
			if p.ValidOn(day) {
				want = append(want, p)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("on %q: got %v, want %v", day, ids(got), ids(want))
		}
	}
	got := ix.Match(nil, d, "2021-02-15")
	if len(got) != 6 {
		t.Errorf("on 2021-02-15: got %v, want open, feb, ends, starts, no start, odd dates", ids(got))
	}
}

// TestMatchAnchorsOfEveryKind checks that a set of generated profiles
// uses every kind of anchor, so that the differential tests cover them.
func TestMatchAnchorsOfEveryKind(t *testing.T) {
	ix := mustCompile(t, newGenerator(t, 7, true).profiles(t, 3000)...)
	if len(ix.textEqs) == 0 || len(ix.prefixes) < 2 || len(ix.numEqs) == 0 || len(ix.ranges) == 0 {
		t.Fatalf("anchors: %d text, %d prefix, %d number, %d range fields", len(ix.textEqs), len(ix.prefixes), len(ix.numEqs), len(ix.ranges))
	}
}

// TestMatchConcurrent checks that concurrent matches agree with
// sequential ones (run with -race).
func TestMatchConcurrent(t *testing.T) {
	ps := newGenerator(t, 3, true).profiles(t, 1000)
	ix := mustCompile(t, ps...)
	decls := loadDeclarations(t, validCSV)[:400]
	want := make([][]*crossguard.Profile, len(decls))
	for i, d := range decls {
		want[i] = ix.Match(nil, d, d.Date)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var dst []*crossguard.Profile
			for k := range decls {
				i := (k + w*97) % len(decls)
				dst = ix.Match(dst[:0], decls[i], decls[i].Date)
				if !slices.Equal(dst, want[i]) {
					errs <- string(decls[i].DeclarationID)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for id := range errs {
		t.Errorf("declaration %s matched differently when concurrent", id)
	}
}

// TestMatchDoesNotAllocate checks that matching with room in dst
// allocates nothing.
func TestMatchDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items")
	}
	ix := mustCompile(t, newGenerator(t, 5, true).profiles(t, 2000)...)
	decls := loadDeclarations(t, validCSV)[:200]
	dst := make([]*crossguard.Profile, 0, 2000)
	i := 0
	match := func() {
		d := decls[i%len(decls)]
		i++
		dst = ix.Match(dst[:0], d, d.Date)
	}
	for range len(decls) {
		match()
	}
	if a := testing.AllocsPerRun(len(decls), match); a >= 1 {
		t.Fatalf("%v allocations per match", a)
	}
}

func TestMatchNilDeclaration(t *testing.T) {
	ix := mustCompile(t, mustProfile(t, "p", 0.5, `{"field":"office_id","op":"eq","value":"30"}`))
	if got := ix.Match(nil, nil, "2021-02-15"); len(got) != 0 {
		t.Fatalf("a nil declaration matched %v", ids(got))
	}
}
