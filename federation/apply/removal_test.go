package apply_test

import (
	"testing"

	"crossguard"
	"crossguard/federation/apply"
)

// TestRemove checks the node's own removal of copies (retention): live
// received copies lose every source and are withdrawn, audited as the
// removal says; the rest stays.
func TestRemove(t *testing.T) {
	held := holding(map[string]*apply.Row{
		"r1": copyOf(1, peerA, origin, peerA),
		"r2": own(1),
		"r3": {Kind: crossguard.KindSeizure, Origin: origin, Version: 2, Deleted: true, Via: peerA},
		"r4": {Kind: crossguard.KindSeizure, Origin: origin, Version: 1, Deleted: true, Withdrawn: true, Via: peerA},
	}, map[string]map[string]apply.Source{"r1": {peerA: src(1, origin, peerA), peerB: src(1, origin, peerB)}})
	rm := apply.Removal{Actor: "retention", Action: "retention.remove", Reason: "kept 30 days", At: at}
	b := apply.Remove(held, rm, []string{"r1", "r2", "r3", "r4", "r5", "r1"})
	wantList(t, "rows changed", changes(b), []string{"r1 withdrawn"})
	wantList(t, "sources changed", sources(b), []string{"r1 " + peerA + " gone", "r1 " + peerB + " gone"})
	wantList(t, "audit entries", audited(b), []string{"retention.remove r1: kept 30 days"})
	if e := b.Audit[0]; e.Actor != rm.Actor || !e.At.Equal(at) || e.RecordKind != crossguard.KindSeizure || e.Outcome != crossguard.OutcomeOK {
		t.Errorf("audit entry %+v", e)
	}
	if b.Result.Withdrawn != 1 || b.Status != nil {
		t.Errorf("result %+v, status %+v, want one withdrawn and no status", b.Result, b.Status)
	}
}

// TestPurge checks dropping a removed peer as a source: the copies it was
// the only source of go, those it was the current source of switch, and
// the others lose the source only.
func TestPurge(t *testing.T) {
	held := holding(map[string]*apply.Row{
		"r1": copyOf(1, peerA, origin, peerA),
		"r2": copyOf(1, peerA, origin, peerA),
		"r3": own(1),
		"r4": copyOf(1, peerB, origin, peerB),
	}, map[string]map[string]apply.Source{
		"r1": {peerA: src(1, origin, peerA)},
		"r2": {peerA: src(1, origin, peerA), peerC: src(1, origin, peerC), peerB: src(1, origin, peerB)},
		"r3": {peerA: src(1, origin, peerA)},
		"r4": {peerA: src(1, origin, peerA), peerB: src(1, origin, peerB)},
	})
	b := apply.Purge(held, peerA, []string{"r1", "r2", "r3", "r4"}, "admin", crossguard.ActionPeerPurge, at)
	wantList(t, "rows changed", changes(b), []string{"r1 withdrawn", "r2 via " + peerB + " " + origin + ">" + peerB})
	wantList(t, "sources changed", sources(b), []string{"r1 " + peerA + " gone", "r2 " + peerA + " gone", "r3 " + peerA + " gone", "r4 " + peerA + " gone"})
	wantList(t, "audit entries", audited(b), []string{crossguard.ActionPeerPurge + " r1: " + apply.PurgeReason(peerA)})
	if b.Result.Withdrawn != 1 || b.Switched != 1 {
		t.Errorf("%d withdrawn, %d switched, want 1 and 1", b.Result.Withdrawn, b.Switched)
	}
}
