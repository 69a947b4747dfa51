package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"crossguard"
)

// seizureCreator is what the create benchmarks need of a store.
type seizureCreator interface {
	CreateSeizures(ctx context.Context, actor string, items []*crossguard.Seizure, progress *crossguard.ImportProgress) error
}

// pageApplier is what the apply benchmark needs of a store.
type pageApplier interface {
	InitNode(ctx context.Context, n *crossguard.NodeInfo) error
	PutPeer(ctx context.Context, actor string, p *crossguard.Peer, at time.Time) error
	ApplyPage(ctx context.Context, p *crossguard.InboundPage) (*crossguard.ApplyResult, error)
}

// declarationSaver is what the declarations benchmark needs of a store.
type declarationSaver interface {
	SaveDeclarations(ctx context.Context, actor string, entries []*crossguard.DeclarationEntry, progress *crossguard.ImportProgress) error
	Close() error
}

// benchStart is when the records of the write benchmarks begin to occur.
var benchStart = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)

// benchBatch is the number of records a write benchmark stores per call.
const benchBatch = 1000

// BenchCreateSeizures measures CreateSeizures in batches of 1000 on a
// growing store, reporting seizures stored per second: with occurred_at
// in the order records arrive at a node (chronological) and in no order
// at all (random), the worst case for every index. If plain is not nil,
// the baseline inserts the same JSON bodies with it.
func BenchCreateSeizures[S seizureCreator](b *testing.B, bs BenchStore[S], plain PlainInsert[S, *crossguard.Seizure]) {
	orders := []struct {
		name string
		at   func(n int) time.Time
	}{
		{"chronological", func(n int) time.Time { return benchStart.Add(time.Duration(n) * time.Minute) }},
		{"random", func(n int) time.Time { return benchStart.Add(time.Duration(n*7919%1000003) * time.Minute) }},
	}
	for _, o := range orders {
		b.Run(o.name, func(b *testing.B) {
			s := bs.Open(b)
			benchSeizureBatches(b, bs.CPU, o.at, func(ctx context.Context, items []*crossguard.Seizure) error {
				return s.CreateSeizures(ctx, "bench", items, nil)
			})
		})
	}
	if plain == nil {
		return
	}
	b.Run("baseline_plain_insert", func(b *testing.B) {
		benchSeizureBatches(b, bs.CPU, orders[0].at, plain(b, bs.Open(b)))
	})
}

// benchSeizureBatches times store on batches of new seizures occurring
// at at(n), built before the timer runs, and reports the rate.
func benchSeizureBatches(b *testing.B, cpu func() time.Duration, at func(n int) time.Time, store func(context.Context, []*crossguard.Seizure) error) {
	meter := cpuMeter{clock: cpu}
	n := 0
	for b.Loop() {
		b.StopTimer()
		items := make([]*crossguard.Seizure, benchBatch)
		for k := range items {
			items[k] = NewSeizure(n, at(n))
			n++
		}
		b.StartTimer()
		if err := meter.measure(func() error { return store(b.Context(), items) }); err != nil {
			b.Fatal(err)
		}
	}
	meter.report(b, n, "seizures")
}

// BenchApplyPage measures ApplyPage with pages of 1000 seizures received
// from a partner on a growing store, in seizures stored per second, to
// compare with BenchCreateSeizures: new records, and newer versions of
// records held (which replace their rows and indexing one by one). The
// pages are built, and the first versions stored, before the timer runs.
func BenchApplyPage[S pageApplier](b *testing.B, bs BenchStore[S]) {
	for _, mode := range []string{"new", "newer_versions"} {
		b.Run(mode, func(b *testing.B) {
			s := bs.Open(b)
			if err := s.InitNode(b.Context(), NewNodeInfo(benchStart)); err != nil {
				b.Fatal(err)
			}
			if err := s.PutPeer(b.Context(), "bench", NewPeer(PeerA, crossguard.RelPartner, benchStart), benchStart); err != nil {
				b.Fatal(err)
			}
			page := func(first int, version int64, cursor int64) *crossguard.InboundPage {
				recs := make([]*crossguard.Incoming, benchBatch)
				for k := range recs {
					n := first + k
					recs[k] = IncomingSeizure(ForeignSeizure(n, benchStart.Add(time.Duration(n)*time.Minute), PeerA, version))
				}
				return &crossguard.InboundPage{Peer: PeerA, Records: recs, Cursor: cursor, RemoteHead: cursor, At: benchStart}
			}
			meter := cpuMeter{clock: bs.CPU}
			n := 0
			for b.Loop() {
				b.StopTimer()
				p := page(n, 1, int64(n+benchBatch))
				if mode == "newer_versions" {
					if _, err := s.ApplyPage(b.Context(), p); err != nil {
						b.Fatal(err)
					}
					p = page(n, 2, int64(n+benchBatch))
				}
				n += benchBatch
				b.StartTimer()
				var res *crossguard.ApplyResult
				err := meter.measure(func() (err error) {
					res, err = s.ApplyPage(b.Context(), p)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
				if res.Applied != benchBatch {
					b.Fatalf("applied %d of %d", res.Applied, benchBatch)
				}
			}
			meter.report(b, n, "seizures")
		})
	}
}

// DeclarationsBenchCSV is the labelled declaration file of the
// declarations benchmark, from the folder of a backend's package.
const DeclarationsBenchCSV = "../testdata/customs-declarations/train.csv"

// BenchSaveDeclarations measures `import declarations` of
// DeclarationsBenchCSV (37,385 labelled declarations) into a new store:
// every row with its inspection, in calls of 1,000 rows and in one call,
// reporting rows stored per second. The baseline inserts the same
// declarations' JSON with plain, in transactions of 1,000 rows. Each
// iteration starts from an empty store, whose opening is not timed.
func BenchSaveDeclarations[S declarationSaver](b *testing.B, bs BenchStore[S], plain PlainInsert[S, *crossguard.DeclarationEntry]) {
	entries, err := ReadDeclarationsCSV(DeclarationsBenchCSV, time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC))
	if err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, prepare func(S) func(context.Context, []*crossguard.DeclarationEntry) error, batch int) {
		meter := cpuMeter{clock: bs.CPU}
		n := 0
		for b.Loop() {
			b.StopTimer()
			s := bs.Open(b)
			store := prepare(s)
			b.StartTimer()
			err := meter.measure(func() error {
				for chunk := range slices.Chunk(entries, batch) {
					if err := store(b.Context(), chunk); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			n += len(entries)
			b.StopTimer()
			s.Close() // at once rather than when the benchmark ends
			b.StartTimer()
		}
		meter.report(b, n, "rows")
	}
	for _, batch := range []int{benchBatch, len(entries)} {
		name := fmt.Sprintf("calls_of_%d", batch)
		if batch == len(entries) {
			name = "one_call"
		}
		b.Run(name, func(b *testing.B) {
			run(b, func(s S) func(context.Context, []*crossguard.DeclarationEntry) error {
				return func(ctx context.Context, chunk []*crossguard.DeclarationEntry) error {
					return s.SaveDeclarations(ctx, "bench", chunk, nil)
				}
			}, batch)
		})
	}
	b.Run("baseline_plain_insert", func(b *testing.B) {
		run(b, func(s S) func(context.Context, []*crossguard.DeclarationEntry) error { return plain(b, s) }, benchBatch)
	})
}
