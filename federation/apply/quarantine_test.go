package apply_test

import (
	"reflect"
	"testing"

	"crossguard"
	"crossguard/federation/apply"
)

// signedAs is the signed record the received versions of the quarantine
// tests are held with.
var signedAs = crossguard.SignedRecord{Record: []byte(`{"v":1}`), Signature: "sig"}

// heldAs is signedAs as a store holds it, with a signature of its own: the
// quarantine keeps what is held, not what the rescan read.
var heldAs = crossguard.SignedRecord{Record: signedAs.Record, Signature: "sig as held"}

// quarantineOf returns a quarantine of the version of seizure id at
// version (a tombstone if deleted) held from peerA, with signedAs.
func quarantineOf(id string, version int64, deleted bool) *crossguard.Quarantined {
	return &crossguard.Quarantined{HeldVersion: crossguard.HeldVersion{Kind: crossguard.KindSeizure, ID: id, Origin: origin,
		Version: version, Deleted: deleted, Via: peerA, Signed: signedAs}, Reason: "malformed", Actor: "cli:dpo", At: at}
}

// TestQuarantine checks the quarantine of a held version: a live copy or
// a tombstone loses every source and is withdrawn, kept in the quarantine
// with its signed record as held (heldAs) and audited; a version not held exactly
// as read is refused, and no received copy at all is not found.
func TestQuarantine(t *testing.T) {
	detail := func(version string) string {
		return crossguard.ActionFedQuarantine + " r1: " + crossguard.AuditDetail("origin", origin, "version", version, "via", peerA, "reason", "malformed")
	}
	held := func(row *apply.Row) *apply.Held {
		return holding(map[string]*apply.Row{"r1": row, "r2": own(1)},
			map[string]map[string]apply.Source{"r1": {peerA: src(row.Version, origin, peerA), peerB: src(row.Version, origin, peerB)}})
	}
	otherBytes := crossguard.SignedRecord{Record: []byte(`{"v":2}`), Signature: "sig"}
	for _, c := range []struct {
		name    string
		held    *apply.Held
		q       *crossguard.Quarantined
		signed  *crossguard.SignedRecord
		code    string
		audited []string
	}{
		{name: "a live copy is withdrawn and kept", held: held(copyOf(2, peerA, origin, peerA)), q: quarantineOf("r1", 2, false),
			signed: &heldAs, audited: []string{detail("2")}},
		{name: "a tombstone is withdrawn and kept",
			held: held(&apply.Row{Kind: crossguard.KindSeizure, Origin: origin, Version: 3, Deleted: true, Via: peerA}),
			q:    quarantineOf("r1", 3, true), signed: &heldAs, audited: []string{detail("3")}},
		{name: "another version is a conflict", held: held(copyOf(3, peerA, origin, peerA)), q: quarantineOf("r1", 2, false),
			signed: &signedAs, code: crossguard.ECONFLICT},
		{name: "a tombstone of the version read is a conflict",
			held: held(&apply.Row{Kind: crossguard.KindSeizure, Origin: origin, Version: 2, Deleted: true, Via: peerA}),
			q:    quarantineOf("r1", 2, false), signed: &signedAs, code: crossguard.ECONFLICT},
		{name: "other signed bytes are a conflict", held: held(copyOf(2, peerA, origin, peerA)), q: quarantineOf("r1", 2, false),
			signed: &otherBytes, code: crossguard.ECONFLICT},
		{name: "a copy without a signed record is a conflict", held: held(copyOf(2, peerA, origin, peerA)), q: quarantineOf("r1", 2, false),
			code: crossguard.ECONFLICT},
		{name: "a withdrawn copy is a conflict",
			held: held(&apply.Row{Kind: crossguard.KindSeizure, Origin: origin, Version: 2, Deleted: true, Withdrawn: true, Via: peerA}),
			q:    quarantineOf("r1", 2, true), signed: &signedAs, code: crossguard.ECONFLICT},
		{name: "an own record is not found", held: held(copyOf(2, peerA, origin, peerA)), q: quarantineOf("r2", 1, false),
			signed: &signedAs, code: crossguard.ENOTFOUND},
		{name: "a record never held is not found", held: held(copyOf(2, peerA, origin, peerA)), q: quarantineOf("r9", 1, false),
			code: crossguard.ENOTFOUND},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := apply.Quarantine(c.held, c.q, c.signed)
			if c.code != "" {
				if crossguard.ErrorCode(err) != c.code || b != nil {
					t.Fatalf("Quarantine: %v, %v, want %s and no batch", b, err, c.code)
				}
				return
			}
			if err != nil {
				t.Fatalf("Quarantine: %v", err)
			}
			wantList(t, "rows changed", changes(b), []string{"r1 withdrawn"})
			wantList(t, "sources changed", sources(b), []string{"r1 " + peerA + " gone", "r1 " + peerB + " gone"})
			wantList(t, "audit entries", audited(b), c.audited)
			if e := b.Audit[0]; e.Actor != c.q.Actor || !e.At.Equal(at) || e.RecordKind != crossguard.KindSeizure || e.Outcome != crossguard.OutcomeOK {
				t.Errorf("audit entry %+v", e)
			}
			if len(b.Quarantined) != 1 {
				t.Fatalf("%d versions quarantined, want 1", len(b.Quarantined))
			}
			want := *c.q
			want.Signed = *c.signed
			if kept := b.Quarantined[0]; !reflect.DeepEqual(*kept, want) {
				t.Errorf("quarantined %+v, want %+v", kept, want)
			}
			if row := c.held.Rows["r1"]; !row.Deleted || !row.Withdrawn || row.Path != nil || len(c.held.Sources["r1"]) != 0 {
				t.Errorf("held after the quarantine: %+v, sources %v", row, c.held.Sources["r1"])
			}
		})
	}
}
