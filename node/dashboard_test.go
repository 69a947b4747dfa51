package node_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"crossguard"
	"crossguard/node"
	"crossguard/storetest"
)

func TestDashboardMonthsTo(t *testing.T) {
	got := node.DashboardMonthsTo(time.Date(2026, time.February, 28, 23, 0, 0, 0, time.UTC), 4)
	if want := []string{"2025-11", "2025-12", "2026-01", "2026-02"}; !slices.Equal(got, want) {
		t.Errorf("months %v, want %v", got, want)
	}
}

func TestDashboardReadsTalliesNotSeizures(t *testing.T) {
	n := mustNode(t)
	ctx := context.Background()
	for i := range 3 {
		if _, err := n.CreateSeizure(ctx, "test", body(i)); err != nil {
			t.Fatal(err)
		}
	}
	d, err := n.Dashboard(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Months) != node.DashboardMonths || d.Months[len(d.Months)-1] != "2026-11" {
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
	n := mustNode(t)
	ctx := context.Background()
	for i := range 3 {
		if _, err := n.CreateSeizure(ctx, "test", body(i)); err != nil {
			t.Fatal(err)
		}
	}
	// Two partners, their records interleaved in time, and one record of
	// a third seized before the dashboard's months.
	var want []string
	var foreign []*crossguard.Seizure
	for i := range 13 {
		s := storetest.NewSeizure(100+i, now.Add(-time.Duration(i+2)*time.Hour))
		s.Origin = "cn-customs/kashgar"
		if i%3 == 0 {
			s.Origin = "af-customs/torkham"
		}
		foreign = append(foreign, s)
		if i < node.DashboardRecent {
			want = append(want, s.ID)
		}
	}
	old := storetest.NewSeizure(200, now.AddDate(-2, 0, 0))
	old.Origin = "ir-customs/taftan"
	foreign = append(foreign, old)
	if err := n.Store.CreateSeizures(ctx, "sync", foreign, nil); err != nil {
		t.Fatal(err)
	}
	reads := auditCount(t, n, crossguard.ActionSeizureRead)
	d, err := n.Dashboard(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range d.Recent {
		got = append(got, s.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("recent partner records %v, want the %d newest %v", got, node.DashboardRecent, want)
	}
	if r := auditCount(t, n, crossguard.ActionSeizureRead); r != reads+node.DashboardRecent {
		t.Errorf("%d reads audited, want the %d records shown", r-reads, node.DashboardRecent)
	}
}
