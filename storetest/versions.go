package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"crossguard"
)

// testSeizureVersions checks the history of the versions of seizures:
// kept with every write, own or received, and removed with the record.
func testSeizureVersions(t *testing.T, open Opener) {
	t.Run("create then two updates keep three versions", func(t *testing.T) {
		s := fedFresh(t, open)
		v1 := NewSeizure(0, T0)
		other := NewSeizure(1, T0.Add(-time.Hour))
		mustCreate(t, s, v1, other)
		want := []*crossguard.Seizure{clone(v1)}
		for i, narrative := range []string{"Found in the spare tyre.", "Found in the spare tyre and the roof lining."} {
			next := clone(want[len(want)-1])
			next.Version, next.UpdatedAt, next.Narrative = int64(i+2), T0.Add(time.Duration(i+1)*time.Hour), narrative
			mustUpdate(t, s, next)
			want = append(want, clone(next))
		}
		got := mustVersions(t, s, v1.ID)
		wantVersions(t, got, want...)
		for _, v := range got {
			if v.Received || v.Via != "" || !v.StoredAt.Equal(v.UpdatedAt) {
				t.Errorf("own version %d: received %v, via %q, stored at %v; want written here at %v", v.Version, v.Received, v.Via, v.StoredAt, v.UpdatedAt)
			}
		}
		wantVersions(t, mustVersions(t, s, other.ID), other)
		wantVersions(t, mustVersions(t, s, SeizureID(99, T0)))
	})
	t.Run("received versions are marked received", func(t *testing.T) {
		s := fedFresh(t, open)
		v1 := ForeignSeizure(1, T0, OriginC, 1)
		mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(v1)))
		v2 := ForeignSeizure(1, T0, OriginC, 2)
		v2.Narrative = "Corrected: the goods were in the fuel tank."
		mustApply(t, s, newPage(PeerB, 1, IncomingSeizure(v2)))
		// The same version again, from the other peer, adds nothing.
		wantResult(t, mustApply(t, s, newPage(PeerA, 2, IncomingSeizure(v2))), 0, 1, 0)
		got := mustVersions(t, s, v1.ID)
		wantVersions(t, got, v1, v2)
		for i, via := range []string{PeerA, PeerB} {
			if v := got[i]; !v.Received || v.Via != via || v.StoredAt.IsZero() {
				t.Errorf("received version %d: received %v, via %q, stored at %v; want received via %s", v.Version, v.Received, v.Via, v.StoredAt, via)
			}
		}
	})
	t.Run("a deletion removes the history", func(t *testing.T) {
		s := fedFresh(t, open)
		v1, kept := NewSeizure(0, T0), NewSeizure(1, T0)
		mustCreate(t, s, v1, kept)
		v2 := clone(v1)
		v2.Version, v2.UpdatedAt, v2.Narrative = 2, T0.Add(time.Hour), "Second thoughts."
		mustUpdate(t, s, v2)
		if err := s.DeleteSeizure(t.Context(), actor, v1.ID, 2, T0.Add(2*time.Hour)); err != nil {
			t.Fatalf("DeleteSeizure: %v", err)
		}
		wantVersions(t, mustVersions(t, s, v1.ID))
		wantVersions(t, mustVersions(t, s, kept.ID), kept)
	})
	t.Run("a received tombstone removes the history", func(t *testing.T) {
		s := fedFresh(t, open)
		v1 := ForeignSeizure(1, T0, PeerA, 1)
		v2 := ForeignSeizure(1, T0, PeerA, 2)
		v2.Narrative = "Updated once."
		mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(v1)))
		mustApply(t, s, newPage(PeerA, 2, IncomingSeizure(v2)))
		wantVersions(t, mustVersions(t, s, v1.ID), v1, v2)
		tomb := v2.Header
		tomb.Version, tomb.UpdatedAt = 3, T0.Add(5*time.Hour)
		mustApply(t, s, newPage(PeerA, 3, IncomingTombstone(tomb)))
		wantVersions(t, mustVersions(t, s, v1.ID))
	})
	t.Run("a withdrawal removes the history", func(t *testing.T) {
		s := fedFresh(t, open)
		v1 := ForeignSeizure(1, T0, PeerA, 1)
		v2 := ForeignSeizure(1, T0, PeerA, 2)
		v2.Narrative = "Updated once."
		kept := ForeignSeizure(2, T0, PeerA, 1)
		mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(v1), IncomingSeizure(kept)))
		mustApply(t, s, newPage(PeerA, 2, IncomingSeizure(v2)))
		p := newPage(PeerA, 3)
		p.Withdrawals = []crossguard.Withdrawal{withdrawal(v2.Header, "this node no longer holds it")}
		wantResult(t, mustApply(t, s, p), 0, 0, 1)
		wantVersions(t, mustVersions(t, s, v1.ID))
		wantVersions(t, mustVersions(t, s, kept.ID), kept)
	})
}

// mustUpdate stores z as the next version of its seizure, failing t on
// error.
func mustUpdate(t *testing.T, s crossguard.Store, z *crossguard.Seizure) {
	t.Helper()
	if err := s.UpdateSeizure(t.Context(), actor, clone(z)); err != nil {
		t.Fatalf("UpdateSeizure(%s to version %d): %v", z.ID, z.Version, err)
	}
}

// mustVersions returns the versions held of seizure id, failing t on
// error.
func mustVersions(t *testing.T, s crossguard.Store, id string) []*crossguard.SeizureVersion {
	t.Helper()
	got, err := s.SeizureVersions(t.Context(), id)
	if err != nil {
		t.Fatalf("SeizureVersions(%s): %v", id, err)
	}
	return got
}

// wantVersions fails t unless got holds exactly the versions of want,
// oldest first, each with its own body (byte for byte in its JSON, so
// times to the nanosecond) and its updated_at to the microsecond at least.
func wantVersions(t *testing.T, got []*crossguard.SeizureVersion, want ...*crossguard.Seizure) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d versions, want %d", len(got), len(want))
	}
	for i, w := range want {
		v := got[i]
		if v.ID != w.ID || v.Version != w.Version || !v.UpdatedAt.Equal(w.UpdatedAt.Truncate(time.Microsecond)) && !v.UpdatedAt.Equal(w.UpdatedAt) {
			t.Errorf("version %d = %s v%d updated %v, want %s v%d updated %v", i, v.ID, v.Version, v.UpdatedAt, w.ID, w.Version, w.UpdatedAt)
		}
		var body crossguard.Seizure
		if err := json.Unmarshal(v.Body, &body); err != nil {
			t.Fatalf("version %d of %s: decode body: %v", v.Version, v.ID, err)
		}
		wantEqual(t, "body of version", &body, w)
	}
}
