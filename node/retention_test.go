package node_test

import (
	"context"
	"testing"
	"time"

	"crossguard"
	"crossguard/node"
	"crossguard/storetest"
)

// TestDeclarationRetention moves the clock past the declaration retention:
// the declarations received before it go with their decisions and
// inspections, audited a batch at a time, and the status says what is
// left and when it goes.
func TestDeclarationRetention(t *testing.T) {
	n := mustNode(t)
	ctx := context.Background()
	var entries []*crossguard.DeclarationEntry
	for i := range 4 {
		e := storetest.NewDeclarationEntry(i, "torkham", now.Add(-time.Duration(6-i)*365*24*time.Hour-time.Hour))
		e.Decision = storetest.NewDecision(i, crossguard.ChannelRed, crossguard.SelectedProfile, 0.9, "torkham", e.ReceivedAt, "p-1")
		e.Inspection = storetest.NewInspection(i, crossguard.ResultSeizure, 10, e.ReceivedAt.Add(time.Hour))
		entries = append(entries, e)
	}
	if err := n.Store.SaveDeclarations(ctx, "test", entries, nil); err != nil {
		t.Fatal(err)
	}
	st, err := n.RetentionStatus(ctx, node.DefaultDeclarationRetention)
	if err != nil {
		t.Fatal(err)
	}
	d := st.Declarations
	if d.Total != 4 || d.Due != 2 || d.Days != 1825 || d.FirstGoes == nil || !d.FirstGoes.Equal(entries[0].ReceivedAt.Add(node.DefaultDeclarationRetention)) {
		t.Fatalf("declarations status %+v, want 4, 2 past 1825 days", d)
	}
	rep, err := n.ApplyRetention(ctx, node.RetentionActor, node.DefaultDeclarationRetention, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Declarations != (crossguard.DeclarationsDeleted{Declarations: 2, Decisions: 2, Inspections: 2}) || rep.Tombstoned+rep.Purged != 0 {
		t.Fatalf("retention run %+v, want 2 declarations with their decisions and inspections", rep)
	}
	for i, e := range entries {
		_, err := n.Store.DeclarationEntry(ctx, string(e.Declaration.DeclarationID))
		if gone := crossguard.ErrorCode(err) == crossguard.ENOTFOUND; gone != (i < 2) {
			t.Fatalf("declaration %d: %v", i, err)
		}
	}
	if got := auditCount(t, n, crossguard.ActionRetentionDeclarations); got != 1 {
		t.Fatalf("%d retention.declarations entries, want 1 (one batch)", got)
	}
	// A year on, the third goes.
	n.Clock = crossguard.FixedClock(now.Add(366 * 24 * time.Hour))
	if rep, err = n.ApplyRetention(ctx, node.RetentionActor, node.DefaultDeclarationRetention, nil); err != nil || rep.Declarations.Declarations != 1 {
		t.Fatalf("a year on: %+v, %v; want 1 declaration", rep, err)
	}
}

// TestRetentionKeepsUncovered moves the clock twenty years on: own
// records, shared or not, that no agreement with a retention covers are
// kept, and so are records under an agreement without one.
func TestRetentionKeepsUncovered(t *testing.T) {
	n := mustNode(t)
	ctx := context.Background()
	for i, dist := range []string{crossguard.DistLocal, crossguard.DistAgency, crossguard.DistPartners, crossguard.DistNetwork} {
		b := body(i)
		b.Distribution, b.Recipients = dist, nil
		if b.Marking.TLP == crossguard.TLPRed {
			b.Marking.TLP = crossguard.TLPAmber
		}
		if _, err := n.CreateSeizure(ctx, "amina", b); err != nil {
			t.Fatal(err)
		}
	}
	_, err := n.CreateAgreement(ctx, "liaison", &crossguard.Agreement{Title: "Open-ended", Parties: []string{"pk-customs", "cn-customs"},
		SignedOn: "2026-01-01", Scope: crossguard.AgreementScope{Kinds: []string{crossguard.KindWarning}, RetentionDays: 10,
			DefaultMarking: crossguard.Marking{TLP: crossguard.TLPAmber, Handling: crossguard.HandlingH1, SourceReliability: "B", InfoAccuracy: "2"}}})
	if err != nil {
		t.Fatal(err)
	}
	n.Clock = crossguard.FixedClock(now.AddDate(20, 0, 0))
	rep, err := n.ApplyRetention(ctx, node.RetentionActor, node.DefaultDeclarationRetention, nil)
	if err != nil || *rep != (node.RetentionReport{}) {
		t.Fatalf("retention twenty years on = %+v, %v; want nothing removed", rep, err)
	}
	st, err := n.RetentionStatus(ctx, node.DefaultDeclarationRetention)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range st.Groups {
		if g.FirstGoes != nil || g.Retention.Days != 0 {
			t.Fatalf("group %+v goes; want every group kept", g)
		}
	}
}
