package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"crossguard"
)

// appendN appends n entries with varied actors, actions and records, one
// second apart from at, and returns them as appended.
func appendN(t *testing.T, s crossguard.Store, n int, at time.Time) []*crossguard.AuditEntry {
	t.Helper()
	actors := []string{"officer.khan", "analyst.ali", "anonymous"}
	actions := []string{crossguard.ActionSeizureRead, crossguard.ActionLoginFailure, crossguard.ActionAccessDenied}
	out := make([]*crossguard.AuditEntry, n)
	for i := range out {
		e := &crossguard.AuditEntry{
			At: at.Add(time.Duration(i) * time.Second), Actor: actors[i%3], Action: actions[i%len(actions)],
			Outcome: crossguard.OutcomeOK,
		}
		if i%2 == 0 {
			e.RecordKind, e.RecordID = crossguard.KindSeizure, SeizureID(i%5, T0)
			e.Detail = crossguard.AuditDetail("origin", "af-customs/torkham")
		}
		if err := s.AppendAudit(t.Context(), e); err != nil {
			t.Fatalf("AppendAudit: %v", err)
		}
		out[i] = e
	}
	return out
}

// listAudit walks every page of f and returns the entries.
func listAudit(t *testing.T, s crossguard.Store, f crossguard.AuditFilter) []*crossguard.AuditEntry {
	t.Helper()
	var out []*crossguard.AuditEntry
	for pages := 0; ; pages++ {
		if pages > 10000 {
			t.Fatalf("ListAudit(%+v): more than 10000 pages", f)
		}
		page, err := s.ListAudit(t.Context(), f)
		if err != nil {
			t.Fatalf("ListAudit(%+v): %v", f, err)
		}
		if page.Items == nil {
			t.Fatalf("ListAudit(%+v): Items is nil", f)
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			return out
		}
		f.Cursor = page.NextCursor
	}
}

// seqs returns the sequence numbers of entries.
func seqs(entries []*crossguard.AuditEntry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = fmt.Sprint(e.Seq)
	}
	return out
}

// testAudit checks the audit log: appending, chaining, lists and walks.
func testAudit(t *testing.T, open Opener) {
	t.Run("append chains entries", func(t *testing.T) {
		s := fresh(t, open)
		if seq, hash, err := s.AuditHead(t.Context()); err != nil || seq != 0 || hash != crossguard.GenesisHash {
			t.Fatalf("AuditHead of an empty log = %d, %q, %v; want 0 and the genesis hash", seq, hash, err)
		}
		at := T0 // nanoseconds are truncated to microseconds by Chain
		prev := crossguard.GenesisHash
		for i := range 3 {
			e := &crossguard.AuditEntry{At: at, Actor: "analyst.ali", Action: crossguard.ActionSeizureRead, RecordKind: crossguard.KindSeizure,
				RecordID: SeizureID(i, T0), Outcome: crossguard.OutcomeOK, Detail: `origin="af-customs/torkham" note="ünïcödé \"quoted\""`}
			if err := s.AppendAudit(t.Context(), e); err != nil {
				t.Fatalf("AppendAudit: %v", err)
			}
			if e.Seq != int64(i+1) || e.PrevHash != prev || e.Hash != e.ComputeHash() || !e.At.Equal(at.Truncate(time.Microsecond)) {
				t.Fatalf("appended entry %+v: want seq %d, prev hash %s, its own hash, time %v", e, i+1, prev, at.Truncate(time.Microsecond))
			}
			prev = e.Hash
		}
		if seq, hash, err := s.AuditHead(t.Context()); err != nil || seq != 3 || hash != prev {
			t.Fatalf("AuditHead = %d, %q, %v; want entry 3's", seq, hash, err)
		}
		wantChain(t, s, 3)
	})
	t.Run("entries read back exactly", func(t *testing.T) {
		s := fresh(t, open)
		want := appendN(t, s, 7, T0)
		got := listAudit(t, s, crossguard.AuditFilter{})
		for i, e := range got {
			wantEqual(t, "listed entry", e, want[len(want)-1-i])
		}
		var walked []*crossguard.AuditEntry
		if err := s.WalkAudit(t.Context(), func(e *crossguard.AuditEntry) error { walked = append(walked, e); return nil }); err != nil {
			t.Fatalf("WalkAudit: %v", err)
		}
		wantEqual(t, "walked entries", walked, want)
	})
	t.Run("filters and pages", func(t *testing.T) {
		s := fresh(t, open)
		all := appendN(t, s, 60, T0)
		from, to := all[10].At, all[40].At
		fromNs, toNs := from.Add(time.Nanosecond), to.Add(time.Nanosecond)
		cases := []struct {
			name string
			f    crossguard.AuditFilter
			keep func(e *crossguard.AuditEntry) bool
		}{
			{"no filter", crossguard.AuditFilter{}, func(*crossguard.AuditEntry) bool { return true }},
			{"actor", crossguard.AuditFilter{Actor: "analyst.ali"}, func(e *crossguard.AuditEntry) bool { return e.Actor == "analyst.ali" }},
			{"action", crossguard.AuditFilter{Action: crossguard.ActionLoginFailure}, func(e *crossguard.AuditEntry) bool { return e.Action == crossguard.ActionLoginFailure }},
			{"record", crossguard.AuditFilter{RecordID: SeizureID(2, T0)}, func(e *crossguard.AuditEntry) bool { return e.RecordID == SeizureID(2, T0) }},
			{"from", crossguard.AuditFilter{From: from}, func(e *crossguard.AuditEntry) bool { return !e.At.Before(from) }},
			{"to", crossguard.AuditFilter{To: to}, func(e *crossguard.AuditEntry) bool { return e.At.Before(to) }},
			{"from and to", crossguard.AuditFilter{From: from, To: to}, func(e *crossguard.AuditEntry) bool { return !e.At.Before(from) && e.At.Before(to) }},
			{"actor and action", crossguard.AuditFilter{Actor: "officer.khan", Action: crossguard.ActionSeizureRead}, func(e *crossguard.AuditEntry) bool {
				return e.Actor == "officer.khan" && e.Action == crossguard.ActionSeizureRead
			}},
			{"everything", crossguard.AuditFilter{Actor: "officer.khan", Action: crossguard.ActionSeizureRead, RecordID: SeizureID(0, T0), From: from, To: to}, func(e *crossguard.AuditEntry) bool {
				return e.Actor == "officer.khan" && e.Action == crossguard.ActionSeizureRead && e.RecordID == SeizureID(0, T0) && !e.At.Before(from) && e.At.Before(to)
			}},
			{"no match", crossguard.AuditFilter{Actor: "nobody"}, func(*crossguard.AuditEntry) bool { return false }},
			// The log keeps microseconds: bounds a nanosecond after an
			// entry leave it out of "from" and keep it in "to".
			{"from a nanosecond later", crossguard.AuditFilter{From: fromNs}, func(e *crossguard.AuditEntry) bool { return !e.At.Before(fromNs) }},
			{"to a nanosecond later", crossguard.AuditFilter{To: toNs}, func(e *crossguard.AuditEntry) bool { return e.At.Before(toNs) }},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				var want []*crossguard.AuditEntry
				for i := len(all) - 1; i >= 0; i-- {
					if c.keep(all[i]) {
						want = append(want, all[i])
					}
				}
				for _, limit := range []int{0, 1, 4, 100} {
					f := c.f
					f.Limit = limit
					wantIDs(t, fmt.Sprintf("entries (limit %d)", limit), seqs(listAudit(t, s, f)), seqs(want))
				}
				page, err := s.ListAudit(t.Context(), c.f)
				if err != nil {
					t.Fatalf("ListAudit: %v", err)
				}
				if n := min(len(want), crossguard.DefaultPageSize); len(page.Items) != n || (page.NextCursor != "") != (len(want) > n) {
					t.Fatalf("first page has %d items and cursor %q; want %d items of %d", len(page.Items), page.NextCursor, n, len(want))
				}
			})
		}
	})
	t.Run("limits and invalid filters", func(t *testing.T) {
		s := fresh(t, open)
		appendN(t, s, crossguard.MaxPageSize+5, T0)
		for limit, want := range map[int]int{0: crossguard.DefaultPageSize, 3: 3, crossguard.MaxPageSize + 1: crossguard.MaxPageSize} {
			page, err := s.ListAudit(t.Context(), crossguard.AuditFilter{Limit: limit})
			if err != nil || len(page.Items) != want || page.NextCursor == "" {
				t.Fatalf("ListAudit(limit %d) = %d items, cursor %q, %v; want %d items and a cursor", limit, len(page.Items), page.NextCursor, err, want)
			}
		}
		_, err := s.ListAudit(t.Context(), crossguard.AuditFilter{Limit: -1})
		wantCode(t, err, crossguard.EINVALID)
		_, err = s.ListAudit(t.Context(), crossguard.AuditFilter{Cursor: "not a cursor!"})
		wantCode(t, err, crossguard.EINVALID)
	})
	t.Run("walk stops at the first error", func(t *testing.T) {
		s := fresh(t, open)
		appendN(t, s, 10, T0)
		stop := errors.New("enough")
		n := 0
		err := s.WalkAudit(t.Context(), func(e *crossguard.AuditEntry) error {
			n++
			if n == 4 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || n != 4 {
			t.Fatalf("WalkAudit = %v after %d calls, want the callback's error after 4", err, n)
		}
	})
	t.Run("chain verifies after many writes", func(t *testing.T) {
		s := fresh(t, open)
		items := NewSeizures(0, 2600, T0, time.Minute) // more than one walk chunk
		mustCreateBatches(t, s, items, 1000)
		for k := 0; k < 40; k++ {
			upd := clone(items[k])
			upd.Version = 2
			if err := s.UpdateSeizure(t.Context(), actor, upd); err != nil {
				t.Fatalf("UpdateSeizure: %v", err)
			}
		}
		for k := 100; k < 130; k++ {
			if err := s.DeleteSeizure(t.Context(), actor, items[k].ID, 0, T0); err != nil {
				t.Fatalf("DeleteSeizure: %v", err)
			}
		}
		if err := s.CreateUser(t.Context(), "admin", NewUser("ali", crossguard.RoleAnalyst, T0), hash(1)); err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		appendN(t, s, 25, T0)
		wantChain(t, s, 2600+40+30+1+25)
		var prev int64
		err := s.WalkAudit(t.Context(), func(e *crossguard.AuditEntry) error {
			if e.Seq != prev+1 {
				return fmt.Errorf("entry %d follows %d", e.Seq, prev)
			}
			prev = e.Seq
			return nil
		})
		if err != nil {
			t.Fatalf("WalkAudit: %v", err)
		}
	})
}
