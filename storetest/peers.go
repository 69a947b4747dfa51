package storetest

import (
	"strings"
	"testing"
	"time"

	"crossguard"
)

// testPeers checks the PeerStore: peers with their policy and status.
func testPeers(t *testing.T, open Opener) {
	t.Run("add, read and list by id", func(t *testing.T) {
		s := fedBare(t, open)
		peers, err := s.Peers(t.Context())
		if err != nil || len(peers) != 0 {
			t.Fatalf("Peers of a new node = %v, %v; want none", peers, err)
		}
		b := NewPeer(PeerB, crossguard.RelAgency, T0.Add(time.Hour+123456789))
		a := NewPeer(PeerA, crossguard.RelPartner, T0.Add(2*time.Hour))
		a.Kinds = []string{crossguard.KindAnnotation, crossguard.KindSeizure, "warning"}
		a.MaxTLP = crossguard.TLPRed
		c := NewPeer(OriginC, crossguard.RelPartner, T0)
		c.OriginOnly = true
		for _, p := range []*crossguard.Peer{b, a, c} {
			mustPutPeer(t, s, p)
		}
		wantEqual(t, "peer "+PeerA, mustPeer(t, s, PeerA), a)
		wantEqual(t, "peer "+OriginC, mustPeer(t, s, OriginC), c)
		peers, err = s.Peers(t.Context())
		if err != nil {
			t.Fatalf("Peers: %v", err)
		}
		wantEqual(t, "peers", peers, []*crossguard.Peer{a, c, b})
		adds := entries(t, s, crossguard.ActionPeerAdd)
		if len(adds) != 3 {
			t.Fatalf("%d peer.add audit entries, want 3", len(adds))
		}
		for i, e := range adds {
			// In the order added. The entry names the peer and its policy,
			// where it is reached and which key it is pinned to.
			p := []*crossguard.Peer{b, a, c}[i]
			wantEntry(t, e, crossguard.ActionPeerAdd, admin, "peer", p.Card.ID, crossguard.OutcomeOK,
				`relationship="`+p.Relationship+`"`, `max_tlp="`+p.MaxTLP+`"`, `kinds="`+strings.Join(p.Kinds, ",")+`"`, `url="`+p.Card.URL+`"`, `public_key="`+p.Card.PublicKey+`"`)
		}
		wantChain(t, s, 3)
	})
	t.Run("unknown peer not found", func(t *testing.T) {
		s := fedBare(t, open)
		_, err := s.Peer(t.Context(), PeerA)
		wantCode(t, err, crossguard.ENOTFOUND)
		wantCode(t, s.RemovePeer(t.Context(), admin, PeerA, T0), crossguard.ENOTFOUND)
		wantCode(t, s.NotePeerError(t.Context(), PeerA, "cannot reach it", T0), crossguard.ENOTFOUND)
		wantCode(t, s.NotePeerPulled(t.Context(), PeerA, 5, T0), crossguard.ENOTFOUND)
		wantChain(t, s, 0)
	})
	t.Run("errors and pulls in the status", func(t *testing.T) {
		s := fedFresh(t, open)
		at1 := T0.Add(3 * time.Minute).Truncate(time.Microsecond)
		at2 := T0.Add(4 * time.Minute).Truncate(time.Microsecond)
		if err := s.NotePeerError(t.Context(), PeerA, "cannot reach af-customs/islam-qala: connection refused", at1); err != nil {
			t.Fatalf("NotePeerError: %v", err)
		}
		want := NewPeer(PeerA, crossguard.RelPartner, T0)
		want.Status.LastError, want.Status.LastErrorAt = "cannot reach af-customs/islam-qala: connection refused", &at1
		wantEqual(t, "peer after an error", mustPeer(t, s, PeerA), want)
		if err := s.NotePeerPulled(t.Context(), PeerA, 42, at2); err != nil {
			t.Fatalf("NotePeerPulled: %v", err)
		}
		want.Status = crossguard.PeerStatus{RemoteHead: 42, LastExchange: &at2}
		wantEqual(t, "peer after a pull", mustPeer(t, s, PeerA), want)
		wantEqual(t, "other peer", mustPeer(t, s, PeerB), NewPeer(PeerB, crossguard.RelAgency, T0))
		wantChain(t, s, 3)
	})
	t.Run("replacing the policy keeps the status", func(t *testing.T) {
		s := fedFresh(t, open)
		at := T0.Add(time.Minute).Truncate(time.Microsecond)
		mustApply(t, s, newPage(PeerA, 7))
		x, y := SeizureID(1, T0), SeizureID(2, T0)
		mustServe(t, s, PeerA, served(1, x, y), nil, at)
		mustServe(t, s, PeerA, nil, []crossguard.Share{withdrawnAt(y, 3)}, at)
		status := mustPeer(t, s, PeerA).Status
		if status.Cursor != 7 || status.Sent != 3 {
			t.Fatalf("status %+v, want cursor 7 and 3 sent", status)
		}
		// The new policy comes a day later: the peer keeps the date it
		// was first added.
		p := NewPeer(PeerA, crossguard.RelPartner, T0.Add(24*time.Hour))
		p.Kinds, p.MaxTLP = []string{crossguard.KindSeizure}, crossguard.TLPGreen
		p.Card.URL = "https://islam-qala-2.example.org:7443"
		mustPutPeer(t, s, p)
		want := *p
		want.AddedAt = NewPeer(PeerA, crossguard.RelPartner, T0).AddedAt
		want.Status = status
		want.PolicyVersion = 2 // and the reconcile pending
		wantEqual(t, "peer after a new policy", mustPeer(t, s, PeerA), &want)
		wantEqual(t, "shares after a new policy", sharedWith(t, s, PeerA, x, y), map[string]int64{x: 1, y: 0})
		if n := len(entries(t, s, crossguard.ActionPeerAdd)); n != 4 {
			t.Fatalf("%d peer.add audit entries, want 4", n)
		}
		wantChain(t, s, 3+1+1+1+1)
	})
	t.Run("remove forgets the peer and its status, not what it may hold", func(t *testing.T) {
		s := fedFresh(t, open)
		mustApply(t, s, newPage(PeerA, 7))
		x, y := SeizureID(1, T0), SeizureID(2, T0)
		mustServe(t, s, PeerA, served(1, x, y), nil, T0)
		mustServe(t, s, PeerA, nil, []crossguard.Share{withdrawnAt(y, 3)}, T0)
		mustServe(t, s, PeerB, served(1, x), nil, T0)
		if err := s.RemovePeer(t.Context(), admin, PeerA, T0); err != nil {
			t.Fatalf("RemovePeer: %v", err)
		}
		_, err := s.Peer(t.Context(), PeerA)
		wantCode(t, err, crossguard.ENOTFOUND)
		peers, err := s.Peers(t.Context())
		if err != nil {
			t.Fatalf("Peers: %v", err)
		}
		if len(peers) != 2 || peers[0].Card.ID != OriginC || peers[1].Card.ID != PeerB {
			t.Fatalf("peers after a removal: %v, want %s and %s", peers, OriginC, PeerB)
		}
		removes := entries(t, s, crossguard.ActionPeerRemove)
		if len(removes) != 1 {
			t.Fatalf("%d peer.remove audit entries, want 1", len(removes))
		}
		wantEntry(t, removes[0], crossguard.ActionPeerRemove, admin, "peer", PeerA, crossguard.OutcomeOK)
		wantCode(t, s.RemovePeer(t.Context(), admin, PeerA, T0), crossguard.ENOTFOUND)
		// The removed node keeps its copies: added again, it is to be
		// reconciled against what it was served.
		wantEqual(t, "shared with a removed peer", sharedWith(t, s, PeerA, x, y), map[string]int64{x: 1, y: 0})
		mustPutPeer(t, s, NewPeer(PeerA, crossguard.RelPartner, T0))
		want := NewPeer(PeerA, crossguard.RelPartner, T0)
		want.ReconciledVersion = 0
		wantEqual(t, "peer added again", mustPeer(t, s, PeerA), want)
		wantEqual(t, "shared with a peer added again", sharedWith(t, s, PeerA, x, y), map[string]int64{x: 1, y: 0})
		wantEqual(t, "shared with the other peer", sharedWith(t, s, PeerB, x, y), map[string]int64{x: 1})
		// A peer that was never served anything starts reconciled.
		mustPutPeer(t, s, NewPeer(Dushanbe, crossguard.RelPartner, T0))
		wantEqual(t, "a new peer", mustPeer(t, s, Dushanbe), NewPeer(Dushanbe, crossguard.RelPartner, T0))
		wantChain(t, s, 3+1+1+1+1+1+1+1)
	})
}
