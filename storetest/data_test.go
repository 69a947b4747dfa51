package storetest

import (
	"slices"
	"testing"
	"time"

	"crossguard"
	"crossguard/refdata"
)

func TestNewSeizureIsValid(t *testing.T) {
	for i := range 5000 {
		s := NewSeizure(i, T0)
		if err := s.Validate(T0); err != nil {
			t.Fatalf("NewSeizure(%d): %v", i, err)
		}
	}
}

func TestGoodsKindsCoverEveryCategory(t *testing.T) {
	lengths := map[int]bool{}
	for _, k := range goodsKinds {
		if err := refdata.CheckHS(k.hs); err != nil {
			t.Errorf("goods kind %s: %v", k.category, err)
		}
		lengths[len(k.hs)] = true
	}
	for _, c := range crossguard.Categories {
		if !slices.ContainsFunc(goodsKinds, func(k goodsKind) bool { return k.category == c }) {
			t.Errorf("no goods kind of category %s", c)
		}
	}
	for _, n := range []int{2, 4, 6, 8} {
		if !lengths[n] {
			t.Errorf("no HS code of %d digits", n)
		}
	}
}

func TestBuildersVary(t *testing.T) {
	categories, countries, common := map[string]bool{}, map[string]bool{}, 0
	ids := map[string]bool{}
	const n = 1000
	for i := range n {
		s := NewSeizure(i, T0)
		countries[s.Country] = true
		for _, g := range s.Goods {
			categories[g.Category] = true
		}
		if slices.Contains(words(s.Narrative), CommonWord) {
			common++
		}
		ids[s.ID] = true
	}
	if len(categories) != len(crossguard.Categories) || len(countries) < 5 {
		t.Errorf("%d categories and %d countries, want all and at least 5", len(categories), len(countries))
	}
	if common < n/4 || common > n*3/4 {
		t.Errorf("%d of %d narratives contain %q, want about half", common, n, CommonWord)
	}
	if len(ids) != n {
		t.Errorf("%d distinct ids of %d", len(ids), n)
	}
	if SeizureID(1, T0) == SeizureID(1, T0.Add(time.Millisecond)) || SeizureID(1, T0) != SeizureID(1, T0.Add(time.Microsecond)) {
		t.Error("SeizureID is not a function of i and the millisecond of at")
	}
}
