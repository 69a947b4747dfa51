package storetest

import (
	"testing"
	"time"

	"crossguard"
)

// testSearch checks the full-text filter: every word must match, in goods
// descriptions or narrative, whatever punctuation the query holds.
func testSearch(t *testing.T, open Opener) {
	s := open(t)
	mk := func(i int, narrative string, descriptions ...string) *crossguard.Seizure {
		it := NewSeizure(i, T0.Add(-time.Duration(i)*time.Hour))
		it.Narrative = narrative
		it.Goods = it.Goods[:1]
		it.Goods[0].Description = descriptions[0]
		for _, d := range descriptions[1:] {
			g := it.Goods[0]
			g.Description = d
			it.Goods = append(it.Goods, g)
		}
		return it
	}
	truck := mk(1, "Hidden in the fuel tank of a truck.", "Heroin powder")
	narr := mk(2, "Traces of heroin were found on the cigarette cartons.", "Cigarettes without tax stamps")
	both := mk(3, "Driver's cabin, false floor; heroin and opium.", "brown heroin", "raw opium")
	bus := mk(4, "Passenger bus from Kabul.", "Tramadol tablets")
	mustCreate(t, s, truck, narr, both, bus)

	cases := []struct {
		name  string
		query string
		want  []*crossguard.Seizure
	}{
		{"word in goods description", "powder", []*crossguard.Seizure{truck}},
		{"word in narrative", "truck", []*crossguard.Seizure{truck}},
		{"word in either", "heroin", []*crossguard.Seizure{truck, narr, both}},
		{"every word must match", "heroin truck", []*crossguard.Seizure{truck}},
		{"words across description and narrative", "powder fuel", []*crossguard.Seizure{truck}},
		{"words across goods lines", "brown raw", []*crossguard.Seizure{both}},
		{"case does not matter", "HEROIN TrUcK", []*crossguard.Seizure{truck}},
		{"word order does not matter", "truck heroin", []*crossguard.Seizure{truck}},
		{"repeated word", "heroin heroin", []*crossguard.Seizure{truck, narr, both}},
		{"extra spaces", "  heroin \t truck  ", []*crossguard.Seizure{truck}},
		{"no prefix matching", "hero", nil},
		{"no stemming", "trucks", nil},
		{"unknown word", "spaceship", nil},
		{"one unknown word", "heroin spaceship", nil},
		{"trailing punctuation", "truck.", []*crossguard.Seizure{truck}},
		{"comma between words", "heroin,truck", []*crossguard.Seizure{truck}},
		{"double quote", `"heroin`, []*crossguard.Seizure{truck, narr, both}},
		{"balanced quotes", `"heroin truck"`, []*crossguard.Seizure{truck}},
		{"parentheses", "(heroin) (truck)", []*crossguard.Seizure{truck}},
		{"star", "heroin*", []*crossguard.Seizure{truck, narr, both}},
		{"caret and plus", "^heroin +truck", []*crossguard.Seizure{truck}},
		{"colon", "narrative:heroin", nil},
		{"minus", "-heroin", []*crossguard.Seizure{truck, narr, both}},
		{"operators are words", "heroin AND truck", nil},
		{"or is a word", "heroin OR truck", nil},
		{"not is a word", "NOT heroin", nil},
		{"near is a word", "NEAR(heroin truck)", nil},
		{"sql quote", "heroin' OR '1'='1", nil},
		{"backslash", `heroin\ truck\`, []*crossguard.Seizure{truck}},
		{"semicolon", "heroin; DROP TABLE seizures; --", nil},
		{"apostrophe inside a word", "driver's", []*crossguard.Seizure{both}},
		{"only punctuation", `!!! ... --- "" ' * ( ) : ^`, nil},
		{"non-Latin script", "海洛因", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			page, err := s.ListSeizures(t.Context(), crossguard.SeizureFilter{Query: c.query})
			if err != nil {
				t.Fatalf("ListSeizures(query %q): %v", c.query, err)
			}
			if page.Items == nil {
				t.Fatalf("ListSeizures(query %q): Items is nil", c.query)
			}
			wantIDs(t, "query "+c.query, idsOf(page.Items), idsOf(c.want))
		})
	}
	t.Run("follows updates and deletes", func(t *testing.T) {
		s := fresh(t, open)
		a, b := mk(1, "found in a truck", "heroin"), mk(2, "found in a truck", "opium")
		mustCreate(t, s, a, b)
		upd := clone(a)
		upd.Version, upd.Narrative, upd.Goods[0].Description = 2, "found in a bus", "cocaine"
		if err := s.UpdateSeizure(t.Context(), actor, upd); err != nil {
			t.Fatalf("UpdateSeizure: %v", err)
		}
		if err := s.DeleteSeizure(t.Context(), actor, b.ID, 0, T0); err != nil {
			t.Fatalf("DeleteSeizure: %v", err)
		}
		for q, want := range map[string][]string{"heroin": nil, "truck": nil, "opium": nil, "cocaine bus": {a.ID}, "found": {a.ID}} {
			wantIDs(t, "query "+q, idsOf(mustList(t, s, crossguard.SeizureFilter{Query: q}).Items), want)
		}
	})
	t.Run("many matches page in order", func(t *testing.T) {
		s := fresh(t, open)
		items := NewSeizures(0, 90, T0, 5*time.Minute)
		for k := range items {
			if k%4 == 3 {
				items[k].OccurredAt = items[k-1].OccurredAt
			}
		}
		mustCreateBatches(t, s, items, 30)
		sortNewestFirst(items)
		f := crossguard.SeizureFilter{Query: CommonWord, Limit: 6}
		want := expected(items, f)
		if len(want) < 20 {
			t.Fatalf("test data: %q matches only %d records", CommonWord, len(want))
		}
		wantIDs(t, "walk", listAll(t, s, f), want)
	})
}
