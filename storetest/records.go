package storetest

import (
	"testing"
	"time"

	"crossguard"
)

// mustCreateRecord stores the own annotation a, failing t on error.
func mustCreateRecord(t *testing.T, s FederationStore, a *crossguard.Annotation) *crossguard.Record {
	t.Helper()
	r := RecordOf(a)
	if err := s.CreateRecord(t.Context(), actor, RecordOf(a)); err != nil {
		t.Fatalf("CreateRecord(%s): %v", a.ID, err)
	}
	return r
}

// recordsAbout returns the ids RecordsAbout lists.
func recordsAbout(t *testing.T, s FederationStore, kind, target string) []string {
	t.Helper()
	rs, err := s.RecordsAbout(t.Context(), kind, target)
	if err != nil {
		t.Fatalf("RecordsAbout(%s, %s): %v", kind, target, err)
	}
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
		if r.Target != target || r.Kind != kind {
			t.Fatalf("RecordsAbout(%s, %s) lists %s, a %s about %s", kind, target, r.ID, r.Kind, r.Target)
		}
	}
	return ids
}

// testRecords checks the RecordStore: own annotations, and received ones
// as readers see them.
func testRecords(t *testing.T, open Opener) {
	t.Run("create, read back and audit", func(t *testing.T) {
		s := fedBare(t, open)
		sz := NewSeizure(0, T0)
		mustCreate(t, s, sz)
		a := NewAnnotation(1, refOf(sz), Origin, T0.Add(time.Hour))
		a.Text = "Ящики с «чаем» — quotes \" and \\ backslash\nsecond line"
		want := mustCreateRecord(t, s, a)
		wantRecord(t, s, want)
		trail := auditTrail(t, s, a.ID)
		if len(trail) != 1 {
			t.Fatalf("%d audit entries about %s, want 1", len(trail), a.ID)
		}
		wantEntry(t, trail[0], crossguard.ActionRecordCreate, actor, crossguard.KindAnnotation, a.ID, crossguard.OutcomeOK)
		feed, head := feedByID(t, s)
		if head != 2 || feed[a.ID].Seq != 2 {
			t.Fatalf("record created after a seizure: change %d, head %d; want 2 and 2", feed[a.ID].Seq, head)
		}
		wantChange(t, feed[a.ID], a.Header, crossguard.StateLive, want.Body, nil, "")
		wantChain(t, s, 2)
	})
	t.Run("duplicate id conflicts and stores nothing", func(t *testing.T) {
		s := fedBare(t, open)
		a := NewAnnotation(1, crossguard.RecordRef{ID: SeizureID(0, T0), Kind: crossguard.KindSeizure, Origin: PeerA}, Origin, T0)
		want := mustCreateRecord(t, s, a)
		dup := NewAnnotation(2, a.Target, Origin, T0.Add(time.Hour))
		dup.ID = a.ID
		wantCode(t, s.CreateRecord(t.Context(), actor, RecordOf(dup)), crossguard.ECONFLICT)
		wantRecord(t, s, want)
		if head := feedHead(t, s); head != 1 {
			t.Fatalf("head after a refused create = %d, want 1", head)
		}
		wantChain(t, s, 1)
	})
	t.Run("unknown, seizure and removed ids not found", func(t *testing.T) {
		s := fedFresh(t, open)
		wantNoRecord(t, s, SeizureID(7, T0))
		sz := NewSeizure(0, T0)
		mustCreate(t, s, sz)
		wantNoRecord(t, s, sz.ID)
		del := NewAnnotation(1, refOf(sz), PeerA, T0)
		gone := NewAnnotation(2, refOf(sz), PeerA, T0)
		mustApply(t, s, newPage(PeerA, 1, IncomingAnnotation(del), IncomingAnnotation(gone)))
		tomb := del.Header
		tomb.Version, tomb.UpdatedAt = 2, T0.Add(time.Hour)
		p := newPage(PeerA, 2, IncomingTombstone(tomb))
		p.Withdrawals = []crossguard.Withdrawal{withdrawal(gone.Header, "TLP raised")}
		wantResult(t, mustApply(t, s, p), 1, 0, 1)
		wantNoRecord(t, s, del.ID)
		wantNoRecord(t, s, gone.ID)
		if ids := recordsAbout(t, s, crossguard.KindAnnotation, sz.ID); len(ids) != 0 {
			t.Fatalf("RecordsAbout lists removed records %v", ids)
		}
	})
	t.Run("records about a target, oldest first", func(t *testing.T) {
		s := fedFresh(t, open)
		sz := NewSeizure(0, T0)
		other := NewSeizure(1, T0)
		mustCreate(t, s, sz, other)
		at := T0.Add(time.Hour)
		late := NewAnnotation(10, refOf(sz), Origin, at.Add(3*time.Minute))
		tieHigh := NewAnnotation(11, refOf(sz), Origin, at.Add(time.Minute))
		tieLow := NewAnnotation(12, refOf(sz), Origin, at.Add(time.Minute))
		if tieLow.ID > tieHigh.ID {
			tieLow, tieHigh = tieHigh, tieLow
		}
		early := NewAnnotation(13, refOf(sz), Origin, at)
		elsewhere := NewAnnotation(14, refOf(other), Origin, at)
		for _, a := range []*crossguard.Annotation{late, tieHigh, tieLow, early, elsewhere} {
			mustCreateRecord(t, s, a)
		}
		received := NewAnnotation(15, refOf(sz), PeerA, at.Add(2*time.Minute))
		mustApply(t, s, newPage(PeerA, 1, IncomingAnnotation(received)))
		wantIDs(t, "records about "+sz.ID, recordsAbout(t, s, crossguard.KindAnnotation, sz.ID),
			[]string{early.ID, tieLow.ID, tieHigh.ID, received.ID, late.ID})
		wantIDs(t, "records about "+other.ID, recordsAbout(t, s, crossguard.KindAnnotation, other.ID), []string{elsewhere.ID})
		if ids := recordsAbout(t, s, "warning", sz.ID); len(ids) != 0 {
			t.Fatalf("warnings about %s: %v, want none", sz.ID, ids)
		}
		if ids := recordsAbout(t, s, crossguard.KindAnnotation, SeizureID(99, T0)); len(ids) != 0 {
			t.Fatalf("records about an unknown target: %v, want none", ids)
		}
		rs, err := s.RecordsAbout(t.Context(), crossguard.KindAnnotation, sz.ID)
		if err != nil {
			t.Fatalf("RecordsAbout: %v", err)
		}
		wantEqual(t, "received record", rs[3].Header, received.Header)
		if string(rs[3].Body) != string(IncomingAnnotation(received).Signed.Record) {
			t.Fatalf("received record body %s, want the signed record", rs[3].Body)
		}
		wantChain(t, s, 3+2+5+1)
	})
}
