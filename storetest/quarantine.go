package storetest

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"crossguard"
)

// dpo is the user who quarantines in the suite.
const dpo = "cli:dpo.sana"

// heldOf returns the held version an incoming version becomes, from peer.
func heldOf(in *crossguard.Incoming, peer string) *crossguard.HeldVersion {
	return &crossguard.HeldVersion{Kind: in.Header.Kind, ID: in.Header.ID, Origin: in.Header.Origin, Version: in.Header.Version,
		Deleted: in.Deleted, Via: peer, Signed: in.Signed}
}

// allHeld reads every held version, pages of two at a time.
func allHeld(t *testing.T, s crossguard.Store) []*crossguard.HeldVersion {
	t.Helper()
	var out []*crossguard.HeldVersion
	after := ""
	for range 1000 {
		page, err := s.HeldVersions(t.Context(), after, 2)
		if err != nil {
			t.Fatalf("HeldVersions: %v", err)
		}
		if len(page) == 0 {
			return out
		}
		out = append(out, page...)
		after = page[len(page)-1].ID
	}
	t.Fatal("HeldVersions does not end")
	return nil
}

// wantHeld fails t unless got is want, in id order, signed bytes and all.
func wantHeld(t *testing.T, got []*crossguard.HeldVersion, want ...*crossguard.HeldVersion) {
	t.Helper()
	want = slices.Clone(want)
	slices.SortFunc(want, func(a, b *crossguard.HeldVersion) int { return cmpString(a.ID, b.ID) })
	if len(got) != len(want) {
		t.Fatalf("held versions: %d, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := *got[i], *want[i]
		if !bytes.Equal(g.Signed.Record, w.Signed.Record) || g.Signed.Signature != w.Signed.Signature {
			t.Fatalf("held version %s: signed %s %s, want %s %s", g.ID, g.Signed.Record, g.Signed.Signature, w.Signed.Record, w.Signed.Signature)
		}
		g.Signed, w.Signed = crossguard.SignedRecord{}, crossguard.SignedRecord{}
		wantEqual(t, "held version "+w.ID, g, w)
	}
}

// cmpString compares a and b.
func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// testQuarantine checks the received versions a store lists for a rescan
// and the quarantine of those a node would now refuse: the copy goes as
// a withdrawal removes it, the signed record stays in the quarantine with
// the reason, and the move is audited; a version that changed since it
// was read is not quarantined.
func testQuarantine(t *testing.T, open Opener) {
	t.Run("held versions and the quarantine", func(t *testing.T) { testQuarantineMoves(t, open) })
}

// testQuarantineMoves is testQuarantine's one case.
func testQuarantineMoves(t *testing.T, open Opener) {
	s := fedFresh(t, open)
	own := NewSeizure(0, T0)
	mustCreate(t, s, own)
	direct := ForeignSeizure(1, T0.Add(-time.Hour), PeerA, 2)
	direct.Narrative = "Hidden in a xylophone case."
	note := NewAnnotation(3, refOf(own), PeerA, T0)
	deleted := ForeignSeizure(4, T0, PeerA, 1).Header
	deleted.Version = 2
	fromA := FromPeer(PeerA, IncomingSeizure(direct), IncomingAnnotation(note), IncomingTombstone(deleted))
	mustApply(t, s, newPage(PeerA, 1, fromA...))
	viaB := ForeignSeizure(5, T0.Add(-3*time.Hour), OriginC, 1)
	fromB := FromPeer(PeerB, IncomingSeizure(viaB))
	mustApply(t, s, newPage(PeerB, 1, fromB...))

	held := []*crossguard.HeldVersion{heldOf(fromA[0], PeerA), heldOf(fromA[1], PeerA), heldOf(fromA[2], PeerA), heldOf(fromB[0], PeerB)}
	wantHeld(t, allHeld(t, s), held...)
	if none, err := s.QuarantinedVersions(t.Context()); err != nil || len(none) != 0 {
		t.Fatalf("QuarantinedVersions before any: %v, %v", none, err)
	}

	n0, head0 := chainLen(t, s), feedHead(t, s)
	// Versions that are not held as read are not quarantined.
	stale := *held[3]
	stale.Version++
	changed := *held[0]
	changed.Signed.Record = append([]byte{}, changed.Signed.Record...)
	changed.Signed.Record[len(changed.Signed.Record)-2] ^= 1
	for _, c := range []struct {
		name string
		v    crossguard.HeldVersion
		code string
	}{
		{"another version", stale, crossguard.ECONFLICT},
		{"other signed bytes", changed, crossguard.ECONFLICT},
		{"an own record", crossguard.HeldVersion{Kind: crossguard.KindSeizure, ID: own.ID, Origin: Origin, Version: 1}, crossguard.ENOTFOUND},
		{"a record never held", crossguard.HeldVersion{Kind: crossguard.KindSeizure, ID: SeizureID(77, T0), Origin: PeerA, Version: 1}, crossguard.ENOTFOUND},
	} {
		err := s.Quarantine(t.Context(), &crossguard.Quarantined{HeldVersion: c.v, Reason: "test", Actor: dpo, At: T0})
		if crossguard.ErrorCode(err) != c.code {
			t.Fatalf("Quarantine of %s: %v, want %s", c.name, err, c.code)
		}
	}
	if n, head := chainLen(t, s), feedHead(t, s); n != n0 || head != head0 {
		t.Fatalf("refused quarantines changed the audit log (%d→%d) or the feed (%d→%d)", n0, n, head0, head)
	}

	// The live seizure, the annotation and the tombstone go.
	at := T0.Add(time.Hour).Truncate(time.Microsecond) // the precision of PostgreSQL
	reasons := []string{"malformed seizure: unknown field driver", "malformed annotation: unknown field author", "malformed tombstone: unknown field name"}
	var want []*crossguard.Quarantined
	for i, v := range held[:3] {
		q := &crossguard.Quarantined{HeldVersion: *v, Reason: reasons[i], Actor: dpo, At: at}
		if err := s.Quarantine(t.Context(), q); err != nil {
			t.Fatalf("Quarantine %s: %v", v.ID, err)
		}
		want = append(want, q)
	}
	wantHeld(t, allHeld(t, s), held[3])
	wantNotFound(t, s, direct.ID)
	wantNotFound(t, s, deleted.ID)
	wantNoRecord(t, s, note.ID)
	wantIDs(t, "search after the quarantine", listAll(t, s, crossguard.SeizureFilter{Query: "xylophone"}), nil)
	wantIDs(t, "list after the quarantine", listAll(t, s, crossguard.SeizureFilter{}), idsSorted(own, viaB))
	if versions, err := s.SeizureVersions(t.Context(), direct.ID); err != nil || len(versions) != 0 {
		t.Fatalf("SeizureVersions of a quarantined copy: %d versions, %v", len(versions), err)
	}
	wantNewChanges(t, s, head0, direct.ID, note.ID, deleted.ID)
	feed, _ := feedByID(t, s)
	wantWithdrawn(t, feed[direct.ID], direct.Header)
	wantWithdrawn(t, feed[note.ID], note.Header)
	wantWithdrawn(t, feed[deleted.ID], deleted)

	got, err := s.QuarantinedVersions(t.Context())
	if err != nil {
		t.Fatalf("QuarantinedVersions: %v", err)
	}
	if len(got) != len(want) {
		t.Fatalf("QuarantinedVersions: %d, want %d", len(got), len(want))
	}
	for i := range got {
		if !bytes.Equal(got[i].Signed.Record, want[i].Signed.Record) || got[i].Signed.Signature != want[i].Signed.Signature {
			t.Fatalf("quarantined %s keeps %s, want the signed record as received %s", got[i].ID, got[i].Signed.Record, want[i].Signed.Record)
		}
		g, w := *got[i], *want[i]
		g.Signed, w.Signed = crossguard.SignedRecord{}, crossguard.SignedRecord{}
		wantEqual(t, "quarantined "+w.ID, g, w)
	}
	quarantined := entries(t, s, crossguard.ActionFedQuarantine)
	if len(quarantined) != 3 {
		t.Fatalf("%d %s entries, want 3", len(quarantined), crossguard.ActionFedQuarantine)
	}
	for i, e := range quarantined {
		v := held[i]
		wantEntry(t, e, crossguard.ActionFedQuarantine, dpo, v.Kind, v.ID, crossguard.OutcomeOK, reasons[i], `origin="`+v.Origin+`"`, `via="`+PeerA+`"`)
	}
	wantChain(t, s, n0+3)

	// Once quarantined, a version is no longer held as read.
	err = s.Quarantine(t.Context(), &crossguard.Quarantined{HeldVersion: *held[0], Reason: "again", Actor: dpo, At: at})
	wantCode(t, err, crossguard.ECONFLICT)
	// A withdrawal from the peer that sent it changes nothing more.
	p := newPage(PeerA, 2)
	p.Withdrawals = []crossguard.Withdrawal{withdrawal(direct.Header, "this node no longer holds it")}
	wantResult(t, mustApply(t, s, p), 0, 0, 0)
}
