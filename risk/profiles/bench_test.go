package profiles

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"crossguard"
)

// benchSet is a set of generated profiles compiled both ways.
type benchSet struct {
	ix    *Index
	expr  *exprMatcher
	decls []*crossguard.Declaration
}

var (
	benchMu   sync.Mutex
	benchSets = map[int]*benchSet{}
)

// benchSetOf builds (once per size) n realistic profiles, their index and
// their expr programs, and the declarations of valid.csv.
func benchSetOf(b *testing.B, n int) *benchSet {
	benchMu.Lock()
	defer benchMu.Unlock()
	if s := benchSets[n]; s != nil {
		return s
	}
	ps := newGenerator(b, 42, false).profiles(b, n)
	ix, err := Compile(ps)
	if err != nil {
		b.Fatal(err)
	}
	progs, err := compileExpr(ps)
	if err != nil {
		b.Fatal(err)
	}
	s := &benchSet{ix: ix, expr: &exprMatcher{progs: progs}, decls: loadDeclarations(b, validCSV)}
	benchSets[n] = s
	return s
}

// indexBatch is how many declarations the index matches per iteration,
// so that reading the clock costs little against the work timed.
const indexBatch = 64

// BenchmarkMatch matches the declarations of valid.csv against 100 to
// 100,000 generated profiles with the compiled index and, in the same
// run, with one expr program per profile evaluated in turn. Each
// iteration matches indexBatch declarations with the index and one with
// expr; it reports the time per declaration of each (index-ns/decl,
// expr-ns/decl) and their ratio (speedup), along with the mean number of
// matches per declaration:
//
//	go test -run '^$' -bench BenchmarkMatch ./risk/profiles
func BenchmarkMatch(b *testing.B) {
	for _, n := range []int{100, 1000, 10000, 100000} {
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			s := benchSetOf(b, n)
			dst := make([]*crossguard.Profile, 0, 1024)
			var edst []*crossguard.Profile
			var tIndex, tExpr time.Duration
			var nIndex, nExpr, hits int
			k := 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				for range indexBatch {
					d := s.decls[k%len(s.decls)]
					k++
					dst = s.ix.Match(dst[:0], d, d.Date)
					hits += len(dst)
				}
				mid := time.Now()
				d := s.decls[i%len(s.decls)]
				var err error
				if edst, err = s.expr.match(edst[:0], d, d.Date); err != nil {
					b.Fatal(err)
				}
				tIndex += mid.Sub(start)
				tExpr += time.Since(mid)
				nIndex += indexBatch
				nExpr++
			}
			ni := float64(tIndex.Nanoseconds()) / float64(nIndex)
			ne := float64(tExpr.Nanoseconds()) / float64(nExpr)
			b.ReportMetric(ni, "index-ns/decl")
			b.ReportMetric(ne, "expr-ns/decl")
			b.ReportMetric(ne/ni, "speedup")
			b.ReportMetric(float64(hits)/float64(nIndex), "matches/decl")
		})
	}
}

// BenchmarkIndexMatch times the index alone, for allocation counts and
// profiling.
func BenchmarkIndexMatch(b *testing.B) {
	for _, n := range []int{100, 1000, 10000, 100000} {
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			s := benchSetOf(b, n)
			dst := make([]*crossguard.Profile, 0, 4096)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				d := s.decls[i%len(s.decls)]
				dst = s.ix.Match(dst[:0], d, d.Date)
			}
		})
	}
}

// BenchmarkCompile times checking and indexing 10,000 profiles.
func BenchmarkCompile(b *testing.B) {
	ps := newGenerator(b, 42, false).profiles(b, 10000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Compile(ps); err != nil {
			b.Fatal(err)
		}
	}
}
