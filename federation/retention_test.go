package federation_test

import (
	"os"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation/fedtest"
	"crossguard/node"
)

// retentionBackends are the stores the retention tests run on: SQLite,
// and PostgreSQL when the environment names a server.
func retentionBackends() map[string]fedtest.Opener {
	b := map[string]fedtest.Opener{"sqlite": fedtest.SQLite}
	if os.Getenv("CROSSGUARD_TEST_POSTGRES") != "" {
		b["postgres"] = fedtest.Postgres
	}
	return b
}

// addAgreement records an agreement at n between parties, covering
// seizures, with a retention of days.
func addAgreement(t *testing.T, n *fedtest.Node, title string, days int, parties ...string) *crossguard.Agreement {
	t.Helper()
	v, err := n.Node.CreateAgreement(t.Context(), "test", &crossguard.Agreement{Title: title, Parties: parties, SignedOn: "2026-12-01",
		Scope: crossguard.AgreementScope{Kinds: []string{crossguard.KindSeizure}, RetentionDays: days,
			DefaultMarking: crossguard.Marking{TLP: crossguard.TLPAmber, Handling: crossguard.HandlingH1, SourceReliability: "B", InfoAccuracy: "2"}}})
	if err != nil {
		t.Fatalf("%s: create agreement %s: %v", n.ID(), title, err)
	}
	return v.Agreement
}

// applyRetention runs retention at n now, failing t on error.
func applyRetention(t *testing.T, n *fedtest.Node) *node.RetentionReport {
	t.Helper()
	rep, err := n.Node.ApplyRetention(t.Context(), node.RetentionActor, node.DefaultDeclarationRetention, nil)
	if err != nil {
		t.Fatalf("%s: apply retention: %v", n.ID(), err)
	}
	return rep
}

// wantHolds fails t unless n holds record id live exactly when want.
func wantHolds(t *testing.T, n *fedtest.Node, id string, want bool, when string) {
	t.Helper()
	if _, ok := n.Holds()[id]; ok != want {
		t.Fatalf("%s: holds %s = %v %s, want %v", n.ID(), id, ok, when, want)
	}
}

// auditCount returns how many entries of action n's audit log holds about
// record id.
func auditCount(t *testing.T, n *fedtest.Node, action, id string) int {
	t.Helper()
	c := 0
	err := n.Store.WalkAudit(t.Context(), func(e *crossguard.AuditEntry) error {
		if e.Action == action && e.RecordID == id {
			c++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestRetentionAcrossNodes runs retention on real nodes over mutual TLS on
// loopback, with one clock the test moves. A (pk-customs) shares a seizure
// with B (cn-customs, agreement of 30 days) and C (af-customs, agreement
// of 90 days); B passes it on to B2, a node of its own agency. After 31
// days B's retention purges B's copy, and B2 receives its withdrawal,
// while the origin A and C keep theirs; after 91 days A deletes it with a
// tombstone and C's copy goes too.
func TestRetentionAcrossNodes(t *testing.T) {
	for name, open := range retentionBackends() {
		t.Run(name, func(t *testing.T) {
			clock := &manualClock{now: time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)}
			a := fedtest.NewNode(t, open, "pk-customs/hq")
			b := fedtest.NewNode(t, open, "cn-customs/kashgar")
			b2 := fedtest.NewNode(t, open, "cn-customs/tashkurgan")
			c := fedtest.NewNode(t, open, "af-customs/kabul")
			for _, n := range []*fedtest.Node{a, b, b2, c} {
				n.Node.Clock = clock
			}
			fedtest.Link(a, b, fedtest.All)
			fedtest.Link(a, c, fedtest.All)
			fedtest.Link(b, b2, fedtest.All)
			b2.AddPeer(a, fedtest.Policy{Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPRed, OriginOnly: true})
			addAgreement(t, a, "Border seizures, 30 days", 30, "pk-customs", "cn-customs")
			addAgreement(t, a, "Border seizures, 90 days", 90, "pk-customs", "af-customs")
			r := createSeizure(t, a, crossguard.DistNetwork, crossguard.TLPGreen)
			fedtest.Sync(t, 20, a, b, b2, c)
			for _, n := range []*fedtest.Node{a, b, b2, c} {
				wantHolds(t, n, r.ID, true, "after the first sync")
			}

			clock.advance(29 * 24 * time.Hour)
			for _, n := range []*fedtest.Node{a, b, b2, c} {
				if rep := applyRetention(t, n); *rep != (node.RetentionReport{}) {
					t.Fatalf("%s: retention removed %+v before any retention ended", n.ID(), rep)
				}
			}
			st, err := b.Node.RetentionStatus(t.Context(), node.DefaultDeclarationRetention)
			if err != nil {
				t.Fatal(err)
			}
			var line *node.RetentionGroup
			for _, g := range st.Groups {
				if g.Kind == crossguard.KindSeizure && g.Origin == a.ID() {
					line = g
				}
			}
			if line == nil || line.Count != 1 || line.Retention.Days != 30 || line.FirstGoes == nil ||
				!line.FirstGoes.Equal(r.CreatedAt.AddDate(0, 0, 30)) {
				t.Fatalf("B's retention status of A's seizures: %+v, want 1 record going 30 days after %v", line, r.CreatedAt)
			}

			clock.advance(2 * 24 * time.Hour) // day 31
			for _, n := range []*fedtest.Node{a, c} {
				if rep := applyRetention(t, n); *rep != (node.RetentionReport{}) {
					t.Fatalf("%s: retention removed %+v on day 31", n.ID(), rep)
				}
			}
			if rep := applyRetention(t, b); rep.Purged != 1 || rep.Tombstoned != 0 {
				t.Fatalf("B: retention on day 31 = %+v, want its copy purged", rep)
			}
			if auditCount(t, b, crossguard.ActionRetentionPurge, r.ID) != 1 {
				t.Fatal("B: no retention.purge audit entry for the copy")
			}
			fedtest.Sync(t, 20, a, b, b2, c)
			wantHolds(t, b, r.ID, false, "after B's retention ended")
			wantHolds(t, b2, r.ID, false, "after B's retention ended (B withdrew it)")
			wantHolds(t, a, r.ID, true, "on day 31 (the origin keeps it while C may)")
			wantHolds(t, c, r.ID, true, "on day 31 (its agreement gives it 90 days)")
			if auditCount(t, b2, crossguard.ActionFedWithdrawn, r.ID) != 1 {
				t.Fatal("B2: the copy did not go by B's withdrawal")
			}
			// B2 holds the agreement too (cn-customs is a party) and would
			// have purged its copy itself; B's withdrawal came first.
			for _, n := range []*fedtest.Node{b, b2} {
				if rep := applyRetention(t, n); *rep != (node.RetentionReport{}) {
					t.Fatalf("%s: retention run again removed %+v", n.ID(), rep)
				}
			}

			clock.advance(60 * 24 * time.Hour) // day 91
			if rep := applyRetention(t, a); rep.Tombstoned != 1 {
				t.Fatalf("A: retention on day 91 = %+v, want its record deleted", rep)
			}
			if _, err := a.Store.Tombstone(t.Context(), r.ID); err != nil {
				t.Fatalf("A: no tombstone of %s: %v", r.ID, err)
			}
			if auditCount(t, a, crossguard.ActionRetentionDelete, r.ID) != 1 {
				t.Fatal("A: no retention.delete audit entry")
			}
			fedtest.Sync(t, 20, a, b, b2, c)
			for _, n := range []*fedtest.Node{a, b, b2, c} {
				wantHolds(t, n, r.ID, false, "on day 91")
			}
			if _, err := c.Store.Tombstone(t.Context(), r.ID); err != nil {
				t.Fatalf("C: the origin's tombstone did not arrive: %v", err)
			}
		})
	}
}

// TestPeerRemovePurge removes a peer and purges its copies as peer remove
// --purge does: the copy the peer alone sent goes, with a peer.purge
// entry, and the node's downstream peer receives the withdrawal; the copy
// another peer also sent (relayed) stays, held from that peer.
func TestPeerRemovePurge(t *testing.T) {
	for name, open := range retentionBackends() {
		t.Run(name, func(t *testing.T) {
			a := fedtest.NewNode(t, open, "pk-customs/hq")
			c := fedtest.NewNode(t, open, "af-customs/kabul")
			b := fedtest.NewNode(t, open, "cn-customs/kashgar")
			b2 := fedtest.NewNode(t, open, "cn-customs/tashkurgan")
			fedtest.Link(a, b, fedtest.All)
			fedtest.Link(c, b, fedtest.All)
			fedtest.Link(a, c, fedtest.All)
			fedtest.Link(b, b2, fedtest.All)
			b2.AddPeer(a, fedtest.Policy{Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPRed, OriginOnly: true})
			// only goes to cn-customs alone, so B holds it from A alone;
			// both reaches B from A and, relayed, from C.
			only := createSeizure(t, a, crossguard.DistNetwork, crossguard.TLPRed, "cn-customs")
			both := createSeizure(t, a, crossguard.DistNetwork, crossguard.TLPGreen)
			fedtest.Sync(t, 20, a, b, b2, c)
			wantHolds(t, b, only.ID, true, "before the purge")
			wantHolds(t, b2, only.ID, true, "before the purge")
			wantHolds(t, b, both.ID, true, "before the purge")

			if err := b.Node.RemovePeer(t.Context(), "test", a.ID()); err != nil {
				t.Fatal(err)
			}
			wantHolds(t, b, only.ID, true, "after a removal without --purge")
			total, err := b.Node.PurgePeer(t.Context(), "test", a.ID(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if total.Removed != 1 {
				t.Fatalf("purge of %s = %+v, want 1 copy removed", a.ID(), total)
			}
			if auditCount(t, b, crossguard.ActionPeerPurge, only.ID) != 1 {
				t.Fatal("B: no peer.purge audit entry")
			}
			fedtest.Sync(t, 20, b, b2, c)
			wantHolds(t, b, only.ID, false, "after the purge")
			wantHolds(t, b2, only.ID, false, "after the purge (B withdrew it)")
			wantHolds(t, b, both.ID, true, "after the purge (C also sent it)")
			wantHolds(t, b2, both.ID, true, "after the purge")
			if again, err := b.Node.PurgePeer(t.Context(), "test", a.ID(), nil); err != nil || again.Sources != 0 {
				t.Fatalf("purge again = %+v, %v; want nothing left", again, err)
			}
		})
	}
}
