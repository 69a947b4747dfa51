package storetest

import (
	"slices"
	"testing"
	"time"

	"crossguard"
)

// testRetention checks the storage of retention: the groups and the
// expired records of each, own records tombstoned, copies removed as a
// withdrawal removes them, a removed peer's copies purged, declarations
// deleted in batches; and that every removal, run again, does nothing
// more (a run killed part way is finished by the next).
func testRetention(t *testing.T, open Opener) {
	t.Run("groups and expired records", testRetentionGroups(open))
	t.Run("own records become tombstones", testRetentionDeleteOwn(open))
	t.Run("copies go as a withdrawal takes them", testRetentionRemoveCopies(open))
	t.Run("a removed peer's copies", testRetentionPurgeSource(open))
	t.Run("declarations", testRetentionDeclarations(open))
}

// day is a day of 24 hours.
const day = 24 * time.Hour

// mustGroups returns the retention groups by kind, origin and
// distribution.
func mustGroups(t *testing.T, s crossguard.Store) map[crossguard.RetentionSubject]*crossguard.RetentionGroup {
	t.Helper()
	gs, err := s.RetentionGroups(t.Context())
	if err != nil {
		t.Fatalf("RetentionGroups: %v", err)
	}
	out := map[crossguard.RetentionSubject]*crossguard.RetentionGroup{}
	for _, g := range gs {
		out[g.Subject()] = g
	}
	return out
}

// testRetentionGroups checks the groups' counts and oldest created_at,
// and CreatedBefore's order, bound and limit.
func testRetentionGroups(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		s := fedFresh(t, open)
		var own []*crossguard.Seizure
		for i := range 6 {
			z := NewSeizure(i, T0.Add(-time.Duration(i)*10*day))
			z.Distribution = crossguard.DistPartners
			own = append(own, z)
		}
		own[5].Distribution = crossguard.DistLocal
		mustCreate(t, s, own...)
		x := ForeignSeizure(10, T0.Add(-100*day), OriginC, 1)
		x.Distribution = crossguard.DistNetwork
		note := NewAnnotation(11, refOf(own[0]), PeerA, T0.Add(-3*day))
		mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(x), IncomingAnnotation(note)))
		gone := ForeignSeizure(12, T0, OriginC, 1)
		gone.Distribution = crossguard.DistNetwork
		mustApply(t, s, newPage(PeerA, 2, IncomingSeizure(gone)))
		mustApply(t, s, withdrawals(PeerA, 3, "no longer shared", gone.Header))

		groups := mustGroups(t, s)
		partners := crossguard.RetentionSubject{Kind: crossguard.KindSeizure, Origin: Origin, Distribution: crossguard.DistPartners}
		for subject, want := range map[crossguard.RetentionSubject]struct {
			n      int64
			oldest time.Time
		}{
			partners: {5, own[4].CreatedAt},
			{Kind: crossguard.KindSeizure, Origin: Origin, Distribution: crossguard.DistLocal}:    {1, own[5].CreatedAt},
			{Kind: crossguard.KindSeizure, Origin: OriginC, Distribution: crossguard.DistNetwork}: {1, x.CreatedAt},
			{Kind: crossguard.KindAnnotation, Origin: PeerA, Distribution: note.Distribution}:     {1, note.CreatedAt},
		} {
			g := groups[subject]
			if g == nil || g.Count != want.n || !g.Oldest.Equal(want.oldest.Truncate(time.Microsecond)) && !g.Oldest.Equal(want.oldest) {
				t.Fatalf("group %+v = %+v, want %d records, the oldest created at %v", subject, g, want.n, want.oldest)
			}
		}
		if len(groups) != 4 {
			t.Fatalf("%d groups, want 4 (withdrawn copies are not held): %v", len(groups), groups)
		}
		g := groups[partners]
		ids, err := s.CreatedBefore(t.Context(), g, own[1].CreatedAt.Add(time.Second), 10)
		if err != nil {
			t.Fatalf("CreatedBefore: %v", err)
		}
		wantIDs(t, "expired own records", ids, []string{own[4].ID, own[3].ID, own[2].ID, own[1].ID})
		ids, err = s.CreatedBefore(t.Context(), g, own[1].CreatedAt.Add(time.Second), 2)
		if err != nil {
			t.Fatalf("CreatedBefore: %v", err)
		}
		wantIDs(t, "the oldest two", ids, []string{own[4].ID, own[3].ID})
		if ids, err = s.CreatedBefore(t.Context(), g, own[4].CreatedAt.Add(-time.Second), 10); err != nil || len(ids) != 0 {
			t.Fatalf("CreatedBefore(before the oldest) = %v, %v; want none", ids, err)
		}
		ann := groups[crossguard.RetentionSubject{Kind: crossguard.KindAnnotation, Origin: PeerA, Distribution: note.Distribution}]
		if ids, err = s.CreatedBefore(t.Context(), ann, T0, 10); err != nil || !slices.Equal(ids, []string{note.ID}) {
			t.Fatalf("CreatedBefore(annotations) = %v, %v; want %s", ids, err, note.ID)
		}
	}
}

// testRetentionDeleteOwn checks that DeleteOwn tombstones own records of
// both tables at the next version, audits each, skips copies and records
// already deleted, and does nothing when run again.
func testRetentionDeleteOwn(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		s := fedFresh(t, open)
		a, b := NewSeizure(0, T0.Add(-400*day)), NewSeizure(1, T0.Add(-300*day))
		mustCreate(t, s, a, b)
		x := ForeignSeizure(2, T0.Add(-500*day), OriginC, 1)
		mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(x)))
		mine := NewAnnotation(3, refOf(x), Origin, T0.Add(-400*day))
		if err := s.CreateRecord(t.Context(), actor, RecordOf(mine)); err != nil {
			t.Fatalf("CreateRecord: %v", err)
		}
		head0 := feedHead(t, s)
		at := T0.Truncate(time.Microsecond)
		r := &crossguard.Removal{Actor: "retention", Action: crossguard.ActionRetentionDelete, Reason: "agreement ag-1: 365 days",
			At: at, IDs: []string{a.ID, x.ID, mine.ID, SeizureID(99, T0)}}
		n, err := s.DeleteOwn(t.Context(), r)
		if err != nil || n != 2 {
			t.Fatalf("DeleteOwn = %d, %v; want 2", n, err)
		}
		_, err = s.Seizure(t.Context(), a.ID)
		wantCode(t, err, crossguard.ENOTFOUND)
		tomb, err := s.Tombstone(t.Context(), a.ID)
		if err != nil || tomb.Version != 2 || !tomb.UpdatedAt.Equal(at) {
			t.Fatalf("Tombstone(%s) = %+v, %v; want version 2 updated at %v", a.ID, tomb, err, at)
		}
		wantNoRecord(t, s, mine.ID)
		mustGet(t, s, b.ID)
		mustGet(t, s, x.ID)
		wantNewChanges(t, s, head0, a.ID, mine.ID)
		feed, _ := feedByID(t, s)
		for _, id := range []string{a.ID, mine.ID} {
			if c := feed[id]; c.State != crossguard.StateDeleted || c.Header.Version != 2 {
				t.Fatalf("change of %s: %s version %d, want deleted version 2", id, c.State, c.Header.Version)
			}
		}
		got := entries(t, s, crossguard.ActionRetentionDelete)
		if len(got) != 2 {
			t.Fatalf("%d retention.delete entries, want 2", len(got))
		}
		wantEntry(t, got[0], crossguard.ActionRetentionDelete, "retention", crossguard.KindSeizure, a.ID, crossguard.OutcomeOK,
			crossguard.AuditDetail("version", "2", "reason", r.Reason))
		wantEntry(t, got[1], crossguard.ActionRetentionDelete, "retention", crossguard.KindAnnotation, mine.ID, crossguard.OutcomeOK,
			crossguard.AuditDetail("version", "2", "reason", r.Reason))
		n0, head1 := chainLen(t, s), feedHead(t, s)
		if n, err := s.DeleteOwn(t.Context(), r); err != nil || n != 0 {
			t.Fatalf("DeleteOwn again = %d, %v; want 0", n, err)
		}
		if chainLen(t, s) != n0 || feedHead(t, s) != head1 {
			t.Fatal("DeleteOwn run again changed the store")
		}
	}
}

// testRetentionRemoveCopies checks that RemoveCopies leaves a copy, its
// change and the withdrawal the feed owes downstream exactly as a
// received withdrawal leaves them, forgets its sources, audits it with
// the action given, and skips own records.
func testRetentionRemoveCopies(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		s := fedFresh(t, open)
		own := NewSeizure(0, T0.Add(-400*day))
		mustCreate(t, s, own)
		x, y := ForeignSeizure(1, T0.Add(-400*day), OriginC, 1), ForeignSeizure(2, T0.Add(-400*day), OriginC, 1)
		note := NewAnnotation(3, refOf(x), OriginC, T0.Add(-400*day))
		mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(x), IncomingSeizure(y), IncomingAnnotation(note)))
		mustApply(t, s, newPage(PeerB, 1, IncomingSeizure(x)))
		// This node passed x and y on to PeerB.
		shares := []crossguard.Share{{ID: x.ID, Version: 1}, {ID: y.ID, Version: 1}}
		if err := s.RecordServed(t.Context(), PeerB, 1, shares, nil, T0); err != nil {
			t.Fatalf("RecordServed: %v", err)
		}
		// y goes by a withdrawal, x and the note by RemoveCopies.
		mustApply(t, s, withdrawals(PeerA, 2, "no longer shared", y.Header))
		head0 := feedHead(t, s)
		at := T0.Truncate(time.Microsecond)
		r := &crossguard.Removal{Actor: "retention", Action: crossguard.ActionRetentionPurge, Reason: "agreement ag-1: 30 days",
			At: at, IDs: []string{x.ID, note.ID, own.ID, y.ID}}
		n, err := s.RemoveCopies(t.Context(), r)
		if err != nil || n != 2 {
			t.Fatalf("RemoveCopies = %d, %v; want 2", n, err)
		}
		wantNotFound(t, s, x.ID)
		wantNoRecord(t, s, note.ID)
		mustGet(t, s, own.ID)
		wantNewChanges(t, s, head0, x.ID, note.ID)
		feed, _ := feedByID(t, s)
		wantWithdrawn(t, feed[x.ID], x.Header)
		wantWithdrawn(t, feed[y.ID], y.Header)
		wantWithdrawn(t, feed[note.ID], note.Header)
		if got := sharedWith(t, s, PeerB, x.ID, y.ID); len(got) != 2 {
			t.Fatalf("PeerB may hold %v: the feed owes it withdrawals of both", got)
		}
		got := entries(t, s, crossguard.ActionRetentionPurge)
		if len(got) != 2 {
			t.Fatalf("%d retention.purge entries, want 2", len(got))
		}
		wantEntry(t, got[0], crossguard.ActionRetentionPurge, "retention", crossguard.KindSeizure, x.ID, crossguard.OutcomeOK, r.Reason)
		wantEntry(t, got[1], crossguard.ActionRetentionPurge, "retention", crossguard.KindAnnotation, note.ID, crossguard.OutcomeOK, r.Reason)
		// Its sources are forgotten: a late withdrawal by either is no
		// refusal, and RemoveCopies again does nothing.
		wantResult(t, mustApply(t, s, withdrawals(PeerB, 2, "no longer shared", x.Header)), 0, 0, 0)
		n0 := chainLen(t, s)
		if n, err := s.RemoveCopies(t.Context(), r); err != nil || n != 0 || chainLen(t, s) != n0 {
			t.Fatalf("RemoveCopies again = %d, %v (audit %d to %d); want 0 and no change", n, err, n0, chainLen(t, s))
		}
		// A newer version from the origin is a new copy.
		x2 := ForeignSeizure(1, T0.Add(-400*day), OriginC, 2)
		wantResult(t, mustApply(t, s, newPage(PeerA, 3, IncomingSeizure(x2))), 1, 0, 0)
	}
}

// testRetentionPurgeSource checks that purging a removed peer's sources
// removes the copies it alone supplied, switches those another source
// also supplied, leaves the others, and audits each removal.
func testRetentionPurgeSource(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		s := fedFresh(t, open)
		only, both, other := ForeignSeizure(1, T0, OriginC, 1), ForeignSeizure(2, T0, OriginC, 1), ForeignSeizure(3, T0, OriginC, 1)
		gone := ForeignSeizure(4, T0, OriginC, 1)
		mustApply(t, s, newPage(PeerB, 1, IncomingSeizure(only), IncomingSeizure(both), IncomingSeizure(gone)))
		mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(both), IncomingSeizure(other)))
		mustApply(t, s, newPage(PeerB, 2, IncomingTombstone(crossguard.Header{ID: gone.ID, Kind: gone.Kind, Origin: gone.Origin,
			Version: 2, CreatedAt: gone.CreatedAt, UpdatedAt: gone.UpdatedAt.Add(time.Hour), Distribution: gone.Distribution, Marking: gone.Marking})))
		if err := s.RecordServed(t.Context(), PeerA, 1, []crossguard.Share{{ID: only.ID, Version: 1}}, nil, T0); err != nil {
			t.Fatalf("RecordServed: %v", err)
		}
		if err := s.RemovePeer(t.Context(), admin, PeerB, T0); err != nil {
			t.Fatalf("RemovePeer: %v", err)
		}
		mustGet(t, s, only.ID) // without a purge, the copies stay
		head0 := feedHead(t, s)
		var total crossguard.SourcePurge
		for range 10 {
			res, err := s.PurgeSource(t.Context(), admin, crossguard.ActionPeerPurge, PeerB, T0, 1)
			if err != nil {
				t.Fatalf("PurgeSource: %v", err)
			}
			if res.Sources == 0 {
				break
			}
			if res.Sources != 1 {
				t.Fatalf("PurgeSource(limit 1) dropped %d sources", res.Sources)
			}
			total.Removed, total.Switched, total.Sources = total.Removed+res.Removed, total.Switched+res.Switched, total.Sources+1
		}
		if total != (crossguard.SourcePurge{Removed: 1, Switched: 1, Sources: 2}) {
			t.Fatalf("purged %+v, want 1 removed, 1 switched, 2 sources", total)
		}
		wantNotFound(t, s, only.ID)
		mustGet(t, s, both.ID)
		mustGet(t, s, other.ID)
		wantNewChanges(t, s, head0, only.ID, both.ID)
		feed, _ := feedByID(t, s)
		wantWithdrawn(t, feed[only.ID], only.Header)
		if c := feed[both.ID]; c.State != crossguard.StateLive || c.Via != PeerA {
			t.Fatalf("change of %s: %s via %s, want live via %s", both.ID, c.State, c.Via, PeerA)
		}
		got := entries(t, s, crossguard.ActionPeerPurge)
		if len(got) != 1 {
			t.Fatalf("%d peer.purge entries, want 1", len(got))
		}
		wantEntry(t, got[0], crossguard.ActionPeerPurge, admin, crossguard.KindSeizure, only.ID, crossguard.OutcomeOK, got[0].Detail)
		if res, err := s.PurgeSource(t.Context(), admin, crossguard.ActionPeerPurge, PeerB, T0, 10); err != nil || res.Sources != 0 {
			t.Fatalf("PurgeSource once done = %+v, %v; want nothing", res, err)
		}
	}
}

// testRetentionDeclarations checks that declarations received before a
// time go oldest first in batches, with their decisions and inspections,
// one audit entry a batch, and that the others stay.
func testRetentionDeclarations(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		s := fresh(t, open)
		var all []*crossguard.DeclarationEntry
		for n := range 5 {
			e := NewDeclarationEntry(n, "torkham", T0.Add(-time.Duration(5-n)*365*day))
			e.Decision = NewDecision(n, crossguard.ChannelRed, crossguard.SelectedProfile, 0.9, "torkham", e.ReceivedAt, "profile-1")
			e.Inspection = NewInspection(n, crossguard.ResultSeizure, 100, e.ReceivedAt.Add(time.Hour))
			all = append(all, e)
		}
		mustSaveDeclarations(t, s, all...)
		cut := T0.Add(-2*365*day - time.Hour) // after the third
		ages, err := s.DeclarationAges(t.Context(), cut)
		if err != nil || ages.Total != 5 || ages.Due != 3 || !ages.Oldest.Equal(all[0].ReceivedAt.Truncate(time.Microsecond)) && !ages.Oldest.Equal(all[0].ReceivedAt) {
			t.Fatalf("DeclarationAges = %+v, %v; want 5, 3 due, the oldest at %v", ages, err, all[0].ReceivedAt)
		}
		var batches []crossguard.DeclarationsDeleted
		for range 5 {
			d, err := s.DeleteDeclarations(t.Context(), "retention", cut, T0, 2)
			if err != nil {
				t.Fatalf("DeleteDeclarations: %v", err)
			}
			if d.Declarations == 0 {
				break
			}
			batches = append(batches, d)
		}
		want := []crossguard.DeclarationsDeleted{{Declarations: 2, Decisions: 2, Inspections: 2}, {Declarations: 1, Decisions: 1, Inspections: 1}}
		if !slices.Equal(batches, want) {
			t.Fatalf("batches %+v, want %+v", batches, want)
		}
		for n, e := range all {
			_, err := s.DeclarationEntry(t.Context(), string(e.Declaration.DeclarationID))
			if n < 3 {
				wantCode(t, err, crossguard.ENOTFOUND)
			} else if err != nil {
				t.Fatalf("declaration %d: %v", n, err)
			}
		}
		decided, err := s.StoredDecisions(t.Context(), []string{string(all[0].Declaration.DeclarationID), string(all[4].Declaration.DeclarationID)})
		if err != nil || len(decided) != 1 || decided[string(all[4].Declaration.DeclarationID)] == nil {
			t.Fatalf("StoredDecisions = %v, %v; want only the last", decided, err)
		}
		got := entries(t, s, crossguard.ActionRetentionDeclarations)
		if len(got) != 2 {
			t.Fatalf("%d retention.declarations entries, want 2", len(got))
		}
		wantEntry(t, got[0], crossguard.ActionRetentionDeclarations, "retention", "declaration", "", crossguard.OutcomeOK,
			crossguard.AuditDetail("declarations", "2", "decisions", "2", "inspections", "2", "received_before", cut.UTC().Format(time.RFC3339Nano)))
	}
}
