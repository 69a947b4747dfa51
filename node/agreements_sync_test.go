package node_test

import (
	"reflect"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation/fedtest"
	"crossguard/node"
)

// TestAgreementAcrossNodes runs the cooperation programme across real
// nodes on loopback: an agreement of A (pk-customs) with B (af-customs)
// reaches B and never C (cn-customs, a peer of both but not a party);
// progress reports from both parties, one of them entered late with an
// earlier report time, end in the same statuses on A and B; an activity
// of B reaches A and not C.
func TestAgreementAcrossNodes(t *testing.T) {
	for _, backend := range []struct {
		name string
		open fedtest.Opener
	}{{"SQLite", fedtest.SQLite}, {"PostgreSQL", fedtest.Postgres}} {
		t.Run(backend.name, func(t *testing.T) {
			ctx := t.Context()
			a := fedtest.NewNode(t, fedtest.SQLite, "pk-customs/sost")
			b := fedtest.NewNode(t, backend.open, "af-customs/islam-qala")
			c := fedtest.NewNode(t, backend.open, "cn-customs/tashkurgan")
			for _, pair := range [][2]*fedtest.Node{{a, b}, {a, c}, {b, c}} {
				fedtest.Link(pair[0], pair[1], fedtest.All)
			}
			day := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
			for _, n := range []*fedtest.Node{a, b, c} {
				n.Node.Clock = crossguard.FixedClock(day)
			}

			ag, err := a.Node.CreateAgreement(ctx, "rana", agreementInput())
			if err != nil {
				t.Fatal(err)
			}
			fedtest.Sync(t, 5, a, b, c)
			if _, err := b.Node.Agreement(ctx, "wahid", ag.ID); err != nil {
				t.Fatalf("b has not received the agreement: %v", err)
			}

			// B enters "done", then a report it forgot, from the day before.
			report := func(n *fedtest.Node, at time.Time, commitment, status string) {
				t.Helper()
				n.Node.Clock = crossguard.FixedClock(at)
				defer func() { n.Node.Clock = crossguard.FixedClock(day) }()
				if _, err := n.Node.ReportProgress(ctx, "test", ag.ID, &crossguard.Progress{Commitment: commitment, Status: status}); err != nil {
					t.Fatalf("%s reports %s on %s: %v", n.ID(), status, commitment, err)
				}
			}
			report(b, day, "tr-1", crossguard.StatusDone)
			report(a, day.Add(-time.Hour), "ex-1", crossguard.StatusInProgress)
			fedtest.Sync(t, 5, a, b, c)
			report(b, day.Add(-24*time.Hour), "tr-1", crossguard.StatusInProgress)
			report(a, day.Add(-48*time.Hour), "ex-1", crossguard.StatusPlanned)
			fedtest.Sync(t, 5, a, b, c)

			var views []*node.AgreementView
			for _, n := range []*fedtest.Node{a, b} {
				v, err := n.Node.Agreement(ctx, "test", ag.ID)
				if err != nil {
					t.Fatalf("%s: %v", n.ID(), err)
				}
				views = append(views, v)
			}
			if !reflect.DeepEqual(views[0].Commitments, views[1].Commitments) {
				t.Fatalf("a and b disagree:\n%+v\n%+v", views[0].Commitments, views[1].Commitments)
			}
			// ex-1 was due 2026-11-30: in progress but overdue on the 1st.
			if statusOf(views[0], "ex-1") != crossguard.StatusOverdue || statusOf(views[0], "tr-1") != crossguard.StatusDone {
				t.Fatalf("statuses %+v", views[0].Commitments)
			}

			act := exerciseInput(ag.ID, "ex-1")
			act.Agencies = []string{"af-customs", "pk-customs"}
			got, err := b.Node.CreateActivity(ctx, "wahid", act)
			if err != nil {
				t.Fatal(err)
			}
			fedtest.Sync(t, 5, a, b, c)
			if acts, err := a.Node.Activities(ctx, "rana", ag.ID); err != nil || len(acts) != 1 || acts[0].ID != got.ID {
				t.Fatalf("a's activities of the agreement: %v", err)
			}

			held := c.Holds()
			if _, ok := held[ag.ID]; ok {
				t.Fatalf("c, not a party, holds the agreement")
			}
			if _, ok := held[got.ID]; ok {
				t.Fatalf("c, not a party, holds the activity")
			}
			for _, kind := range []string{crossguard.KindAgreement, crossguard.KindProgress, crossguard.KindActivity} {
				if rs, err := c.Store.RecordsOfKind(ctx, kind); err != nil || len(rs) != 0 {
					t.Fatalf("c holds %d %s records (%v)", len(rs), kind, err)
				}
			}
		})
	}
}
