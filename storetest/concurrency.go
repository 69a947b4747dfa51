package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"crossguard"
)

// testConcurrency checks that concurrent writers leave one verifying audit
// chain and gap-free change sequence numbers.
func testConcurrency(t *testing.T, open Opener) {
	t.Run("concurrent writers", func(t *testing.T) {
		s := fresh(t, open)
		const writers, batches, batchSize, appends = 8, 6, 5, 6
		const records = writers * batches * batchSize
		const updates = writers * batches
		all := NewSeizures(0, records, T0, time.Minute)
		var wg sync.WaitGroup
		errs := make(chan error, writers*3)
		for w := range writers {
			wg.Go(func() {
				for b := range batches {
					first := (w*batches + b) * batchSize
					items := all[first : first+batchSize]
					if err := s.CreateSeizures(t.Context(), fmt.Sprintf("writer%d", w), items, nil); err != nil {
						errs <- fmt.Errorf("writer %d: CreateSeizures: %w", w, err)
						return
					}
					upd := clone(items[0])
					upd.Version = 2
					if err := s.UpdateSeizure(t.Context(), fmt.Sprintf("writer%d", w), upd); err != nil {
						errs <- fmt.Errorf("writer %d: UpdateSeizure: %w", w, err)
						return
					}
				}
				for a := range appends {
					e := &crossguard.AuditEntry{At: T0.Add(time.Duration(a) * time.Millisecond), Actor: fmt.Sprintf("writer%d", w),
						Action: crossguard.ActionSeizureRead, Outcome: crossguard.OutcomeOK}
					if err := s.AppendAudit(t.Context(), e); err != nil {
						errs <- fmt.Errorf("writer %d: AppendAudit: %w", w, err)
						return
					}
				}
			})
		}
		// Readers run alongside the writers.
		for range 2 {
			wg.Go(func() {
				for range 20 {
					if _, err := s.ListSeizures(t.Context(), crossguard.SeizureFilter{Limit: 20}); err != nil {
						errs <- fmt.Errorf("reader: ListSeizures: %w", err)
						return
					}
					if _, err := s.ListAudit(t.Context(), crossguard.AuditFilter{Limit: 20}); err != nil {
						errs <- fmt.Errorf("reader: ListAudit: %w", err)
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if t.Failed() {
			return
		}
		wantChain(t, s, records+updates+writers*appends)
		// Every record's latest change number is distinct, and together
		// with the superseded ones of the updates they fill 1..n.
		var got []int64
		for _, it := range all {
			got = append(got, changeSeq(t, s, it.ID))
		}
		slices.Sort(got)
		if len(slices.Compact(slices.Clone(got))) != records {
			t.Fatalf("change numbers are not distinct: %v", got)
		}
		if got[len(got)-1] != records+updates {
			t.Fatalf("highest change number %d, want %d", got[len(got)-1], records+updates)
		}
		if n := len(listAll(t, s, crossguard.SeizureFilter{Limit: crossguard.MaxPageSize})); n != records {
			t.Fatalf("list has %d records, want %d", n, records)
		}
	})
	t.Run("concurrent duplicate creates", func(t *testing.T) {
		s := fresh(t, open)
		item := NewSeizure(0, T0)
		var wg sync.WaitGroup
		results := make(chan error, 6)
		for range 6 {
			wg.Go(func() { results <- s.CreateSeizures(t.Context(), actor, []*crossguard.Seizure{clone(item)}, nil) })
		}
		wg.Wait()
		close(results)
		ok := 0
		for err := range results {
			switch crossguard.ErrorCode(err) {
			case "":
				ok++
			case crossguard.ECONFLICT:
			default:
				t.Errorf("CreateSeizures: %v, want success or conflict", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d of 6 concurrent creates of one id succeeded, want 1", ok)
		}
		wantChain(t, s, 1)
		if seq := changeSeq(t, s, item.ID); seq != 1 {
			t.Fatalf("ChangeSeq = %d, want 1", seq)
		}
	})
}
