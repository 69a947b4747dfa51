package storetest

import (
	"sync"
	"testing"
	"time"

	"crossguard"
)

// testFedConcurrency checks that pages applied from two peers at once,
// interleaved with local creates of seizures and records, number every
// change 1, 2, 3 ... without gaps or duplicates, and keep one audit chain.
func testFedConcurrency(open Opener) func(t *testing.T) {
	return func(t *testing.T) { fedConcurrency(t, open) }
}

// fedConcurrency is the test of testFedConcurrency.
func fedConcurrency(t *testing.T, open Opener) {
	s := fedFresh(t, open)
	const rounds, perPage = 5, 20
	var wg sync.WaitGroup
	errs := make(chan error, 4*rounds)
	ids := make(chan string, 4*rounds*perPage)
	for w, peer := range []string{PeerA, PeerB} {
		wg.Go(func() {
			for r := range rounds {
				var in []*crossguard.Incoming
				for k := range perPage {
					sz := ForeignSeizure(10000*(w+1)+r*perPage+k, T0.Add(-time.Duration(r*perPage+k)*time.Minute), peer, 1)
					in = append(in, IncomingSeizure(sz))
					ids <- sz.ID
				}
				if _, err := s.ApplyPage(t.Context(), newPage(peer, int64(r+1), in...)); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Go(func() {
		for r := range rounds {
			batch := NewSeizures(r*perPage, perPage, T0.Add(-time.Duration(r)*time.Hour), time.Second)
			for _, it := range batch {
				ids <- it.ID
			}
			if err := s.CreateSeizures(t.Context(), actor, batch, nil); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Go(func() {
		for r := range rounds * perPage {
			a := NewAnnotation(50000+r, crossguard.RecordRef{ID: SeizureID(0, T0), Kind: crossguard.KindSeizure, Origin: Origin}, Origin, T0)
			ids <- a.ID
			if err := s.CreateRecord(t.Context(), actor, RecordOf(a)); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	close(ids)
	for err := range errs {
		t.Fatalf("concurrent write: %v", err)
	}
	var want []string
	for id := range ids {
		want = append(want, id)
	}
	wantNewChanges(t, s, 0, want...)
	wantChain(t, s, 3+2*rounds+rounds*perPage+rounds*perPage)
}
