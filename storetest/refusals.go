package storetest

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// testRefusals checks that a peer's status keeps the last refusal until an
// operator has seen it: neither a clean page nor an idle pull wipes it.
func testRefusals(t *testing.T, open Opener) {
	// shows fails t unless the peer's status, as the API shows it, names
	// the reason.
	shows := func(t *testing.T, s FederationStore, peer, reason string) {
		t.Helper()
		b, err := json.Marshal(mustPeer(t, s, peer).Status)
		if err != nil {
			t.Fatalf("encode the status of %s: %v", peer, err)
		}
		if !strings.Contains(string(b), reason) {
			t.Fatalf("status of %s lost the refusal %q: %s", peer, reason, b)
		}
	}
	// refuseOne applies a page from PeerA whose one version is a replay,
	// and returns the reason of its refusal.
	refuseOne := func(t *testing.T, s FederationStore) string {
		t.Helper()
		v1 := ForeignSeizure(1, T0, OriginC, 1)
		v2 := ForeignSeizure(1, T0, OriginC, 2)
		mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(v2)))
		want := refusal(v1.Header, reasonOlder(1, 2))
		wantResult(t, mustApply(t, s, newPage(PeerA, 2, IncomingSeizure(v1))), 0, 0, 0, want)
		shows(t, s, PeerA, want.Reason)
		return want.Reason
	}
	t.Run("kept after a clean page", func(t *testing.T) {
		s := fedFresh(t, open)
		reason := refuseOne(t, s)
		wantResult(t, mustApply(t, s, newPage(PeerA, 3, IncomingSeizure(ForeignSeizure(2, T0, PeerA, 1)))), 1, 0, 0)
		shows(t, s, PeerA, reason)
	})
	t.Run("kept after an idle pull", func(t *testing.T) {
		s := fedFresh(t, open)
		reason := refuseOne(t, s)
		at := T0.Add(time.Hour)
		if err := s.NotePeerPulled(t.Context(), PeerA, 12, at); err != nil {
			t.Fatalf("NotePeerPulled: %v", err)
		}
		shows(t, s, PeerA, reason)
	})
}
