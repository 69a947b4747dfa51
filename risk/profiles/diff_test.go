package profiles

import (
	"slices"
	"testing"

	"crossguard"
)

// TestIndexAgreesWithExpr checks that the index selects exactly the
// profiles the expr programs select, in the same order, for every
// declaration of valid.csv over a few thousand random profiles of every
// kind.
func TestIndexAgreesWithExpr(t *testing.T) {
	decls := loadDeclarations(t, validCSV)
	nProfiles := 3000
	if testing.Short() {
		nProfiles, decls = 500, decls[:1000]
	}
	ps := newGenerator(t, 7, true).profiles(t, nProfiles)
	ix, err := Compile(ps)
	if err != nil {
		t.Fatal(err)
	}
	progs, err := compileExpr(ps)
	if err != nil {
		t.Fatal(err)
	}
	em := &exprMatcher{progs: progs}
	var got, want []*crossguard.Profile
	hits, matched := 0, map[string]bool{}
	for _, d := range decls {
		got = ix.Match(got[:0], d, d.Date)
		want, err = em.match(want[:0], d, d.Date)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("declaration %s: index matched %v, expr %v", d.DeclarationID, ids(got), ids(want))
		}
		hits += len(got)
		for _, p := range got {
			matched[p.ID] = true
		}
	}
	// The comparison means something only if profiles do match.
	if hits == 0 || len(matched) < nProfiles/50 {
		t.Fatalf("only %d hits on %d distinct profiles: the generated profiles do not exercise matching", hits, len(matched))
	}
	t.Logf("%d declarations, %d profiles: %d hits on %d distinct profiles", len(decls), len(ps), hits, len(matched))
}

// TestIndexAgreesWithNaive checks the index against the naive evaluator
// with profiles in force on other days, so that validity dates matter.
func TestIndexAgreesWithNaive(t *testing.T) {
	decls := loadDeclarations(t, validCSV)[:2000]
	ps := newGenerator(t, 11, true).profiles(t, 2000)
	if testing.Short() {
		decls = decls[:300]
	}
	ix, err := Compile(ps)
	if err != nil {
		t.Fatal(err)
	}
	days := []string{"2020-05-31", "2020-09-15", "2021-01-01", "2021-02-28", "2022-01-01"}
	var got []*crossguard.Profile
	for i, d := range decls {
		day := days[i%len(days)]
		got = ix.Match(got[:0], d, day)
		var want []*crossguard.Profile
		for _, p := range ps {
			if naiveMatch(p, d, day) {
				want = append(want, p)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("declaration %s on %s: index matched %v, naive %v", d.DeclarationID, day, ids(got), ids(want))
		}
	}
}

func ids(ps []*crossguard.Profile) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}
