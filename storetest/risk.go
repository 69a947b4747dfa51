package storetest

import (
	"strings"
	"testing"
	"time"

	"crossguard"
)

// riskT0 is T0 at the microsecond precision at which the suite compares
// the times of declarations, decisions, inspections, watch-list entries,
// models and profile states.
var riskT0 = T0.Truncate(time.Microsecond)

// testRisk checks the storage of risk targeting: declarations with their
// decisions and inspections, the watch list, models and profile states,
// none of which ever enters the change feed.
func testRisk(t *testing.T, open Opener) {
	for _, g := range []func(*testing.T, Opener){
		testDeclarations, testInspections, testRecentScores, testRiskStats,
		testWatchlist, testModels, testProfileStates, testRiskLocal,
		testStoredDecisions,
	} {
		g(t, open)
	}
}

// riskFresh opens a store, in parallel with the other subtests.
func riskFresh(t *testing.T, open Opener) crossguard.Store {
	t.Helper()
	return fresh(t, open)
}

// mustSaveDeclarations stores entries in one call, failing t on error.
func mustSaveDeclarations(t *testing.T, s crossguard.Store, entries ...*crossguard.DeclarationEntry) {
	t.Helper()
	if err := s.SaveDeclarations(t.Context(), actor, entries, nil); err != nil {
		t.Fatalf("SaveDeclarations(%d entries): %v", len(entries), err)
	}
}

// mustEntry returns the stored entry of declaration id, failing t on
// error.
func mustEntry(t *testing.T, s crossguard.Store, id crossguard.Code) *crossguard.DeclarationEntry {
	t.Helper()
	e, err := s.DeclarationEntry(t.Context(), string(id))
	if err != nil {
		t.Fatalf("DeclarationEntry(%s): %v", id, err)
	}
	return e
}

// wantNoDeclaration fails t unless declaration id is not stored.
func wantNoDeclaration(t *testing.T, s crossguard.Store, id crossguard.Code) {
	t.Helper()
	e, err := s.DeclarationEntry(t.Context(), string(id))
	if crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
		t.Fatalf("DeclarationEntry(%s) = %+v, %v; want ENOTFOUND", id, e, err)
	}
}

// auditActions returns every audit entry with this action, oldest first.
func auditActions(t *testing.T, s crossguard.Store, action string) []*crossguard.AuditEntry {
	t.Helper()
	var out []*crossguard.AuditEntry
	err := s.WalkAudit(t.Context(), func(e *crossguard.AuditEntry) error {
		if e.Action == action {
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("WalkAudit: %v", err)
	}
	return out
}

// wantAudit fails t unless the audit entries of record id are entries
// with these actions, in order, all by actor with outcome ok.
func wantAudit(t *testing.T, s crossguard.Store, id string, actions ...string) []*crossguard.AuditEntry {
	t.Helper()
	trail := auditTrail(t, s, id)
	got := make([]string, len(trail))
	for i, e := range trail {
		got[i] = e.Action
		if e.Actor != actor || e.Outcome != crossguard.OutcomeOK {
			t.Fatalf("audit entry %d of %s is by %q with outcome %q, want %q and ok", e.Seq, id, e.Actor, e.Outcome, actor)
		}
	}
	wantIDs(t, "audit actions of "+id, got, actions)
	return trail
}

// wantMessage fails t unless err's message contains every one of parts.
func wantMessage(t *testing.T, err error, parts ...string) {
	t.Helper()
	msg := crossguard.ErrorMessage(err)
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Fatalf("error %q does not name %q", msg, p)
		}
	}
}
