package matchfilter

import (
	"bytes"
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestTagKnownAnswer pins the tag of one identifier under the pair key of
// TestDerivePairKey, computed independently with Python's hmac module.
func TestTagKnownAnswer(t *testing.T) {
	k := mustPairKey(t, "pk-customs/sost", "cn-customs/khunjerab")
	tag := NewTagger(k).Tag(Identifier{Type: "container", Value: "COSU1099521"})
	if got, want := hex.EncodeToString(tag[:]), "e2adfec7b580bcaae0b032a83e653ff6"; got != want {
		t.Fatalf("tag = %s, want %s", got, want)
	}
}

// TestBuilderAggregates checks the metadata of each entry: the records
// that carry the identifier, counted once each, their month range, and the
// category of the latest (the first in the vocabulary among the latest).
func TestBuilderAggregates(t *testing.T) {
	const holder, recipient = "pk-customs/sost", "cn-customs/khunjerab"
	f := mustFilter(t, holder, recipient,
		rec("2025-03", "tobacco", "container", "MSCU1234565", "container", "MSCU1234565", "plate", "PK:LEA1234"),
		rec("2024-11", "narcotics", "container", "MSCU1234565"),
		rec("2025-03", "wildlife", "container", "MSCU1234565", "imo", "9074729"),
		rec("2025-01", "currency", "plate", "PK:LEA1234"),
	)
	want := map[Identifier]Entry{
		{"container", "MSCU1234565"}: {Type: "container", Count: 3, FirstMonth: "2024-11", LastMonth: "2025-03", Category: "tobacco"},
		{"plate", "PK:LEA1234"}:      {Type: "plate", Count: 2, FirstMonth: "2025-01", LastMonth: "2025-03", Category: "tobacco"},
		{"imo", "9074729"}:           {Type: "imo", Count: 1, FirstMonth: "2025-03", LastMonth: "2025-03", Category: "wildlife"},
	}
	if f.Len() != len(want) {
		t.Fatalf("%d entries, want %d", f.Len(), len(want))
	}
	tagger := NewTagger(mustPairKey(t, recipient, holder))
	for id, w := range want {
		got, ok := f.Lookup(tagger.Tag(id))
		w.Tag = tagger.Tag(id)
		if !ok || got != w {
			t.Errorf("%v: got %+v (found %v), want %+v", id, got, ok, w)
		}
	}
	if _, ok := f.Lookup(tagger.Tag(Identifier{"container", "TGHU8765432"})); ok {
		t.Error("an identifier no record carries is in the filter")
	}
	for i := 1; i < f.Len(); i++ {
		if bytes.Compare(f.tags[i-1][:], f.tags[i][:]) >= 0 {
			t.Fatal("entries not in increasing tag order")
		}
	}
}

// TestBuilderIndependentOfOrder checks that the same records added in
// another order give the same encoding, byte for byte.
func TestBuilderIndependentOfOrder(t *testing.T) {
	records := []Record{
		rec("2025-03", "tobacco", "container", "MSCU1234565"),
		rec("2025-03", "narcotics", "container", "MSCU1234565"),
		rec("2023-07", "wildlife", "awb", "02012345675", "container", "MSCU1234565"),
	}
	reversed := []Record{records[2], records[1], records[0]}
	a := mustEncode(t, mustFilter(t, "pk-customs/sost", "cn-customs/khunjerab", records...))
	b := mustEncode(t, mustFilter(t, "pk-customs/sost", "cn-customs/khunjerab", reversed...))
	if !bytes.Equal(a, b) {
		t.Fatalf("order changes the encoding:\n%s\n%s", a, b)
	}
}

// TestBuilderRefuses checks the builders and records refused.
func TestBuilderRefuses(t *testing.T) {
	const holder, recipient = "pk-customs/sost", "cn-customs/khunjerab"
	key := mustPairKey(t, holder, recipient)
	builders := []struct {
		name              string
		key               PairKey
		holder, recipient string
		vocab             Vocabulary
		want              string
	}{
		{"key of another pair", mustPairKey(t, holder, "af-customs/torkham"), holder, recipient, testVocab, "not the pair key"},
		{"no key", PairKey{}, holder, recipient, testVocab, "not the pair key"},
		{"holder is recipient", key, holder, holder, testVocab, "both"},
		{"recipient malformed", key, holder, "CN", testVocab, "not AGENCY/NODE"},
		{"type not a token", key, holder, recipient, Vocabulary{Types: []string{"Container"}}, "not a lowercase token"},
		{"category twice", key, holder, recipient, Vocabulary{Categories: []string{"tobacco", "tobacco"}}, "twice"},
	}
	for _, c := range builders {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewBuilder(c.key, c.holder, c.recipient, c.vocab)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one saying %q", err, c.want)
			}
		})
	}
	records := []struct {
		name string
		r    Record
		want string
	}{
		{"month malformed", rec("2025-3", "tobacco", "container", "MSCU1234565"), "not YYYY-MM"},
		{"month 13", rec("2025-13", "tobacco", "container", "MSCU1234565"), "not YYYY-MM"},
		{"month before 1970", rec("1969-12", "tobacco", "container", "MSCU1234565"), "outside"},
		{"month after 7431-04", rec("7431-05", "tobacco", "container", "MSCU1234565"), "outside 1970-01 to 7431-04"},
		{"category unknown", rec("2025-03", "fish", "container", "MSCU1234565"), "category"},
		{"type unknown", rec("2025-03", "tobacco", "passport", "X1234567"), "identifier type"},
		{"value empty", rec("2025-03", "tobacco", "container", ""), "empty"},
	}
	for _, c := range records {
		t.Run(c.name, func(t *testing.T) {
			b, err := NewBuilder(key, holder, recipient, testVocab)
			if err != nil {
				t.Fatal(err)
			}
			err = b.Add(c.r)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one saying %q", err, c.want)
			}
			if f, _ := b.Filter(1, testCreated); f.Len() != 0 {
				t.Fatal("a refused record was counted")
			}
		})
	}
}

// TestBuilderCompacts checks a build long enough for the builder to
// compact many times, with identifiers recurring across compactions,
// against the plain aggregation of the same records.
func TestBuilderCompacts(t *testing.T) {
	const holder, recipient = "pk-customs/sost", "cn-customs/khunjerab"
	rnd := rand.New(rand.NewPCG(3, 14))
	universe := randomIdentifiers(rnd, 30_000)
	records := randomRecords(rnd, universe, 2*minCompact, 3)
	want := aggregate(records)
	f := mustFilter(t, holder, recipient, records...)
	if f.Len() != len(want) {
		t.Fatalf("%d entries, want %d", f.Len(), len(want))
	}
	tagger := NewTagger(mustPairKey(t, recipient, holder))
	for id, w := range want {
		w.Tag = tagger.Tag(id)
		if got, ok := f.Lookup(w.Tag); !ok || got != w {
			t.Fatalf("%v: got %+v (found %v), want %+v", id, got, ok, w)
		}
	}
}
