package web

import (
	"context"
	"slices"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation/fedtest"
	"crossguard/internal/testnode"
	"crossguard/storetest"
)

// dashboardNow is the fixed clock of the dashboard's data tests.
var dashboardNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// dashboardNode returns a node over a fresh SQLite database holding three
// seizures of its own, and its dashboard.
func dashboardNode(t *testing.T) (*testnode.Node, NodeDashboard) {
	t.Helper()
	ctx := context.Background()
	st := fedtest.SQLite(t)
	info := crossguard.NodeInfo{ID: "pk-customs/sost", Agency: "pk-customs", Node: "sost", Country: "PK", Name: "Sost", PublicKey: "a2V5", CreatedAt: dashboardNow}
	if err := st.InitNode(ctx, &info); err != nil {
		t.Fatal(err)
	}
	n := testnode.New(info, st, nil)
	n.Clock = crossguard.FixedClock(dashboardNow)
	for i := range 3 {
		s := storetest.NewSeizure(i, dashboardNow.Add(-time.Hour))
		s.Header = crossguard.Header{Distribution: s.Distribution, Recipients: s.Recipients, Marking: s.Marking}
		if _, err := n.CreateSeizure(ctx, "test", s); err != nil {
			t.Fatal(err)
		}
	}
	return n, NodeDashboard{Partners: n, Risk: n, Now: n.Clock.Now}
}

// seizureReads returns how many seizure reads the node's audit log holds.
func seizureReads(t *testing.T, n *testnode.Node) int {
	t.Helper()
	page, err := n.Store.ListAudit(context.Background(), crossguard.AuditFilter{Action: crossguard.ActionSeizureRead, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Items)
}

func TestDashboardMonthsTo(t *testing.T) {
	got := dashboardMonthsTo(time.Date(2026, time.February, 28, 23, 0, 0, 0, time.UTC), 4)
	if want := []string{"2025-11", "2025-12", "2026-01", "2026-02"}; !slices.Equal(got, want) {
		t.Errorf("months %v, want %v", got, want)
	}
}

func TestDashboardReadsTalliesNotSeizures(t *testing.T) {
	n, dash := dashboardNode(t)
	d, err := dash.Dashboard(context.Background(), "alice")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Months) != dashboardMonths || d.Months[len(d.Months)-1] != "2026-11" {
		t.Errorf("months %v", d.Months)
	}
	var own int64
	for _, tl := range d.Tallies {
		if tl.Dim == crossguard.TallyOrigin && tl.Key == n.Info.ID {
			own += tl.Count
		}
	}
	if own != 3 {
		t.Errorf("origin tally %d, want 3", own)
	}
	if len(d.Recent) != 0 {
		t.Errorf("%d partner records, want none: the node's own are not listed", len(d.Recent))
	}
	if d.Risk == nil || d.Risk.Total != 0 {
		t.Errorf("risk stats %+v, want none scored", d.Risk)
	}
}

func TestDashboardListsTheNewestPartnerRecords(t *testing.T) {
	n, dash := dashboardNode(t)
	ctx := context.Background()
	// Two partners, their records interleaved in time, and one record of
	// a third seized before the dashboard's months.
	var want []string
	var foreign []*crossguard.Seizure
	for i := range 13 {
		s := storetest.NewSeizure(100+i, dashboardNow.Add(-time.Duration(i+2)*time.Hour))
		s.Origin = "cn-customs/kashgar"
		if i%3 == 0 {
			s.Origin = "af-customs/torkham"
		}
		foreign = append(foreign, s)
		if i < dashboardRecent {
			want = append(want, s.ID)
		}
	}
	old := storetest.NewSeizure(200, dashboardNow.AddDate(-2, 0, 0))
	old.Origin = "ir-customs/taftan"
	foreign = append(foreign, old)
	if err := n.Store.CreateSeizures(ctx, "sync", foreign, nil); err != nil {
		t.Fatal(err)
	}
	reads := seizureReads(t, n)
	d, err := dash.Dashboard(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range d.Recent {
		got = append(got, s.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("recent partner records %v, want the %d newest %v", got, dashboardRecent, want)
	}
	if r := seizureReads(t, n); r != reads+dashboardRecent {
		t.Errorf("%d reads audited, want the %d records shown", r-reads, dashboardRecent)
	}
}
