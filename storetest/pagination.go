package storetest

import (
	"testing"
	"time"

	"crossguard"
)

// testPagination checks that walking the pages of a list returns every
// record once, in order, ties of occurred_at included.
func testPagination(t *testing.T, open Opener) {
	t.Run("pages of every size", func(t *testing.T) {
		s := fresh(t, open)
		items := NewSeizures(0, 61, T0, time.Hour)
		for k := range items { // runs of equal occurred_at of length 1 to 5
			if k%15 != 0 && k%15 != 1 && k%15 != 3 && k%15 != 6 && k%15 != 10 {
				items[k].OccurredAt = items[k-1].OccurredAt
			}
		}
		mustCreateBatches(t, s, items, 25)
		sortNewestFirst(items)
		want := idsOf(items)
		for _, limit := range []int{1, 2, 3, 4, 5, 7, 10, 60, 61, 62, 500} {
			wantIDs(t, "walk", listAll(t, s, crossguard.SeizureFilter{Limit: limit}), want)
		}
	})
	t.Run("all records at one instant", func(t *testing.T) {
		s := fresh(t, open)
		items := NewSeizures(0, 23, T0, 0)
		mustCreate(t, s, items...)
		sortNewestFirst(items)
		for _, limit := range []int{1, 4, 22, 23} {
			wantIDs(t, "walk", listAll(t, s, crossguard.SeizureFilter{Limit: limit}), idsOf(items))
		}
	})
	t.Run("exact multiple of the page size", func(t *testing.T) {
		s := fresh(t, open)
		items := NewSeizures(0, 10, T0, time.Minute)
		mustCreate(t, s, items...)
		first := mustList(t, s, crossguard.SeizureFilter{Limit: 5})
		if first.NextCursor == "" {
			t.Fatal("first of two full pages has no next cursor")
		}
		second := mustList(t, s, crossguard.SeizureFilter{Limit: 5, Cursor: first.NextCursor})
		if len(second.Items) != 5 || second.NextCursor != "" {
			t.Fatalf("second page has %d items and cursor %q, want 5 and none", len(second.Items), second.NextCursor)
		}
		all := mustList(t, s, crossguard.SeizureFilter{Limit: 10})
		if len(all.Items) != 10 || all.NextCursor != "" {
			t.Fatalf("page of all 10 has %d items and cursor %q, want 10 and none", len(all.Items), all.NextCursor)
		}
	})
	t.Run("cursor is the last item", func(t *testing.T) {
		s := fresh(t, open)
		items := NewSeizures(0, 5, T0, time.Minute)
		mustCreate(t, s, items...)
		page := mustList(t, s, crossguard.SeizureFilter{Limit: 2})
		last := page.Items[1]
		at, id, err := crossguard.DecodeSeizureCursor(page.NextCursor)
		if err != nil || !at.Equal(last.OccurredAt) || id != last.ID {
			t.Fatalf("next cursor decodes to %v, %s, %v; want the last item %v, %s", at, id, err, last.OccurredAt, last.ID)
		}
	})
	t.Run("writes between pages", func(t *testing.T) {
		s := fresh(t, open)
		items := NewSeizures(0, 9, T0, time.Hour)
		mustCreate(t, s, items...)
		first := mustList(t, s, crossguard.SeizureFilter{Limit: 4})
		// A newer record and the deletion of a listed one do not disturb
		// the pages that follow.
		mustCreate(t, s, NewSeizure(100, T0.Add(time.Minute)))
		if err := s.DeleteSeizure(t.Context(), actor, items[0].ID, 0, T0); err != nil {
			t.Fatalf("DeleteSeizure: %v", err)
		}
		rest := listAll(t, s, crossguard.SeizureFilter{Limit: 4, Cursor: first.NextCursor})
		wantIDs(t, "rest", rest, idsOf(items[4:]))
	})
	t.Run("filtered walk", func(t *testing.T) {
		s := fresh(t, open)
		items := NewSeizures(0, 120, T0, 3*time.Hour)
		for k := range items {
			if k%3 == 2 {
				items[k].OccurredAt = items[k-1].OccurredAt
			}
		}
		mustCreateBatches(t, s, items, 50)
		sortNewestFirst(items)
		for _, f := range []crossguard.SeizureFilter{
			{Category: "narcotics", Limit: 3},
			{HS: "2939", Limit: 2},
			{HS: "29394", Limit: 2},
			{Country: "PK", Limit: 2},
			{Query: CommonWord, Limit: 4},
			{Category: "precursors", Country: "IR", Limit: 1},
		} {
			want := expected(items, f)
			if len(want) < 3 {
				t.Fatalf("test data: filter %+v matches only %d records", f, len(want))
			}
			wantIDs(t, "filtered walk", listAll(t, s, f), want)
		}
	})
	t.Run("sub-microsecond times", func(t *testing.T) {
		s := fresh(t, open)
		base := T0.Truncate(time.Microsecond)
		var items []*crossguard.Seizure
		for k := range 12 {
			items = append(items, NewSeizure(k, base.Add(time.Duration(k%4)*100*time.Nanosecond)))
		}
		mustCreate(t, s, items...)
		for _, it := range items {
			wantEqual(t, "seizure", mustGet(t, s, it.ID), it)
		}
		got := listAll(t, s, crossguard.SeizureFilter{Limit: 5})
		if len(got) != len(items) {
			t.Fatalf("walk returned %d records, want %d", len(got), len(items))
		}
	})
}
