package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"crossguard"
)

// testRiskQueue checks the declaration queue (RecentDecisions) and the
// declarations the profile preview reads (RecentDeclarations).
func testRiskQueue(t *testing.T, open Opener) {
	t.Run("queue", func(t *testing.T) { testDecisionQueue(t, open) })
	t.Run("recent declarations", func(t *testing.T) { testRecentDeclarations(t, open) })
}

// queueDecl is one declaration of the queue's data.
type queueDecl struct {
	n         int
	crossing  string
	channel   string
	minute    int
	inspected bool
}

// queueData are decided declarations at two crossings in every channel,
// two pairs decided at the same minute (ties broken by id), some
// inspected, and one undecided declaration received last.
var queueData = []queueDecl{
	{1, "torkham", crossguard.ChannelRed, 1, true},
	{2, "torkham", crossguard.ChannelGreen, 2, false},
	{3, "sost", crossguard.ChannelRed, 3, false},
	{4, "sost", crossguard.ChannelYellow, 3, false},
	{5, "torkham", crossguard.ChannelRed, 4, false},
	{6, "sost", crossguard.ChannelBlue, 5, true},
	{7, "torkham", crossguard.ChannelRed, 6, false},
	{8, "sost", crossguard.ChannelRed, 6, true},
	{9, "sost", crossguard.ChannelGreen, 7, false},
}

// queueIDs returns the declaration ids of a page's items, in order.
func queueIDs(p *crossguard.DecisionPage) []string {
	out := []string{}
	for _, e := range p.Items {
		out = append(out, string(e.Declaration.DeclarationID))
	}
	return out
}

// wantQueue returns the ids of queueData that keep, newest decision first
// (ties by id, descending).
func wantQueue(keep func(queueDecl) bool) []string {
	var sel []queueDecl
	for _, d := range queueData {
		if keep(d) {
			sel = append(sel, d)
		}
	}
	slices.SortFunc(sel, func(a, b queueDecl) int {
		if a.minute != b.minute {
			return b.minute - a.minute
		}
		return b.n - a.n
	})
	out := []string{}
	for _, d := range sel {
		out = append(out, string(DeclarationID(d.n)))
	}
	return out
}

// mustQueueAll follows f's cursor to the end of the queue, checking that
// no page is longer than f.Limit, and returns every id in order.
func mustQueueAll(t *testing.T, s crossguard.Store, f crossguard.DecisionFilter) []string {
	t.Helper()
	out := []string{}
	for range 100 {
		p, err := s.RecentDecisions(t.Context(), f)
		if err != nil {
			t.Fatalf("RecentDecisions(%+v): %v", f, err)
		}
		if f.Limit > 0 && len(p.Items) > f.Limit {
			t.Fatalf("RecentDecisions(%+v): %d items, limit %d", f, len(p.Items), f.Limit)
		}
		out = append(out, queueIDs(p)...)
		if p.NextCursor == "" {
			return out
		}
		if len(p.Items) == 0 {
			t.Fatalf("RecentDecisions(%+v): an empty page with a next cursor", f)
		}
		f.Cursor = p.NextCursor
	}
	t.Fatalf("RecentDecisions(%+v): more than 100 pages", f)
	return nil
}

// testDecisionQueue checks the order, filters, paging and contents of
// RecentDecisions.
func testDecisionQueue(t *testing.T, open Opener) {
	s := riskFresh(t, open)
	var entries []*crossguard.DeclarationEntry
	for _, d := range queueData {
		e := NewDeclarationEntry(d.n, d.crossing, riskT0)
		at := riskT0.Add(time.Duration(d.minute) * time.Minute)
		var profiles []string
		if d.channel == crossguard.ChannelRed {
			profiles = []string{"p-b", "p-a"}
		}
		e.Decision = NewDecision(d.n, d.channel, crossguard.SelectedProfile, 0.5, d.crossing, at, profiles...)
		if d.inspected {
			e.Inspection = NewInspection(d.n, crossguard.ResultSeizure, 250.5, at.Add(time.Hour))
		}
		entries = append(entries, e)
	}
	entries = append(entries, NewDeclarationEntry(10, "sost", riskT0.Add(time.Hour)))
	mustSaveDeclarations(t, s, entries[:4]...)
	mustSaveDeclarations(t, s, entries[4:]...)

	for _, c := range []struct {
		name string
		f    crossguard.DecisionFilter
		keep func(queueDecl) bool
	}{
		{"all", crossguard.DecisionFilter{}, func(queueDecl) bool { return true }},
		{"red", crossguard.DecisionFilter{Channel: crossguard.ChannelRed}, func(d queueDecl) bool { return d.channel == crossguard.ChannelRed }},
		{"green", crossguard.DecisionFilter{Channel: crossguard.ChannelGreen}, func(d queueDecl) bool { return d.channel == crossguard.ChannelGreen }},
		{"sost", crossguard.DecisionFilter{Crossing: "sost"}, func(d queueDecl) bool { return d.crossing == "sost" }},
		{"uninspected", crossguard.DecisionFilter{Uninspected: true}, func(d queueDecl) bool { return !d.inspected }},
		{"red at sost not inspected", crossguard.DecisionFilter{Channel: crossguard.ChannelRed, Crossing: "sost", Uninspected: true},
			func(d queueDecl) bool {
				return d.channel == crossguard.ChannelRed && d.crossing == "sost" && !d.inspected
			}},
		{"unknown crossing", crossguard.DecisionFilter{Crossing: "chaman"}, func(queueDecl) bool { return false }},
	} {
		want := wantQueue(c.keep)
		for _, limit := range []int{0, 1, 2, 3, 100} {
			f := c.f
			f.Limit = limit
			wantEqual(t, fmt.Sprintf("queue %s, limit %d", c.name, limit), mustQueueAll(t, s, f), want)
		}
	}

	t.Run("a full last page has no next cursor", func(t *testing.T) {
		p, err := s.RecentDecisions(t.Context(), crossguard.DecisionFilter{Channel: crossguard.ChannelGreen, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 2 || p.NextCursor != "" {
			t.Errorf("green, limit 2: %v, next cursor %q; want both green ones and no cursor", queueIDs(p), p.NextCursor)
		}
	})

	t.Run("items carry their decision and inspection", func(t *testing.T) {
		p, err := s.RecentDecisions(t.Context(), crossguard.DecisionFilter{Crossing: "sost", Channel: crossguard.ChannelRed})
		if err != nil {
			t.Fatal(err)
		}
		wantEqual(t, "red at sost", queueIDs(p), []string{string(DeclarationID(8)), string(DeclarationID(3))})
		for i, n := range []int{8, 3} {
			e := p.Items[i]
			want := entries[n-1]
			wantEqual(t, "declaration", e.Declaration, want.Declaration)
			wantEqual(t, "received at", e.ReceivedAt.Equal(want.ReceivedAt), true)
			if e.Decision == nil {
				t.Fatalf("item %d has no decision", i)
			}
			wantEqual(t, "reasons", e.Decision.Reasons, want.Decision.Reasons)
			wantEqual(t, "profiles", e.Decision.Profiles, []string{"p-b", "p-a"})
			wantEqual(t, "decided at", e.Decision.DecidedAt.Equal(want.Decision.DecidedAt), true)
			wantEqual(t, "channel", e.Decision.Channel, crossguard.ChannelRed)
			wantEqual(t, "crossing", e.Decision.Crossing, "sost")
		}
		if in := p.Items[0].Inspection; in == nil || in.Result != crossguard.ResultSeizure || in.RecoveredRevenue != 250.5 || in.Label.Fraud != 1 {
			t.Errorf("inspection of 8 = %+v", in)
		}
		if p.Items[1].Inspection != nil {
			t.Errorf("3 was not inspected, got %+v", p.Items[1].Inspection)
		}
	})

	t.Run("an inspection recorded later leaves the uninspected queue", func(t *testing.T) {
		before := mustQueueAll(t, s, crossguard.DecisionFilter{Uninspected: true})
		if err := s.RecordInspection(t.Context(), actor, NewInspection(7, crossguard.ResultNoFinding, 0, riskT0.Add(2*time.Hour))); err != nil {
			t.Fatal(err)
		}
		after := mustQueueAll(t, s, crossguard.DecisionFilter{Uninspected: true})
		wantEqual(t, "uninspected after inspecting 7", after,
			slices.DeleteFunc(slices.Clone(before), func(id string) bool { return id == string(DeclarationID(7)) }))
	})

	t.Run("invalid filters", func(t *testing.T) {
		for _, f := range []crossguard.DecisionFilter{
			{Channel: "purple"},
			{Limit: -1},
			{Cursor: "not-a-cursor"},
			{Cursor: crossguard.EncodeSeizureCursor(riskT0, "x")},
		} {
			p, err := s.RecentDecisions(t.Context(), f)
			if crossguard.ErrorCode(err) != crossguard.EINVALID {
				t.Errorf("RecentDecisions(%+v) = %v, %v; want EINVALID", f, p, err)
			}
		}
	})
}

// testRecentDeclarations checks RecentDeclarations: every declaration,
// decided or not, newest received first, with its inspection.
func testRecentDeclarations(t *testing.T, open Opener) {
	s := riskFresh(t, open)
	got, err := s.RecentDeclarations(t.Context(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Fatalf("empty store: %d declarations", len(got))
	}
	var entries []*crossguard.DeclarationEntry
	for n, minute := range []int{0, 3, 1, 2, 2, 5} {
		if n == 0 {
			continue
		}
		at := riskT0.Add(time.Duration(minute) * time.Minute)
		e := NewDeclarationEntry(n, "sost", at)
		if n%2 == 0 {
			e.Decision = NewDecision(n, crossguard.ChannelGreen, crossguard.SelectedNone, 0.1, "sost", at)
		}
		if n == 3 {
			e.Inspection = FileInspection(n, crossguard.Label{Fraud: 1, Critical: 2}, at)
		}
		entries = append(entries, e)
	}
	mustSaveDeclarations(t, s, entries...)
	ids := func(es []*crossguard.DeclarationEntry) []string {
		out := []string{}
		for _, e := range es {
			out = append(out, string(e.Declaration.DeclarationID))
		}
		return out
	}
	all := []string{string(DeclarationID(5)), string(DeclarationID(1)), string(DeclarationID(4)), string(DeclarationID(3)), string(DeclarationID(2))}
	for _, c := range []struct {
		n    int
		want []string
	}{{0, []string{}}, {-1, []string{}}, {2, all[:2]}, {5, all}, {50, all}} {
		got, err := s.RecentDeclarations(t.Context(), c.n)
		if err != nil {
			t.Fatalf("RecentDeclarations(%d): %v", c.n, err)
		}
		wantEqual(t, fmt.Sprintf("RecentDeclarations(%d)", c.n), ids(got), c.want)
	}
	got, err = s.RecentDeclarations(t.Context(), 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range got {
		if e.Decision != nil {
			t.Errorf("%s: decision read", e.Declaration.DeclarationID)
		}
		n := idNumber(e.Declaration)
		wantEqual(t, "declaration", e.Declaration, entries[n-1].Declaration)
		if inspected := e.Inspection != nil; inspected != (n == 3) {
			t.Errorf("%s: inspection %+v", e.Declaration.DeclarationID, e.Inspection)
		}
	}
	if in := got[3].Inspection; in == nil || in.Label != (crossguard.Label{Fraud: 1, Critical: 2}) || in.Result != crossguard.ResultSeizure {
		t.Errorf("inspection of 3 = %+v", in)
	}
}
