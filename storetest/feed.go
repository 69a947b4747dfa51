package storetest

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"crossguard"
)

// sharedIDs returns, sorted, the records peer may hold.
func sharedIDs(t *testing.T, s FederationStore, peer string) []string {
	t.Helper()
	ids, err := s.SharedIDs(t.Context(), peer)
	if err != nil {
		t.Fatalf("SharedIDs(%s): %v", peer, err)
	}
	slices.Sort(ids)
	return ids
}

// sharedWith returns SharedWith(peer, ids), failing t on error.
func sharedWith(t *testing.T, s FederationStore, peer string, ids ...string) map[string]int64 {
	t.Helper()
	m, err := s.SharedWith(t.Context(), peer, ids)
	if err != nil {
		t.Fatalf("SharedWith(%s): %v", peer, err)
	}
	if m == nil {
		m = map[string]int64{}
	}
	return m
}

// sorted returns a sorted copy of ids.
func sorted(ids ...string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

// mustJSON returns v's JSON.
func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

// testFeed checks the change feed and Touch; testShares checks what peers
// may hold.
func testFeed(t *testing.T, open Opener) {
	t.Run("empty feed", func(t *testing.T) {
		s := fedBare(t, open)
		page, head, err := s.Changes(t.Context(), 0, 10)
		if err != nil || len(page) != 0 || head != 0 {
			t.Fatalf("Changes of an empty store = %v, %d, %v; want nothing at head 0", page, head, err)
		}
	})
	t.Run("own records in change order", func(t *testing.T) {
		s := fedBare(t, open)
		items := NewSeizures(0, 3, T0, time.Hour) // changes 1-3
		mustCreate(t, s, items...)
		upd := clone(items[0])
		upd.Version, upd.Narrative = 2, "updated"
		if err := s.UpdateSeizure(t.Context(), actor, upd); err != nil { // 4
			t.Fatalf("UpdateSeizure: %v", err)
		}
		at := T0.Add(5 * time.Hour)
		if err := s.DeleteSeizure(t.Context(), actor, items[1].ID, 0, at); err != nil { // 5
			t.Fatalf("DeleteSeizure: %v", err)
		}
		a := NewAnnotation(10, refOf(items[2]), Origin, T0.Add(time.Hour))
		rec := mustCreateRecord(t, s, a) // 6
		all, head := changesAfter(t, s, 0)
		if head != 6 || len(all) != 4 {
			t.Fatalf("feed of %d changes at head %d, want 4 at head 6", len(all), head)
		}
		tomb := items[1].Header
		tomb.Version, tomb.UpdatedAt = 2, at
		wantIDs(t, "feed", []string{all[0].Header.ID, all[1].Header.ID, all[2].Header.ID, all[3].Header.ID},
			[]string{items[2].ID, items[0].ID, items[1].ID, a.ID})
		for i, seq := range []int64{3, 4, 5, 6} {
			if all[i].Seq != seq {
				t.Fatalf("change %d of the feed has seq %d, want %d", i, all[i].Seq, seq)
			}
		}
		wantChange(t, all[0], items[2].Header, crossguard.StateLive, mustJSON(t, items[2]), nil, "")
		wantChange(t, all[1], upd.Header, crossguard.StateLive, mustJSON(t, upd), nil, "")
		wantChange(t, all[2], tomb, crossguard.StateDeleted, nil, nil, "")
		wantChange(t, all[3], a.Header, crossguard.StateLive, rec.Body, nil, "")
		// Limits and cursors.
		for _, c := range []struct {
			after int64
			limit int
			want  []int64
		}{
			{0, 1, []int64{3}}, {0, 2, []int64{3, 4}}, {3, 2, []int64{4, 5}}, {4, 10, []int64{5, 6}},
			{5, 1, []int64{6}}, {6, 10, nil}, {100, 10, nil},
		} {
			page, head, err := s.Changes(t.Context(), c.after, c.limit)
			if err != nil {
				t.Fatalf("Changes(%d, %d): %v", c.after, c.limit, err)
			}
			var got []int64
			for _, ch := range page {
				got = append(got, ch.Seq)
			}
			if !slices.Equal(got, c.want) || head != 6 {
				t.Fatalf("Changes(%d, %d) = %v at head %d, want %v at head 6", c.after, c.limit, got, head, c.want)
			}
		}
	})
	t.Run("both tables merged in change order", func(t *testing.T) {
		s := fedFresh(t, open)
		target := NewSeizure(0, T0)
		var want []string
		for i := range 6 {
			own := NewSeizure(10+i, T0.Add(-time.Duration(i)*time.Hour))
			mustCreate(t, s, own)
			ownNote := NewAnnotation(20+i, refOf(target), Origin, T0.Add(time.Duration(i)*time.Minute))
			mustCreateRecord(t, s, ownNote)
			theirs := ForeignSeizure(30+i, T0.Add(-time.Duration(i)*time.Minute), PeerA, 1)
			theirNote := NewAnnotation(40+i, refOf(own), PeerA, T0.Add(time.Duration(i)*time.Second))
			mustApply(t, s, newPage(PeerA, int64(2*i+1), IncomingAnnotation(theirNote)))
			mustApply(t, s, newPage(PeerA, int64(2*i+2), IncomingSeizure(theirs)))
			want = append(want, own.ID, ownNote.ID, theirNote.ID, theirs.ID)
		}
		for _, limit := range []int{1, 3, 4, 50} {
			var got []string
			var after int64
			for range 100 {
				page, head, err := s.Changes(t.Context(), after, limit)
				if err != nil {
					t.Fatalf("Changes(%d, %d): %v", after, limit, err)
				}
				if head != 24 || len(page) > limit {
					t.Fatalf("Changes(%d, %d): %d changes at head %d, want at most %d at head 24", after, limit, len(page), head, limit)
				}
				for _, c := range page {
					if c.Seq != after+1 {
						t.Fatalf("Changes(%d, %d): change %d, want %d", after, limit, c.Seq, after+1)
					}
					after = c.Seq
					got = append(got, c.Header.ID)
				}
				if len(page) < limit {
					break
				}
			}
			wantIDs(t, "feed read "+itoa(int64(limit))+" at a time", got, want)
		}
	})
	t.Run("received records carry their signed version and peer", func(t *testing.T) {
		s := fedFresh(t, open)
		theirs := ForeignSeizure(1, T0, PeerA, 3)
		relayed := ForeignSeizure(2, T0, OriginC, 1)
		note := NewAnnotation(3, refOf(theirs), PeerA, T0)
		gone := ForeignSeizure(4, T0, PeerA, 1)
		tomb := gone.Header
		tomb.Version, tomb.UpdatedAt = 2, T0.Add(2*time.Hour)
		in := []*crossguard.Incoming{IncomingSeizure(theirs), IncomingSeizure(relayed), IncomingAnnotation(note), IncomingTombstone(tomb)}
		mustApply(t, s, newPage(PeerA, 4, in...))
		feed, _ := feedByID(t, s)
		wantChange(t, feed[theirs.ID], theirs.Header, crossguard.StateLive, nil, &in[0].Signed, PeerA)
		wantChange(t, feed[relayed.ID], relayed.Header, crossguard.StateLive, nil, &in[1].Signed, PeerA)
		wantChange(t, feed[note.ID], note.Header, crossguard.StateLive, nil, &in[2].Signed, PeerA)
		wantChange(t, feed[tomb.ID], tomb, crossguard.StateDeleted, nil, &in[3].Signed, PeerA)
	})
	t.Run("touch renumbers without changing", func(t *testing.T) {
		s := fedFresh(t, open)
		items := NewSeizures(0, 3, T0, time.Hour)
		mustCreate(t, s, items...)
		note := NewAnnotation(10, refOf(items[0]), Origin, T0)
		rec := mustCreateRecord(t, s, note)
		theirs := ForeignSeizure(20, T0, PeerA, 2)
		mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(theirs)))
		before, head0 := feedByID(t, s)
		n := chainLen(t, s)
		if err := s.Touch(t.Context(), []string{items[1].ID, note.ID, SeizureID(99, T0), theirs.ID}); err != nil {
			t.Fatalf("Touch: %v", err)
		}
		wantNewChanges(t, s, head0, items[1].ID, note.ID, theirs.ID)
		after, _ := feedByID(t, s)
		for id, c := range before {
			got := *after[id]
			if !slices.Contains([]string{items[1].ID, note.ID, theirs.ID}, id) {
				wantEqual(t, "untouched change", &got, c)
				continue
			}
			got.Seq = c.Seq
			wantEqual(t, "touched change", &got, c)
		}
		wantEqual(t, "touched seizure", mustGet(t, s, items[1].ID), items[1])
		wantEqual(t, "touched foreign seizure", mustGet(t, s, theirs.ID), theirs)
		wantRecord(t, s, rec)
		if err := s.Touch(t.Context(), nil); err != nil {
			t.Fatalf("Touch(nil): %v", err)
		}
		if head := feedHead(t, s); head != head0+3 {
			t.Fatalf("head after touching nothing = %d, want %d", head, head0+3)
		}
		wantChain(t, s, n)
	})
}
