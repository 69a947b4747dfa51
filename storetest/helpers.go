package storetest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"crossguard"
)

// T0 is the instant around which the suite's records occur. It has a
// nanosecond part so that round trips prove times are kept exactly.
var T0 = time.Date(2026, 3, 14, 9, 26, 53, 589793238, time.UTC)

// actor is the user the suite writes as.
const actor = "officer.khan"

// fresh opens a store, in parallel with the other subtests.
func fresh(t *testing.T, open Opener) crossguard.Store {
	t.Helper()
	t.Parallel()
	return open(t)
}

// wantCode fails t unless err carries the application error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want a %s error", code)
	}
	if got := crossguard.ErrorCode(err); got != code {
		t.Fatalf("got error %q with code %s, want code %s", err, got, code)
	}
}

// mustCreate stores items in one batch, failing t on error.
func mustCreate(t *testing.T, s crossguard.Store, items ...*crossguard.Seizure) {
	t.Helper()
	if err := s.CreateSeizures(t.Context(), actor, items, nil); err != nil {
		t.Fatalf("CreateSeizures(%d items): %v", len(items), err)
	}
}

// mustCreateBatches stores items in batches of at most size.
func mustCreateBatches(t *testing.T, s crossguard.Store, items []*crossguard.Seizure, size int) {
	t.Helper()
	for chunk := range slices.Chunk(items, size) {
		mustCreate(t, s, chunk...)
	}
}

// mustGet returns the live seizure id, failing t on error.
func mustGet(t *testing.T, s crossguard.Store, id string) *crossguard.Seizure {
	t.Helper()
	got, err := s.Seizure(t.Context(), id)
	if err != nil {
		t.Fatalf("Seizure(%s): %v", id, err)
	}
	return got
}

// mustList returns one page, failing t on error.
func mustList(t *testing.T, s crossguard.Store, f crossguard.SeizureFilter) *crossguard.SeizurePage {
	t.Helper()
	page, err := s.ListSeizures(t.Context(), f)
	if err != nil {
		t.Fatalf("ListSeizures(%+v): %v", f, err)
	}
	if page.Items == nil {
		t.Fatalf("ListSeizures(%+v): Items is nil, want a non-nil slice", f)
	}
	return page
}

// listAll walks every page of f and returns the ids in order, failing t on
// a repeated id or on more pages than there can be.
func listAll(t *testing.T, s crossguard.Store, f crossguard.SeizureFilter) []string {
	t.Helper()
	var ids []string
	seen := map[string]bool{}
	for pages := 0; ; pages++ {
		if pages > 10000 {
			t.Fatalf("ListSeizures(%+v): more than 10000 pages, the cursor does not advance", f)
		}
		page := mustList(t, s, f)
		limit := f.Limit
		if limit == 0 {
			limit = crossguard.DefaultPageSize
		}
		if len(page.Items) > limit {
			t.Fatalf("ListSeizures(%+v): %d items, more than the limit", f, len(page.Items))
		}
		if page.NextCursor != "" && len(page.Items) != limit {
			t.Fatalf("ListSeizures(%+v): a page of %d items (limit %d) has a next cursor", f, len(page.Items), limit)
		}
		for _, it := range page.Items {
			if seen[it.ID] {
				t.Fatalf("ListSeizures(%+v): %s returned twice", f, it.ID)
			}
			seen[it.ID] = true
			ids = append(ids, it.ID)
		}
		if page.NextCursor == "" {
			return ids
		}
		f.Cursor = page.NextCursor
	}
}

// idsOf returns the ids of items.
func idsOf(items []*crossguard.Seizure) []string {
	ids := make([]string, len(items))
	for i, s := range items {
		ids[i] = s.ID
	}
	return ids
}

// sortNewestFirst sorts items as lists return them: occurred_at descending,
// then id descending.
func sortNewestFirst(items []*crossguard.Seizure) {
	slices.SortFunc(items, func(a, b *crossguard.Seizure) int {
		if c := b.OccurredAt.Compare(a.OccurredAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
}

// wantIDs fails t unless got lists exactly the ids of want, in order.
func wantIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s: got %d ids\n%v\nwant %d ids\n%v", what, len(got), got, len(want), want)
	}
}

// wantEqual fails t unless got deeply equals want, printing both as JSON.
func wantEqual[V any](t *testing.T, what string, got, want V) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", "  ")
		w, _ := json.MarshalIndent(want, "", "  ")
		t.Fatalf("%s differs:\ngot  %s\nwant %s", what, g, w)
	}
}

// clone returns a deep copy of s through its JSON form. It is safe to call
// from any goroutine; a seizure that cannot round-trip through JSON is a
// bug in the suite, so it panics.
func clone(s *crossguard.Seizure) *crossguard.Seizure {
	b, err := json.Marshal(s)
	if err != nil {
		panic(fmt.Sprintf("storetest: clone %s: %v", s.ID, err))
	}
	var c crossguard.Seizure
	if err := json.Unmarshal(b, &c); err != nil {
		panic(fmt.Sprintf("storetest: clone %s: %v", s.ID, err))
	}
	return &c
}

// changeSeq returns the change sequence number of id's latest version.
func changeSeq(t *testing.T, s crossguard.Store, id string) int64 {
	t.Helper()
	cs, ok := s.(ChangeSeqer)
	if !ok {
		t.Fatalf("%T does not implement storetest.ChangeSeqer", s)
	}
	seq, err := cs.ChangeSeq(t.Context(), id)
	if err != nil {
		t.Fatalf("ChangeSeq(%s): %v", id, err)
	}
	return seq
}

// auditTrail returns every audit entry about record id, oldest first.
func auditTrail(t *testing.T, s crossguard.Store, id string) []*crossguard.AuditEntry {
	t.Helper()
	var out []*crossguard.AuditEntry
	err := s.WalkAudit(t.Context(), func(e *crossguard.AuditEntry) error {
		if e.RecordID == id {
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("WalkAudit: %v", err)
	}
	return out
}

// wantChain fails t unless the audit chain verifies with n entries.
func wantChain(t *testing.T, s crossguard.Store, n int64) {
	t.Helper()
	got, err := crossguard.VerifyAudit(t.Context(), s)
	if err != nil {
		t.Fatalf("VerifyAudit: %v", err)
	}
	if got != n {
		t.Fatalf("VerifyAudit: %d entries verified, want %d", got, n)
	}
}
