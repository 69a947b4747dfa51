package storetest

import (
	"fmt"
	"testing"
	"time"

	"crossguard"
)

// Refusal reasons of the store, as the specification words them.
func reasonOlder(got, held int64) string {
	return fmt.Sprintf("version %d is older than the version %d held here: a replay", got, held)
}

func reasonOrigin(id, held, got string) string {
	return fmt.Sprintf("record %s belongs to %s, not %s", id, held, got)
}

func reasonKind(id, held, got string) string {
	return fmt.Sprintf("record %s is a %s, not a %s", id, held, got)
}

const (
	reasonOwn         = "a version of this node's own record"
	reasonOwnWithdraw = "withdrawal of this node's own record"
)

func reasonVia(peer, via string) string {
	return fmt.Sprintf("withdrawal from %s of a copy received from %s", peer, via)
}

// wantStatus fails t unless the status of peer is want.
func wantStatus(t *testing.T, s FederationStore, peer string, want crossguard.PeerStatus) {
	t.Helper()
	wantEqual(t, "status of "+peer, exchangeStatus(mustPeer(t, s, peer).Status), exchangeStatus(want))
}

// exchangeStatus returns st without what testRefusals checks: the last
// refusal kept until an acknowledgement, and the refusals and withdrawals
// counted.
func exchangeStatus(st crossguard.PeerStatus) crossguard.PeerStatus {
	st.LastRefusal, st.RefusedByClass, st.WithdrawalsReceived, st.WithdrawalsSent = nil, crossguard.RefusalCounts{}, 0, 0
	return st
}

// pageStatus returns the status after page p was applied cleanly on a
// status with these received, sent and refused counts.
func pageStatus(p *crossguard.InboundPage, received, sent, refused int64) crossguard.PeerStatus {
	at := p.At
	return crossguard.PeerStatus{Cursor: p.Cursor, RemoteHead: p.RemoteHead, LastExchange: &at, Received: received, Sent: sent, Refused: refused}
}

// testApply checks ApplyPage, rule by rule.
func testApply(t *testing.T, open Opener) {
	t.Run("new records of every kind", func(t *testing.T) {
		s := fedFresh(t, open)
		own := NewSeizure(0, T0)
		mustCreate(t, s, own)
		n0, head0 := chainLen(t, s), feedHead(t, s)
		theirs := ForeignSeizure(1, T0.Add(-time.Hour), PeerA, 1)
		relayed := ForeignSeizure(2, T0.Add(-2*time.Hour), OriginC, 4)
		note := NewAnnotation(3, refOf(own), PeerA, T0)
		neverHeld := ForeignSeizure(4, T0, PeerA, 1).Header
		neverHeld.Version, neverHeld.UpdatedAt = 3, T0.Add(9*time.Hour)
		noteGone := NewAnnotation(5, refOf(own), OriginC, T0).Header
		noteGone.Version = 2
		in := []*crossguard.Incoming{IncomingSeizure(theirs), IncomingSeizure(relayed), IncomingAnnotation(note),
			IncomingTombstone(neverHeld), IncomingTombstone(noteGone)}
		p := newPage(PeerA, 40, in...)
		wantResult(t, mustApply(t, s, p), 5, 0, 0)
		wantEqual(t, "received seizure", mustGet(t, s, theirs.ID), theirs)
		wantEqual(t, "relayed seizure", mustGet(t, s, relayed.ID), relayed)
		wantRecord(t, s, &crossguard.Record{Header: note.Header, Target: own.ID, Body: in[2].Signed.Record})
		wantTombstone(t, s, neverHeld)
		wantNoRecord(t, s, noteGone.ID)
		wantNewChanges(t, s, head0, theirs.ID, relayed.ID, note.ID, neverHeld.ID, noteGone.ID)
		feed, _ := feedByID(t, s)
		wantChange(t, feed[theirs.ID], theirs.Header, crossguard.StateLive, nil, &in[0].Signed, PeerA)
		wantChange(t, feed[relayed.ID], relayed.Header, crossguard.StateLive, nil, &in[1].Signed, PeerA)
		wantChange(t, feed[note.ID], note.Header, crossguard.StateLive, nil, &in[2].Signed, PeerA)
		wantChange(t, feed[neverHeld.ID], neverHeld, crossguard.StateDeleted, nil, &in[3].Signed, PeerA)
		wantChange(t, feed[noteGone.ID], noteGone, crossguard.StateDeleted, nil, &in[4].Signed, PeerA)
		wantStatus(t, s, PeerA, pageStatus(p, 5, 0, 0))
		wantStatus(t, s, PeerB, crossguard.PeerStatus{})
		wantIDs(t, "list", listAll(t, s, crossguard.SeizureFilter{}), idsSorted(own, theirs, relayed))
		recv := entries(t, s, crossguard.ActionFedReceive)
		if len(recv) != 1 {
			t.Fatalf("%d federation.receive audit entries, want 1", len(recv))
		}
		wantEntry(t, recv[0], crossguard.ActionFedReceive, PeerA, "", "", crossguard.OutcomeOK,
			theirs.ID, relayed.ID, note.ID, neverHeld.ID, noteGone.ID)
		if n := len(entries(t, s, crossguard.ActionFedRefuse)); n != 0 {
			t.Fatalf("%d federation.refuse audit entries, want none", n)
		}
		wantChain(t, s, n0+1)
	})
	t.Run("newer, same and older versions", func(t *testing.T) {
		s := fedFresh(t, open)
		v1 := ForeignSeizure(1, T0, OriginC, 1)
		v1.Narrative, v1.Country = "The xylophone crates hid the goods.", "TJ"
		mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(v1)))
		n0, head0 := chainLen(t, s), feedHead(t, s)
		v2 := ForeignSeizure(1, T0, OriginC, 2)
		v2.Narrative, v2.Country, v2.Goods = "A zeppelin replica hid the goods.", "TR", v2.Goods[:1]
		in2 := IncomingSeizure(v2)
		p := newPage(PeerB, 5, in2)
		wantResult(t, mustApply(t, s, p), 1, 0, 0)
		wantEqual(t, "seizure at version 2", mustGet(t, s, v1.ID), v2)
		wantNewChanges(t, s, head0, v1.ID)
		feed, head1 := feedByID(t, s)
		wantChange(t, feed[v1.ID], v2.Header, crossguard.StateLive, nil, &in2.Signed, PeerB)
		wantIDs(t, "old word", listAll(t, s, crossguard.SeizureFilter{Query: "xylophone"}), nil)
		wantIDs(t, "old country", listAll(t, s, crossguard.SeizureFilter{Country: "TJ"}), nil)
		wantIDs(t, "new word", listAll(t, s, crossguard.SeizureFilter{Query: "zeppelin"}), []string{v1.ID})
		wantIDs(t, "new country", listAll(t, s, crossguard.SeizureFilter{Country: "TR"}), []string{v1.ID})
		wantIDs(t, "new goods", listAll(t, s, crossguard.SeizureFilter{Category: v2.Goods[0].Category}), []string{v1.ID})

		// The same version again: unchanged, not renumbered.
		p = newPage(PeerA, 2, IncomingSeizure(v2))
		wantResult(t, mustApply(t, s, p), 0, 1, 0)
		wantStatus(t, s, PeerA, pageStatus(p, 1, 0, 0))
		if head := feedHead(t, s); head != head1 {
			t.Fatalf("head after an unchanged version = %d, want %d", head, head1)
		}
		// An older version: refused as a replay.
		old := IncomingSeizure(v1)
		p = newPage(PeerA, 3, old)
		want := refusal(v1.Header, reasonOlder(1, 2))
		wantResult(t, mustApply(t, s, p), 0, 0, 0, want)
		wantEqual(t, "seizure after a replay", mustGet(t, s, v1.ID), v2)
		st := pageStatus(p, 1, 0, 1)
		st.LastError, st.LastErrorAt = crossguard.RefusalSummary(PeerA, []crossguard.Refusal{want}), &p.At
		wantStatus(t, s, PeerA, st)
		refusals := entries(t, s, crossguard.ActionFedRefuse)
		if len(refusals) != 1 {
			t.Fatalf("%d federation.refuse audit entries, want 1", len(refusals))
		}
		wantEntry(t, refusals[0], crossguard.ActionFedRefuse, PeerA, crossguard.KindSeizure, v1.ID, crossguard.OutcomeDenied)
		if refusals[0].Detail != want.Reason {
			t.Fatalf("refusal audited with detail %q, want %q", refusals[0].Detail, want.Reason)
		}
		if head := feedHead(t, s); head != head1 {
			t.Fatalf("head after a refused version = %d, want %d", head, head1)
		}
		// A clean page clears the error.
		p = newPage(PeerA, 4)
		wantResult(t, mustApply(t, s, p), 0, 0, 0)
		wantStatus(t, s, PeerA, pageStatus(p, 1, 0, 1))
		wantChain(t, s, n0+4+1)
	})
	t.Run("newer, same and older annotations", func(t *testing.T) {
		s := fedFresh(t, open)
		target := NewSeizure(0, T0)
		mustCreate(t, s, target)
		a1 := NewAnnotation(1, refOf(target), PeerA, T0)
		mustApply(t, s, newPage(PeerA, 1, IncomingAnnotation(a1)))
		a2 := *a1
		a2.Version, a2.UpdatedAt, a2.Text = 2, a1.UpdatedAt.Add(time.Hour), "Corrected: stopped three times."
		in2 := IncomingAnnotation(&a2)
		wantResult(t, mustApply(t, s, newPage(PeerA, 2, in2)), 1, 0, 0)
		wantRecord(t, s, &crossguard.Record{Header: a2.Header, Target: target.ID, Body: in2.Signed.Record})
		wantResult(t, mustApply(t, s, newPage(PeerA, 3, IncomingAnnotation(&a2))), 0, 1, 0)
		wantResult(t, mustApply(t, s, newPage(PeerA, 4, IncomingAnnotation(a1))), 0, 0, 0, refusal(a1.Header, reasonOlder(1, 2)))
		wantRecord(t, s, &crossguard.Record{Header: a2.Header, Target: target.ID, Body: in2.Signed.Record})
		wantIDs(t, "records about the target", recordsAbout(t, s, crossguard.KindAnnotation, target.ID), []string{a1.ID})
		wantChain(t, s, 3+1+4+1)
	})
	t.Run("deletions", func(t *testing.T) {
		s := fedFresh(t, open)
		live := ForeignSeizure(1, T0, PeerA, 1)
		live.Narrative = "Hidden in a xylophone case."
		note := NewAnnotation(2, refOf(live), PeerA, T0)
		mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(live), IncomingAnnotation(note)))
		n0, head0 := chainLen(t, s), feedHead(t, s)
		tomb := live.Header
		tomb.Version, tomb.UpdatedAt = 2, T0.Add(5*time.Hour)
		noteTomb := note.Header
		noteTomb.Version, noteTomb.UpdatedAt = 3, T0.Add(6*time.Hour)
		in := []*crossguard.Incoming{IncomingTombstone(tomb), IncomingTombstone(noteTomb)}
		wantResult(t, mustApply(t, s, newPage(PeerB, 2, in...)), 2, 0, 0)
		wantTombstone(t, s, tomb)
		wantNoRecord(t, s, note.ID)
		wantIDs(t, "list after a deletion", listAll(t, s, crossguard.SeizureFilter{}), nil)
		wantIDs(t, "search after a deletion", listAll(t, s, crossguard.SeizureFilter{Query: "xylophone"}), nil)
		wantIDs(t, "category after a deletion", listAll(t, s, crossguard.SeizureFilter{Category: live.Goods[0].Category}), nil)
		if ids := recordsAbout(t, s, crossguard.KindAnnotation, live.ID); len(ids) != 0 {
			t.Fatalf("RecordsAbout lists a deleted annotation: %v", ids)
		}
		wantNewChanges(t, s, head0, live.ID, note.ID)
		feed, head1 := feedByID(t, s)
		wantChange(t, feed[live.ID], tomb, crossguard.StateDeleted, nil, &in[0].Signed, PeerB)
		wantChange(t, feed[note.ID], noteTomb, crossguard.StateDeleted, nil, &in[1].Signed, PeerB)
		// The same tombstone again is unchanged; an older live version is a replay.
		wantResult(t, mustApply(t, s, newPage(PeerA, 3, IncomingTombstone(tomb))), 0, 1, 0)
		wantResult(t, mustApply(t, s, newPage(PeerA, 4, IncomingSeizure(live), IncomingAnnotation(note))), 0, 0, 0,
			refusal(live.Header, reasonOlder(1, 2)), refusal(note.Header, reasonOlder(1, 3)))
		wantTombstone(t, s, tomb)
		if head := feedHead(t, s); head != head1 {
			t.Fatalf("head after unchanged and refused versions = %d, want %d", head, head1)
		}
		wantChain(t, s, n0+3+2)
	})
	t.Run("conflicts with held records", testApplyConflicts(open))
	t.Run("withdrawals", testWithdrawals(open))
	t.Run("withdrawn copies", testWithdrawnCopies(open))
	t.Run("sources and paths", testSources(open))
	t.Run("pages", testPages(open))
	t.Run("listed and searched by origin", testOriginFilters(open))
	t.Run("local writes", testLocalWrites(open))
	t.Run("concurrent with local writes", testFedConcurrency(open))
}

// idsSorted returns the ids of items in list order.
func idsSorted(items ...*crossguard.Seizure) []string {
	c := append([]*crossguard.Seizure{}, items...)
	sortNewestFirst(c)
	return idsOf(c)
}

// testApplyConflicts checks the refusal of versions that conflict with
// what the node holds: another origin, another kind, its own records.
func testApplyConflicts(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		s := fedFresh(t, open)
		own := NewSeizure(0, T0)
		mustCreate(t, s, own)
		ownNote := NewAnnotation(1, refOf(own), Origin, T0)
		ownRec := mustCreateRecord(t, s, ownNote)
		theirs := ForeignSeizure(2, T0, PeerA, 1)
		note := NewAnnotation(3, refOf(own), PeerA, T0)
		inNote := IncomingAnnotation(note)
		mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(theirs), inNote))
		before, head0 := feedByID(t, s)
		n0 := chainLen(t, s)

		otherOrigin := ForeignSeizure(2, T0, OriginC, 5) // theirs' id, another origin
		noteAsSeizure := ForeignSeizure(3, T0, PeerA, 2) // note's id, as a seizure
		noteAsSeizure.ID = note.ID
		seizureAsNote := NewAnnotation(4, refOf(own), PeerA, T0) // theirs' id, as an annotation
		seizureAsNote.ID, seizureAsNote.Version = theirs.ID, 2
		ownNewer := clone(own) // this node's record, newer
		ownNewer.Version = 7
		ownUnknown := NewSeizure(5, T0) // this node's record, never held
		ownNoteNewer := *ownNote
		ownNoteNewer.Version = 3
		fine := ForeignSeizure(6, T0, PeerB, 1)
		fed := crossguard.Refusal{ID: SeizureID(9, T0), Kind: crossguard.KindSeizure, Origin: PeerB, Reason: "signed by a key that is not the origin's"}
		p := newPage(PeerB, 9, IncomingSeizure(otherOrigin), IncomingSeizure(noteAsSeizure), IncomingAnnotation(seizureAsNote),
			IncomingSeizure(ownNewer), IncomingSeizure(ownUnknown), IncomingAnnotation(&ownNoteNewer), IncomingSeizure(fine))
		p.Refused = []crossguard.Refusal{fed}
		want := []crossguard.Refusal{
			refusal(otherOrigin.Header, reasonOrigin(theirs.ID, PeerA, OriginC)),
			refusal(noteAsSeizure.Header, reasonKind(note.ID, crossguard.KindAnnotation, crossguard.KindSeizure)),
			refusal(seizureAsNote.Header, reasonKind(theirs.ID, crossguard.KindSeizure, crossguard.KindAnnotation)),
			refusal(ownNewer.Header, reasonOwn),
			refusal(ownUnknown.Header, reasonOwn),
			refusal(ownNoteNewer.Header, reasonOwn),
		}
		wantResult(t, mustApply(t, s, p), 1, 0, 0, want...)
		all := append([]crossguard.Refusal{fed}, want...)
		st := pageStatus(p, 1, 0, int64(len(all)))
		st.LastError, st.LastErrorAt = crossguard.RefusalSummary(PeerB, all), &p.At
		wantStatus(t, s, PeerB, st)
		wantEqual(t, "held seizure", mustGet(t, s, theirs.ID), theirs)
		wantEqual(t, "own seizure", mustGet(t, s, own.ID), own)
		wantRecord(t, s, ownRec)
		wantRecord(t, s, &crossguard.Record{Header: note.Header, Target: own.ID, Body: inNote.Signed.Record})
		wantNotFound(t, s, ownUnknown.ID)
		wantEqual(t, "applied seizure", mustGet(t, s, fine.ID), fine)
		wantNewChanges(t, s, head0, fine.ID)
		after, _ := feedByID(t, s)
		for id, c := range before {
			wantEqual(t, "change of "+id, after[id], c)
		}
		audited := entries(t, s, crossguard.ActionFedRefuse)
		if len(audited) != len(all) {
			t.Fatalf("%d federation.refuse audit entries, want %d", len(audited), len(all))
		}
		byID := map[string]*crossguard.AuditEntry{}
		for _, e := range audited {
			byID[e.RecordID+" "+e.Detail] = e
		}
		for _, r := range all {
			e := byID[r.ID+" "+r.Reason]
			if e == nil {
				t.Fatalf("refusal %+v not audited (entries %v)", r, audited)
			}
			wantEntry(t, e, crossguard.ActionFedRefuse, PeerB, r.Kind, r.ID, crossguard.OutcomeDenied)
		}
		wantChain(t, s, n0+1+int64(len(all)))
	}
}
