package apply_test

import (
	"testing"

	"crossguard"
	"crossguard/federation/apply"
)

// pageCase is a page from a peer applied to what is held, and what the
// batch must say: the counts, the refusals' reasons, the rows changed
// (see changes), the sources changed (see sources), the audit entries
// (see audited) and the withdrawals counted in the peer's status.
type pageCase struct {
	name        string
	held        *apply.Held
	peer        string
	records     []*crossguard.Incoming
	withdrawals []crossguard.Withdrawal

	applied, unchanged, withdrawn, looped int
	refused, changes, sources, audited    []string
	peerWithdrawals                       int
}

// pageCases are the rules of the package doc, one case or more each.
var pageCases = []pageCase{
	{name: "a new version is stored from its sender, which becomes its source",
		held: holding(nil, nil), peer: peerA, records: []*crossguard.Incoming{live("r1", 1, origin, peerA)},
		applied: 1, changes: []string{"r1 stored v1 via " + peerA + " " + origin + ">" + peerA},
		sources: []string{"r1 " + peerA + " v1 " + origin + ">" + peerA}},
	{name: "a version of this node's own record is refused",
		held: holding(map[string]*apply.Row{"r1": own(1)}, nil), peer: peerA,
		records: []*crossguard.Incoming{func() *crossguard.Incoming { in := live("r1", 2, self, peerA); in.Header.Origin = self; return in }()},
		refused: []string{apply.ReasonOwn},
		audited: []string{crossguard.ActionFedRefuse + " r1: " + apply.ReasonOwn}},
	{name: "an id held under another origin is refused",
		held: holding(map[string]*apply.Row{"r1": copyOf(1, peerA, origin, peerA)}, nil), peer: peerB,
		records: []*crossguard.Incoming{func() *crossguard.Incoming { in := live("r1", 2, other, peerB); in.Header.Origin = other; return in }()},
		refused: []string{"record r1 belongs to " + origin + ", not " + other}},
	{name: "an id held as another kind is refused for its kind before its origin",
		held: holding(map[string]*apply.Row{"r1": copyOf(1, peerA, origin, peerA)}, nil), peer: peerB,
		records: []*crossguard.Incoming{note("r1", other, 2, other, peerB)},
		refused: []string{"record r1 is a seizure, not a annotation"}},
	{name: "a loop from the only source withdraws the copy",
		held: holding(map[string]*apply.Row{"r1": copyOf(1, peerA, origin, peerA)},
			map[string]map[string]apply.Source{"r1": {peerA: src(1, origin, peerA)}}),
		peer: peerA, records: []*crossguard.Incoming{live("r1", 1, origin, self, peerA)},
		looped: 1, withdrawn: 1, changes: []string{"r1 withdrawn"}, sources: []string{"r1 " + peerA + " gone"},
		audited: []string{crossguard.ActionFedWithdrawn + " r1: " + apply.ReasonLoop}},
	{name: "a loop from the current source switches the copy to another source",
		held: holding(map[string]*apply.Row{"r1": copyOf(1, peerA, origin, peerA)},
			map[string]map[string]apply.Source{"r1": {peerA: src(1, origin, peerA), peerC: src(1, origin, peerC)}}),
		peer: peerA, records: []*crossguard.Incoming{live("r1", 2, origin, self, peerA)},
		looped: 1, changes: []string{"r1 via " + peerC + " " + origin + ">" + peerC}, sources: []string{"r1 " + peerA + " gone"}},
	{name: "a loop from a peer that is not a source changes nothing",
		held: holding(map[string]*apply.Row{"r1": copyOf(1, peerB, origin, peerB)},
			map[string]map[string]apply.Source{"r1": {peerB: src(1, origin, peerB)}}),
		peer: peerA, records: []*crossguard.Incoming{live("r1", 1, origin, self, peerA)}, looped: 1},
	{name: "a loop of a record not held changes nothing",
		held: holding(nil, nil), peer: peerA, records: []*crossguard.Incoming{live("r1", 1, origin, self, peerA)}, looped: 1},
	{name: "an older version is refused as a replay",
		held: holding(map[string]*apply.Row{"r1": copyOf(2, peerA, origin, peerA)}, nil), peer: peerA,
		records: []*crossguard.Incoming{live("r1", 1, origin, peerA)},
		refused: []string{"version 1 is older than the version 2 held here: a replay"}},
	{name: "the version held, offered by another peer, adds a source",
		held: holding(map[string]*apply.Row{"r1": copyOf(1, peerA, origin, peerA)},
			map[string]map[string]apply.Source{"r1": {peerA: src(1, origin, peerA)}}),
		peer: peerB, records: []*crossguard.Incoming{live("r1", 1, origin, peerB)},
		unchanged: 1, sources: []string{"r1 " + peerB + " v1 " + origin + ">" + peerB}},
	{name: "the version held, from its current source on a new path, switches the path",
		held: holding(map[string]*apply.Row{"r1": copyOf(1, peerA, origin, peerA)},
			map[string]map[string]apply.Source{"r1": {peerA: src(1, origin, peerA)}}),
		peer: peerA, records: []*crossguard.Incoming{live("r1", 1, origin, peerC, peerA)},
		unchanged: 1, changes: []string{"r1 via " + peerA + " " + origin + ">" + peerC + ">" + peerA},
		sources: []string{"r1 " + peerA + " v1 " + origin + ">" + peerC + ">" + peerA}},
	{name: "the version held, from its current source on the same path, changes nothing",
		held: holding(map[string]*apply.Row{"r1": copyOf(1, peerA, origin, peerA)},
			map[string]map[string]apply.Source{"r1": {peerA: src(1, origin, peerA)}}),
		peer: peerA, records: []*crossguard.Incoming{live("r1", 1, origin, peerA)}, unchanged: 1},
	{name: "a newer version is stored from its sender; other sources stay at their version",
		held: holding(map[string]*apply.Row{"r1": copyOf(1, peerA, origin, peerA)},
			map[string]map[string]apply.Source{"r1": {peerA: src(1, origin, peerA), peerB: src(1, origin, peerB)}}),
		peer: peerB, records: []*crossguard.Incoming{live("r1", 2, origin, peerB)},
		applied: 1, changes: []string{"r1 stored v2 via " + peerB + " " + origin + ">" + peerB},
		sources: []string{"r1 " + peerB + " v2 " + origin + ">" + peerB}},
	{name: "a version stored over a withdrawn copy of the same version",
		held: holding(map[string]*apply.Row{"r1": {Kind: crossguard.KindSeizure, Origin: origin, Version: 1, Deleted: true, Withdrawn: true, Via: peerA}}, nil),
		peer: peerB, records: []*crossguard.Incoming{live("r1", 1, origin, peerB)},
		applied: 1, changes: []string{"r1 stored v1 via " + peerB + " " + origin + ">" + peerB},
		sources: []string{"r1 " + peerB + " v1 " + origin + ">" + peerB}},
	{name: "a tombstone is stored and drops every source",
		held: holding(map[string]*apply.Row{"r1": copyOf(1, peerA, origin, peerA)},
			map[string]map[string]apply.Source{"r1": {peerA: src(1, origin, peerA), peerB: src(1, origin, peerB)}}),
		peer: peerA, records: []*crossguard.Incoming{tomb("r1", 2, origin, peerA)},
		applied: 1, changes: []string{"r1 stored v2 deleted via " + peerA}, sources: []string{"r1 " + peerA + " gone", "r1 " + peerB + " gone"}},
	{name: "the tombstone held, offered again, is unchanged and adds no source",
		held: holding(map[string]*apply.Row{"r1": {Kind: crossguard.KindSeizure, Origin: origin, Version: 2, Deleted: true, Via: peerA}}, nil),
		peer: peerB, records: []*crossguard.Incoming{tomb("r1", 2, origin, peerB)}, unchanged: 1},
	{name: "a withdrawal from the only source withdraws the copy, for the sender's reason",
		held: holding(map[string]*apply.Row{"r1": copyOf(1, peerA, origin, peerA)},
			map[string]map[string]apply.Source{"r1": {peerA: src(1, origin, peerA)}}),
		peer: peerA, withdrawals: []crossguard.Withdrawal{withdrawal("r1", "narrowed")},
		withdrawn: 1, peerWithdrawals: 1, changes: []string{"r1 withdrawn"}, sources: []string{"r1 " + peerA + " gone"},
		audited: []string{crossguard.ActionFedWithdrawn + " r1: narrowed"}},
	{name: "a withdrawal from a source that is not the current one only drops it",
		held: holding(map[string]*apply.Row{"r1": copyOf(1, peerA, origin, peerA)},
			map[string]map[string]apply.Source{"r1": {peerA: src(1, origin, peerA), peerB: src(1, origin, peerB)}}),
		peer: peerB, withdrawals: []crossguard.Withdrawal{withdrawal("r1", "narrowed")},
		peerWithdrawals: 1, sources: []string{"r1 " + peerB + " gone"}},
	{name: "a withdrawal from the current source switches to the lowest peer id offering the version",
		held: holding(map[string]*apply.Row{"r1": copyOf(2, peerB, origin, peerB)},
			map[string]map[string]apply.Source{"r1": {peerA: src(1, origin, peerA), peerB: src(2, origin, peerB),
				peerC: src(2, origin, peerC), "uz-customs/d": src(2, origin, "uz-customs/d")}}),
		peer: peerB, withdrawals: []crossguard.Withdrawal{withdrawal("r1", "narrowed")},
		peerWithdrawals: 1, changes: []string{"r1 via " + peerC + " " + origin + ">" + peerC}, sources: []string{"r1 " + peerB + " gone"}},
	{name: "a withdrawal from a peer that is not a source is refused",
		held: holding(map[string]*apply.Row{"r1": copyOf(1, peerA, origin, peerA)},
			map[string]map[string]apply.Source{"r1": {peerA: src(1, origin, peerA)}}),
		peer: peerB, withdrawals: []crossguard.Withdrawal{withdrawal("r1", "narrowed")},
		refused: []string{"withdrawal from " + peerB + " of a copy received from " + peerA}},
	{name: "a withdrawal of this node's own record is refused",
		held: holding(map[string]*apply.Row{"r1": own(1)}, nil), peer: peerA,
		withdrawals: []crossguard.Withdrawal{withdrawal("r1", "narrowed")}, refused: []string{apply.ReasonOwnWithdraw}},
	{name: "a withdrawal of a deleted copy from a source drops the source only",
		held: holding(map[string]*apply.Row{"r1": {Kind: crossguard.KindSeizure, Origin: origin, Version: 2, Deleted: true, Via: peerA}},
			map[string]map[string]apply.Source{"r1": {peerA: src(1, origin, peerA)}}),
		peer: peerA, withdrawals: []crossguard.Withdrawal{withdrawal("r1", "narrowed")},
		peerWithdrawals: 1, sources: []string{"r1 " + peerA + " gone"}},
	{name: "a withdrawal of a deleted copy from a peer that is not a source changes nothing",
		held: holding(map[string]*apply.Row{"r1": {Kind: crossguard.KindSeizure, Origin: origin, Version: 2, Deleted: true, Via: peerA}}, nil),
		peer: peerB, withdrawals: []crossguard.Withdrawal{withdrawal("r1", "narrowed")}},
	{name: "a withdrawal of an id not held changes nothing",
		held: holding(nil, nil), peer: peerA, withdrawals: []crossguard.Withdrawal{withdrawal("r1", "narrowed")}},
	{name: "an id twice in a page is judged the second time against the first",
		held: holding(nil, nil), peer: peerA,
		records: []*crossguard.Incoming{live("r1", 1, origin, peerA), live("r1", 2, origin, peerA), live("r1", 1, origin, peerA)},
		applied: 2, refused: []string{"version 1 is older than the version 2 held here: a replay"},
		changes: []string{"r1 stored v2 via " + peerA + " " + origin + ">" + peerA},
		sources: []string{"r1 " + peerA + " v2 " + origin + ">" + peerA}},
	{name: "a version stored and withdrawn in one page; rows are ordered by their latest change",
		held: holding(nil, nil), peer: peerA,
		records:     []*crossguard.Incoming{live("r1", 1, origin, peerA), live("r2", 1, origin, peerA)},
		withdrawals: []crossguard.Withdrawal{withdrawal("r1", "narrowed")},
		applied:     2, withdrawn: 1, peerWithdrawals: 1,
		changes: []string{"r2 stored v1 via " + peerA + " " + origin + ">" + peerA, "r1 stored v1 withdrawn"},
		sources: []string{"r1 " + peerA + " gone", "r2 " + peerA + " v1 " + origin + ">" + peerA},
		audited: []string{crossguard.ActionFedWithdrawn + " r1: narrowed"}},
}

// TestPage checks every rule of a page's decision against its case.
func TestPage(t *testing.T) {
	for _, c := range pageCases {
		t.Run(c.name, func(t *testing.T) {
			p := &crossguard.InboundPage{Peer: c.peer, Records: c.records, Withdrawals: c.withdrawals, At: at, Cursor: 7}
			b, err := apply.Page(p, c.held)
			if err != nil {
				t.Fatalf("Page: %v", err)
			}
			res := b.Result
			if res.Applied != c.applied || res.Unchanged != c.unchanged || res.Withdrawn != c.withdrawn || res.Looped != c.looped {
				t.Errorf("result %+v, want %d applied, %d unchanged, %d withdrawn, %d looped", res, c.applied, c.unchanged, c.withdrawn, c.looped)
			}
			wantList(t, "refusals", refused(res), c.refused)
			wantList(t, "rows changed", changes(b), c.changes)
			wantList(t, "sources changed", sources(b), c.sources)
			if c.audited != nil {
				wantList(t, "audit entries", audited(b), c.audited)
			}
			if b.Status.Withdrawals != c.peerWithdrawals || b.Status.Applied != c.applied || b.Status.Refused != len(c.refused) {
				t.Errorf("status %+v, want %d applied, %d refused, %d withdrawals", b.Status, c.applied, len(c.refused), c.peerWithdrawals)
			}
			last := b.Audit[len(b.Audit)-1]
			if last.Action != crossguard.ActionFedReceive || last.Actor != c.peer || !last.At.Equal(at) {
				t.Errorf("last audit entry %+v, want the page received", last)
			}
		})
	}
}

// TestPageDefects checks that a live version the federation layer should
// not have passed on fails the page.
func TestPageDefects(t *testing.T) {
	noSeizure := live("r1", 1, origin, peerA)
	noSeizure.Seizure = nil
	otherSeizure := live("r1", 1, origin, peerA)
	otherSeizure.Seizure = &crossguard.Seizure{Header: crossguard.Header{ID: "r2"}}
	unsigned := note("r1", origin, 1, origin, peerA)
	unsigned.Signed.Record = nil
	for name, in := range map[string]*crossguard.Incoming{
		"a live seizure without its decoded record":   noSeizure,
		"a live seizure decoded as another record":    otherSeizure,
		"a live annotation without its signed record": unsigned,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := apply.Page(&crossguard.InboundPage{Peer: peerA, Records: []*crossguard.Incoming{in}, At: at}, holding(nil, nil))
			if crossguard.ErrorCode(err) != crossguard.EINVALID {
				t.Fatalf("Page: %v, want an invalid error", err)
			}
		})
	}
}

// TestPageAudit checks the order of a page's audit entries and its peer's
// status: the federation layer's refusals, then the store's refusals and
// the copies withdrawn as the items come, then the page received.
func TestPageAudit(t *testing.T) {
	layer := crossguard.Refusal{ID: "r9", Kind: crossguard.KindSeizure, Origin: origin, Reason: "malformed signature"}
	held := holding(map[string]*apply.Row{"r1": copyOf(2, peerA, origin, peerA), "r2": copyOf(1, peerA, origin, peerA)},
		map[string]map[string]apply.Source{"r1": {peerA: src(2, origin, peerA)}, "r2": {peerA: src(1, origin, peerA)}})
	p := &crossguard.InboundPage{Peer: peerA, Refused: []crossguard.Refusal{layer}, At: at, Cursor: 7,
		Records:     []*crossguard.Incoming{live("r1", 1, origin, peerA), live("r3", 1, origin, peerA)},
		Withdrawals: []crossguard.Withdrawal{withdrawal("r2", "narrowed")}}
	b, err := apply.Page(p, held)
	if err != nil {
		t.Fatal(err)
	}
	replay := "version 1 is older than the version 2 held here: a replay"
	wantList(t, "audit entries", audited(b), []string{
		crossguard.ActionFedRefuse + " r9: malformed signature",
		crossguard.ActionFedRefuse + " r1: " + replay,
		crossguard.ActionFedWithdrawn + " r2: narrowed",
	})
	recv := b.Audit[len(b.Audit)-1]
	want := crossguard.AuditDetail("cursor", "7", "applied", "1", "unchanged", "0", "withdrawn", "1", "looped", "0", "refused", "2", "ids", "r3")
	if recv.Detail != want {
		t.Errorf("page received with detail %q, want %q", recv.Detail, want)
	}
	st := b.Status
	all := []crossguard.Refusal{layer, b.Result.Refused[0]}
	if st.Refused != 2 || st.LastError != crossguard.RefusalSummary(peerA, all) || st.LastRefusal == nil || st.LastRefusal.Reason != replay {
		t.Errorf("status %+v, want 2 refusals, the last the replay", st)
	}
	if st.RefusedByClass[crossguard.RefusalClass(replay)] != 1 || st.RefusedByClass[crossguard.RefusalClass(layer.Reason)] != 1 {
		t.Errorf("refusals by class %v", st.RefusedByClass)
	}
	for _, e := range b.Audit {
		if e.Actor != peerA || !e.At.Equal(at) {
			t.Errorf("entry %+v, want by %s at %v", e, peerA, at)
		}
	}
	clean, err := apply.Page(&crossguard.InboundPage{Peer: peerA, At: at}, holding(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	if st := clean.Status; st.LastError != "" || st.LastRefusal != nil || st.RefusedByClass != nil {
		t.Errorf("status of a clean page %+v, want no error", st)
	}
}

// TestIDs checks the ids a page names: its records' (none for a nil
// record), then its withdrawals'.
func TestIDs(t *testing.T) {
	p := &crossguard.InboundPage{Records: []*crossguard.Incoming{live("r1", 1), nil, note("r2", origin, 1)},
		Withdrawals: []crossguard.Withdrawal{withdrawal("r3", "narrowed")}}
	wantList(t, "ids", apply.IDs(p), []string{"r1", "r2", "r3"})
	if _, err := apply.Page(&crossguard.InboundPage{Peer: peerA, Records: []*crossguard.Incoming{nil}, At: at}, holding(nil, nil)); err != nil {
		t.Errorf("Page with a nil record: %v", err)
	}
}
