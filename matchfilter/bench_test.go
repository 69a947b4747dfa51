package matchfilter

import (
	"fmt"
	"testing"
	"unsafe"
)

// benchRecords returns records carrying n distinct identifiers, three a
// record, of the test vocabulary's types and categories, spread over five
// years.
func benchRecords(n int, prefix string) []Record {
	records := make([]Record, 0, n/3+1)
	for i := 0; i < n; i += 3 {
		r := Record{Month: fmt.Sprintf("%04d-%02d", 2021+i%5, 1+i%12), Category: testVocab.Categories[i%len(testVocab.Categories)]}
		for j := i; j < min(i+3, n); j++ {
			r.Identifiers = append(r.Identifiers, Identifier{Type: testVocab.Types[j%len(testVocab.Types)], Value: fmt.Sprintf("%s%08d", prefix, j)})
		}
		records = append(records, r)
	}
	return records
}

// BenchmarkBuildFilter builds (from deriving the pair key on) and encodes a
// filter of 1,000,000 distinct identifiers, and reports the encoded bytes
// an entry and the bytes an entry takes in memory (tag, metadata and its
// share of the lookup buckets).
func BenchmarkBuildFilter(b *testing.B) {
	const n = 1_000_000
	const holder, recipient = "pk-customs/sost", "cn-customs/khunjerab"
	records := benchRecords(n, "MSCU")
	b.ReportAllocs()
	var size, held int
	for b.Loop() {
		f := mustFilter(b, holder, recipient, records...)
		held = f.Len()*int(unsafe.Sizeof(Tag{})+unsafe.Sizeof(meta{})) + len(f.starts)*int(unsafe.Sizeof(f.starts[0]))
		if f.Len() != n {
			b.Fatalf("%d entries, want %d", f.Len(), n)
		}
		size = len(mustEncode(b, f))
	}
	b.ReportMetric(float64(size)/n, "encoded-bytes/entry")
	b.ReportMetric(float64(held)/n, "held-bytes/entry")
}

// BenchmarkDecodeFilter decodes a filter of 100,000 entries, as a
// recipient does when a partner's filter arrives.
func BenchmarkDecodeFilter(b *testing.B) {
	const holder, recipient = "pk-customs/sost", "cn-customs/khunjerab"
	data := mustEncode(b, mustFilter(b, holder, recipient, benchRecords(100_000, "MSCU")...))
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := DecodeFilter(data, decodeOpts(holder, recipient)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatch matches 10,000 declarations of three identifiers each
// against ten partners' filters of 100,000 entries, about one declaration
// in a hundred hitting, and reports the time a declaration.
func BenchmarkMatch(b *testing.B) {
	const me, declarations = "cn-customs/khunjerab", 10_000
	var partners []Partner
	for p := range 10 {
		holder := fmt.Sprintf("agency-%d/node", p)
		key := mustPairKey(b, me, holder)
		f := mustFilter(b, holder, me, benchRecords(100_000, fmt.Sprintf("P%dX", p))...)
		partners = append(partners, Partner{Key: key, Filter: f})
	}
	m, err := NewMatcher(partners...)
	if err != nil {
		b.Fatal(err)
	}
	own := make([][]Identifier, declarations)
	for i := range own {
		for j := range 3 {
			n := i*3 + j
			v := fmt.Sprintf("OWN%08d", n)
			if n%300 == 0 { // one identifier in 300 is one partner 3 holds
				v = fmt.Sprintf("P3X%08d", n)
			}
			own[i] = append(own[i], Identifier{Type: testVocab.Types[n%len(testVocab.Types)], Value: v})
		}
	}
	b.ReportAllocs()
	hits := 0
	for b.Loop() {
		hits = 0
		for _, ids := range own {
			hits += len(m.Match(ids))
		}
	}
	if hits != declarations*3/300 {
		b.Fatalf("%d hits, want %d", hits, declarations*3/300)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*declarations), "ns/declaration")
}

// BenchmarkTag is the cost of one tag on one core: what an insider holding
// a pair key pays for each candidate value tried (docs/matching.md).
func BenchmarkTag(b *testing.B) {
	t := NewTagger(mustPairKey(b, "pk-customs/sost", "cn-customs/khunjerab"))
	id := Identifier{Type: "container", Value: "MSCU1234565"}
	b.ReportAllocs()
	for b.Loop() {
		t.Tag(id)
	}
}
