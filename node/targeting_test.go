package node_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"crossguard"
	"crossguard/storetest"
)

// TestDecideLooksUpStoredDeclarations checks what Decide does with
// declarations already stored: one with a decision gets that decision back
// and is not stored again; one stored without a decision (imported
// history) fails the whole batch with ECONFLICT naming it.
func TestDecideLooksUpStoredDeclarations(t *testing.T) {
	n := mustNode(t)
	ctx := context.Background()
	imported := storetest.NewDeclarationEntry(1, "sost", now)
	imported.Inspection = storetest.FileInspection(1, crossguard.Label{Fraud: 1, Critical: 1}, now)
	if err := n.Store.SaveDeclarations(ctx, "import", []*crossguard.DeclarationEntry{imported}, nil); err != nil {
		t.Fatal(err)
	}
	first, err := n.Decide(ctx, "amina", []*crossguard.Declaration{decl(2), decl(3)})
	if err != nil {
		t.Fatalf("Decide of new declarations: %v", err)
	}
	if len(first) != 2 || first[0] == nil || first[1] == nil || first[1].DeclarationID != string(storetest.DeclarationID(3)) {
		t.Fatalf("Decide of 2 new declarations = %+v", first)
	}
	saves := auditCount(t, n, crossguard.ActionDeclarationSave)

	// Declaration 3 again, between two new ones: its stored decision comes
	// back in its place, and only the new ones are stored.
	again, err := n.Decide(ctx, "amina", []*crossguard.Declaration{decl(4), decl(3), decl(5)})
	if err != nil {
		t.Fatalf("Decide with a decided declaration: %v", err)
	}
	stored, err := n.Store.DeclarationEntry(ctx, string(storetest.DeclarationID(3)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again[1], stored.Decision) {
		t.Fatalf("decision of a decided declaration = %+v, want the stored %+v", again[1], stored.Decision)
	}
	if again[0].DeclarationID != string(storetest.DeclarationID(4)) || again[2].DeclarationID != string(storetest.DeclarationID(5)) {
		t.Fatalf("decisions out of order: %s, %s", again[0].DeclarationID, again[2].DeclarationID)
	}
	for _, id := range []int{4, 5} {
		if _, err := n.Store.DeclarationEntry(ctx, string(storetest.DeclarationID(id))); err != nil {
			t.Fatalf("new declaration %d of a batch with a decided one: %v", id, err)
		}
	}
	// Only decided declarations: nothing is stored.
	if _, err := n.Decide(ctx, "amina", []*crossguard.Declaration{decl(2), decl(5)}); err != nil {
		t.Fatalf("Decide of decided declarations: %v", err)
	}
	if got := auditCount(t, n, crossguard.ActionDeclarationSave); got != saves+1 {
		t.Fatalf("%d declaration saves after two more calls, want %d: one for the new declarations only", got, saves+1)
	}

	_, err = n.Decide(ctx, "amina", []*crossguard.Declaration{decl(6), decl(1)})
	if crossguard.ErrorCode(err) != crossguard.ECONFLICT || !strings.Contains(crossguard.ErrorMessage(err), string(storetest.DeclarationID(1))) {
		t.Fatalf("Decide with a declaration stored without a decision: %v; want ECONFLICT naming %s", err, storetest.DeclarationID(1))
	}
	if _, err := n.Store.DeclarationEntry(ctx, string(storetest.DeclarationID(6))); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
		t.Fatalf("declaration 6 of a refused batch: %v; want ENOTFOUND", err)
	}
	e, err := n.Store.DeclarationEntry(ctx, string(storetest.DeclarationID(1)))
	if err != nil || e.Decision != nil {
		t.Fatalf("imported declaration after a refused batch: %+v, %v; want it still without a decision", e, err)
	}
}

// decl returns declaration i of the store suite, valid as a client sends
// it: without the suite's identifiers, whose check digits are not real.
func decl(i int) *crossguard.Declaration {
	d := storetest.NewDeclaration(i, "sost")
	d.Identifiers = nil
	return d
}
