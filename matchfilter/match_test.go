package matchfilter

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestMatchIsTheIntersection is the property test: for random data, the
// identifiers of the recipient that hit are exactly those it shares with
// the holder's records, each hit's metadata is what the holder's records
// say, and the encoded filter holds no value, nor its hex or base64.
func TestMatchIsTheIntersection(t *testing.T) {
	const holder, recipient = "pk-customs/sost", "cn-customs/khunjerab"
	for seed := range uint64(8) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(seed, 14))
			// A small universe, so that the two sides overlap.
			universe := randomIdentifiers(rnd, 300)
			records := randomRecords(rnd, universe, 200, 4)
			want := aggregate(records)
			data := mustEncode(t, mustFilter(t, holder, recipient, records...))
			f, err := DecodeFilter(data, decodeOpts(holder, recipient))
			if err != nil {
				t.Fatal(err)
			}
			own := universe[rnd.IntN(100):][:150]
			hits, err := Match(f, mustPairKey(t, recipient, holder), own)
			if err != nil {
				t.Fatal(err)
			}
			got := map[Identifier]Hit{}
			for _, h := range hits {
				got[own[h.Identifier]] = h
			}
			intersection := 0
			for i, id := range own {
				e, held := want[id]
				h, hit := got[id]
				if held != hit {
					t.Errorf("%v: held by the holder %v, hit %v", id, held, hit)
				}
				if held {
					intersection++
					w := Hit{Agency: "pk-customs", Type: e.Type, Count: e.Count, FirstMonth: e.FirstMonth,
						LastMonth: e.LastMonth, Category: e.Category, Identifier: i}
					if h != w {
						t.Errorf("%v: hit %+v, want %+v", id, h, w)
					}
				}
			}
			if intersection == 0 || intersection == len(own) {
				t.Fatalf("the random data overlap in %d of %d: the property is not exercised", intersection, len(own))
			}
			for _, id := range universe {
				for _, form := range []string{id.Value, hex.EncodeToString([]byte(id.Value)),
					strings.ToUpper(hex.EncodeToString([]byte(id.Value))), base64.StdEncoding.EncodeToString([]byte(id.Value)),
					base64.RawURLEncoding.EncodeToString([]byte(id.Value))} {
					if strings.Contains(string(data), form) {
						t.Fatalf("the filter holds %q, a form of the value %q", form, id.Value)
					}
				}
			}
		})
	}
}

// randomRecords returns n random records, each with 1 to maxIDs
// identifiers drawn from universe (sometimes the same one twice).
func randomRecords(rnd *rand.Rand, universe []Identifier, n, maxIDs int) []Record {
	records := make([]Record, 0, n)
	for range n {
		r := Record{Month: fmt.Sprintf("%04d-%02d", 2020+rnd.IntN(6), 1+rnd.IntN(12)),
			Category: testVocab.Categories[rnd.IntN(len(testVocab.Categories))]}
		for range 1 + rnd.IntN(maxIDs) {
			r.Identifiers = append(r.Identifiers, universe[rnd.IntN(len(universe))])
		}
		records = append(records, r)
	}
	return records
}

// aggregate returns what records say of each identifier they carry,
// computed plainly: the records that carry it, counted once each, the
// first and last month, and the category of the latest record (the first
// in the vocabulary among those of that month).
func aggregate(records []Record) map[Identifier]Entry {
	want := map[Identifier]Entry{}
	for _, r := range records {
		seen := map[Identifier]bool{}
		for _, id := range r.Identifiers {
			if seen[id] {
				continue
			}
			seen[id] = true
			e, ok := want[id]
			switch {
			case !ok:
				e = Entry{Type: id.Type, FirstMonth: r.Month, LastMonth: r.Month, Category: r.Category}
			case r.Month > e.LastMonth || r.Month == e.LastMonth && slices.Index(testVocab.Categories, r.Category) < slices.Index(testVocab.Categories, e.Category):
				e.LastMonth, e.Category = r.Month, r.Category
			}
			e.FirstMonth = min(e.FirstMonth, r.Month)
			e.Count++
			want[id] = e
		}
	}
	return want
}

// randomIdentifiers returns n distinct random identifiers of the test
// vocabulary's types, with values of 8 to 12 characters.
func randomIdentifiers(rnd *rand.Rand, n int) []Identifier {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	seen := map[Identifier]bool{}
	var out []Identifier
	for len(out) < n {
		v := make([]byte, 8+rnd.IntN(5))
		for i := range v {
			v[i] = alphabet[rnd.IntN(len(alphabet))]
		}
		id := Identifier{Type: testVocab.Types[rnd.IntN(len(testVocab.Types))], Value: string(v)}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// TestMatchSeveralPartners checks that a Matcher names each partner's
// agency, and that the same value of another type does not hit.
func TestMatchSeveralPartners(t *testing.T) {
	const me = "cn-customs/khunjerab"
	sost := mustFilter(t, "pk-customs/sost", me, rec("2025-03", "tobacco", "container", "MSCU1234565"))
	torkham := mustFilter(t, "af-customs/torkham", me, rec("2024-02", "narcotics", "container", "MSCU1234565", "plate", "AF:KBL123"))
	m, err := NewMatcher(Partner{mustPairKey(t, me, "pk-customs/sost"), sost}, Partner{mustPairKey(t, me, "af-customs/torkham"), torkham})
	if err != nil {
		t.Fatal(err)
	}
	got := m.Match([]Identifier{{"plate", "MSCU1234565"}, {"container", "MSCU1234565"}, {"plate", "AF:KBL123"}})
	want := []Hit{
		{Agency: "pk-customs", Type: "container", Count: 1, FirstMonth: "2025-03", LastMonth: "2025-03", Category: "tobacco", Identifier: 1},
		{Agency: "af-customs", Type: "container", Count: 1, FirstMonth: "2024-02", LastMonth: "2024-02", Category: "narcotics", Identifier: 1},
		{Agency: "af-customs", Type: "plate", Count: 1, FirstMonth: "2024-02", LastMonth: "2024-02", Category: "narcotics", Identifier: 2},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("hits\n%+v\nwant\n%+v", got, want)
	}
}

// TestMatchThirdNodeLearnsNothing checks that a filter matches only under
// its pair's key: a third node's keys with either node find nothing, and
// a Matcher refuses a key of another pair.
func TestMatchThirdNodeLearnsNothing(t *testing.T) {
	const a, b, c = "pk-customs/sost", "cn-customs/khunjerab", "af-customs/torkham"
	id := Identifier{"container", "MSCU1234565"}
	f := mustFilter(t, a, b, rec("2025-03", "tobacco", id.Type, id.Value))
	for _, k := range []PairKey{mustPairKey(t, c, a), mustPairKey(t, c, b)} {
		if _, ok := f.Lookup(NewTagger(k).Tag(id)); ok {
			t.Error("a third node's key finds the identifier")
		}
		if _, err := Match(f, k, []Identifier{id}); !errors.Is(err, ErrWrongPair) {
			t.Errorf("Match with a third node's key: %v, want %v", err, ErrWrongPair)
		}
	}
	if hits, err := Match(f, mustPairKey(t, b, a), []Identifier{id}); err != nil || len(hits) != 1 {
		t.Fatalf("the recipient's own key: %v, %v", hits, err)
	}
}

// TestHitJSON pins a hit's JSON members, those of the identifiers API's
// "hits": no record id, no value.
func TestHitJSON(t *testing.T) {
	b, err := json.Marshal(Hit{Agency: "pk-customs", Type: "container", Count: 2, FirstMonth: "2024-11",
		LastMonth: "2025-03", Category: "tobacco", Identifier: 4})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"agency":"pk-customs","type":"container","count":2,"first_month":"2024-11","last_month":"2025-03","category":"tobacco"}`
	if string(b) != want {
		t.Fatalf("%s\nwant\n%s", b, want)
	}
}
