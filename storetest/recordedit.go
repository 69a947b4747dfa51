package storetest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"crossguard"
)

// NewProfile returns profile i by origin, created at at (kept at
// microsecond precision), at version 1, shared with partners: a valid
// profile whose sharing, channel and name vary with i.
func NewProfile(i int, origin string, at time.Time) *crossguard.Profile {
	at = at.UTC().Truncate(time.Microsecond)
	return &crossguard.Profile{
		Header: crossguard.Header{
			ID: SeizureID(i, at), Kind: crossguard.KindProfile, Origin: origin, Version: 1,
			CreatedAt: at, UpdatedAt: at,
			Distribution: crossguard.DistPartners,
			Marking:      handlingCycle(i, crossguard.Marking{TLP: tlpCycle[i%3]}),
		},
		Name:    fmt.Sprintf("Profile %d: opium alkaloids declared cheap", i),
		Channel: crossguard.SelectingChannels[i%len(crossguard.SelectingChannels)],
		Score:   0.9,
		Conditions: []crossguard.Condition{
			{Field: "hs6_code", Op: crossguard.OpPrefix, Value: json.RawMessage(`"2939"`)},
			{Field: "value_per_kg", Op: crossguard.OpLt, Value: json.RawMessage(`50`)},
		},
		ValidFrom: "2026-11-01",
		ValidTo:   "2027-05-01",
		Owner:     "Risk management unit",
	}
}

// ProfileRecord returns profile p as a record store keeps it: its header
// and JSON.
func ProfileRecord(p *crossguard.Profile) *crossguard.Record {
	b, err := json.Marshal(p)
	if err != nil {
		panic(fmt.Sprintf("storetest: encode profile %s: %v", p.ID, err))
	}
	return &crossguard.Record{Header: p.Header, Body: b}
}

// IncomingProfile returns profile p as a peer's page carries it.
func IncomingProfile(p *crossguard.Profile) *crossguard.Incoming {
	return &crossguard.Incoming{Header: p.Header, Signed: signedOf(p), Path: []string{p.Origin}}
}

// nextProfile returns the version of p that follows it, renamed and
// narrowed, updated an hour later.
func nextProfile(p *crossguard.Profile) *crossguard.Profile {
	n := *p
	n.Conditions = append([]crossguard.Condition(nil), p.Conditions...)
	n.Version++
	n.UpdatedAt = p.UpdatedAt.Add(time.Hour)
	n.Name = fmt.Sprintf("%s (version %d)", p.Name, n.Version)
	n.Distribution, n.Recipients = crossguard.DistAgency, []string{"pk-customs"}
	n.Score = 0.75
	return &n
}

// mustCreateProfile stores the own profile p, failing t on error.
func mustCreateProfile(t *testing.T, s FederationStore, p *crossguard.Profile) *crossguard.Record {
	t.Helper()
	r := ProfileRecord(p)
	if err := s.CreateRecord(t.Context(), actor, ProfileRecord(p)); err != nil {
		t.Fatalf("CreateRecord(%s): %v", p.ID, err)
	}
	return r
}

// mustUpdateRecord stores r as the next version of its record, failing t
// on error.
func mustUpdateRecord(t *testing.T, s FederationStore, r *crossguard.Record) {
	t.Helper()
	if err := s.UpdateRecord(t.Context(), actor, r); err != nil {
		t.Fatalf("UpdateRecord(%s, version %d): %v", r.ID, r.Version, err)
	}
}

// recordsOfKind returns the records RecordsOfKind lists, failing t on an
// error or a record of another kind.
func recordsOfKind(t *testing.T, s FederationStore, kind string) []*crossguard.Record {
	t.Helper()
	rs, err := s.RecordsOfKind(t.Context(), kind)
	if err != nil {
		t.Fatalf("RecordsOfKind(%s): %v", kind, err)
	}
	if rs == nil {
		t.Fatalf("RecordsOfKind(%s): nil, want a non-nil slice", kind)
	}
	for _, r := range rs {
		if r.Kind != kind {
			t.Fatalf("RecordsOfKind(%s) lists %s, a %s", kind, r.ID, r.Kind)
		}
	}
	return rs
}

// recordIDs returns the ids of rs.
func recordIDs(rs []*crossguard.Record) []string {
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	return ids
}

// wantRefused fails t unless err carries code, and then unless the store
// is unchanged: record want (nil: none live) reads back as before, no
// change was made after head and no audit entry after chain.
func wantRefused(t *testing.T, s FederationStore, err error, code string, id string, want *crossguard.Record, head, chain int64) {
	t.Helper()
	wantCode(t, err, code)
	if want != nil {
		wantRecord(t, s, want)
	} else {
		wantNoRecord(t, s, id)
	}
	if got := feedHead(t, s); got != head {
		t.Fatalf("head after a refused write = %d, want %d", got, head)
	}
	wantChain(t, s, chain)
}

// testRecordEdit checks the RecordEditor: updates and deletes of own
// records, with their versions, changes, tombstones and audit entries, the
// refusals, and the lists by kind.
func testRecordEdit(t *testing.T, open Opener) {
	t.Run("update stores the next version under the next change, audited", testRecordUpdate(open))
	t.Run("refused updates and deletes change nothing", testRecordRefusals(open))
	t.Run("delete leaves a tombstone the feed carries", testRecordDelete(open))
	t.Run("records of a kind, oldest first", testRecordsOfKind(open))
}

// testRecordUpdate checks UpdateRecord.
func testRecordUpdate(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		s := fedFresh(t, open)
		p := NewProfile(1, Origin, T0)
		other := NewProfile(2, Origin, T0)
		mustCreateProfile(t, s, p)
		mustCreateProfile(t, s, other)
		head := feedHead(t, s)
		v2 := nextProfile(p)
		want := ProfileRecord(v2)
		mustUpdateRecord(t, s, ProfileRecord(v2))
		wantRecord(t, s, want)
		wantNewChanges(t, s, head, p.ID)
		feed, _ := feedByID(t, s)
		wantChange(t, feed[p.ID], v2.Header, crossguard.StateLive, want.Body, nil, "")
		if seq := changeSeq(t, s, other.ID); seq != head {
			t.Fatalf("ChangeSeq of the profile not updated = %d, want %d", seq, head)
		}
		v3 := nextProfile(v2)
		v3.Distribution, v3.Recipients = crossguard.DistNetwork, nil
		mustUpdateRecord(t, s, ProfileRecord(v3))
		wantRecord(t, s, ProfileRecord(v3))
		wantNewChanges(t, s, head+1, p.ID)
		if seq := changeSeq(t, s, p.ID); seq != head+2 {
			t.Fatalf("ChangeSeq after two updates = %d, want %d", seq, head+2)
		}
		trail := auditTrail(t, s, p.ID)
		if len(trail) != 3 {
			t.Fatalf("%d audit entries about %s, want create and two updates", len(trail), p.ID)
		}
		wantEntry(t, trail[0], crossguard.ActionRecordCreate, actor, crossguard.KindProfile, p.ID, crossguard.OutcomeOK)
		wantEntry(t, trail[1], crossguard.ActionRecordUpdate, actor, crossguard.KindProfile, p.ID, crossguard.OutcomeOK, crossguard.AuditDetail("version", "2"))
		wantEntry(t, trail[2], crossguard.ActionRecordUpdate, actor, crossguard.KindProfile, p.ID, crossguard.OutcomeOK, crossguard.AuditDetail("version", "3"))
		if !trail[1].At.Equal(v2.UpdatedAt) {
			t.Fatalf("update audited at %v, want the record's update time %v", trail[1].At, v2.UpdatedAt)
		}
		wantChain(t, s, 3+2+2)
	}
}

// testRecordRefusals checks the refusals of UpdateRecord and DeleteRecord.
func testRecordRefusals(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		s := fedFresh(t, open)
		sz := NewSeizure(0, T0)
		mustCreate(t, s, sz)
		p := NewProfile(1, Origin, T0)
		mustCreateProfile(t, s, p)
		v2 := nextProfile(p)
		mustUpdateRecord(t, s, ProfileRecord(v2))
		current := ProfileRecord(v2)
		received := NewProfile(2, PeerA, T0)
		gone := NewProfile(3, Origin, T0)
		mustCreateProfile(t, s, gone)
		if err := s.DeleteRecord(t.Context(), actor, gone.ID, 0, T0.Add(time.Hour)); err != nil {
			t.Fatalf("DeleteRecord(%s): %v", gone.ID, err)
		}
		withdrawnCopy := NewProfile(4, PeerA, T0)
		mustApply(t, s, newPage(PeerA, 1, IncomingProfile(received), IncomingProfile(withdrawnCopy)))
		p2 := newPage(PeerA, 2)
		p2.Withdrawals = []crossguard.Withdrawal{withdrawal(withdrawnCopy.Header, "TLP raised")}
		wantResult(t, mustApply(t, s, p2), 0, 0, 1)
		head, chain := feedHead(t, s), chainLen(t, s)
		at := T0.Add(2 * time.Hour)

		t.Run("stale, repeated or skipped versions", func(t *testing.T) {
			for _, v := range []int64{1, 2, 4} {
				r := ProfileRecord(nextProfile(p))
				r.Version = v
				wantRefused(t, s, s.UpdateRecord(t.Context(), actor, r), crossguard.EPRECONDITIONFAILED, p.ID, current, head, chain)
			}
			for _, v := range []int64{1, 3, -1} {
				wantRefused(t, s, s.DeleteRecord(t.Context(), actor, p.ID, v, at), crossguard.EPRECONDITIONFAILED, p.ID, current, head, chain)
			}
		})
		t.Run("kind and origin never change", func(t *testing.T) {
			r := ProfileRecord(nextProfile(v2))
			r.Kind = crossguard.KindAnnotation
			wantRefused(t, s, s.UpdateRecord(t.Context(), actor, r), crossguard.EINVALID, p.ID, current, head, chain)
			r = ProfileRecord(nextProfile(v2))
			r.Origin = PeerB
			wantRefused(t, s, s.UpdateRecord(t.Context(), actor, r), crossguard.EINVALID, p.ID, current, head, chain)
		})
		t.Run("unknown, seizure, deleted and withdrawn ids not found", func(t *testing.T) {
			for _, id := range []string{SeizureID(99, T0), sz.ID, gone.ID, withdrawnCopy.ID} {
				r := ProfileRecord(nextProfile(p))
				r.ID = id
				wantRefused(t, s, s.UpdateRecord(t.Context(), actor, r), crossguard.ENOTFOUND, id, nil, head, chain)
				for _, v := range []int64{0, 1} {
					wantRefused(t, s, s.DeleteRecord(t.Context(), actor, id, v, at), crossguard.ENOTFOUND, id, nil, head, chain)
				}
			}
			wantEqual(t, "seizure after refused record writes", mustGet(t, s, sz.ID), sz)
		})
		t.Run("received copies are forbidden", func(t *testing.T) {
			copyOf := mustRecord(t, s, received.ID)
			r := ProfileRecord(nextProfile(received))
			err := s.UpdateRecord(t.Context(), actor, r)
			wantRefused(t, s, err, crossguard.EFORBIDDEN, received.ID, copyOf, head, chain)
			if msg := crossguard.ErrorMessage(err); !strings.Contains(msg, PeerA) {
				t.Fatalf("refusal %q does not name the origin %s", msg, PeerA)
			}
			// Even as this node's, a copy stays its origin's.
			r.Origin = Origin
			wantRefused(t, s, s.UpdateRecord(t.Context(), actor, r), crossguard.EFORBIDDEN, received.ID, copyOf, head, chain)
			for _, v := range []int64{0, 1} {
				err := s.DeleteRecord(t.Context(), actor, received.ID, v, at)
				wantRefused(t, s, err, crossguard.EFORBIDDEN, received.ID, copyOf, head, chain)
				if msg := crossguard.ErrorMessage(err); !strings.Contains(msg, PeerA) {
					t.Fatalf("refusal %q does not name the origin %s", msg, PeerA)
				}
			}
		})
	}
}

// testRecordDelete checks DeleteRecord and the tombstones it leaves.
func testRecordDelete(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		for _, ifVersion := range []int64{0, 2} {
			name := "any version"
			if ifVersion != 0 {
				name = "matching version"
			}
			t.Run(name, func(t *testing.T) {
				s := fedFresh(t, open)
				p := NewProfile(1, Origin, T0)
				keep := NewProfile(2, Origin, T0)
				mustCreateProfile(t, s, p)
				mustCreateProfile(t, s, keep)
				v2 := nextProfile(p)
				mustUpdateRecord(t, s, ProfileRecord(v2))
				mustServe(t, s, PeerA, served(2, p.ID), nil, T0.Add(90*time.Minute))
				head, chain := feedHead(t, s), chainLen(t, s)
				at := T0.Add(3 * time.Hour).Truncate(time.Microsecond)
				if err := s.DeleteRecord(t.Context(), "analyst.ali", p.ID, ifVersion, at); err != nil {
					t.Fatalf("DeleteRecord(%s, %d): %v", p.ID, ifVersion, err)
				}
				wantNoRecord(t, s, p.ID)
				wantRecord(t, s, ProfileRecord(keep))
				wantNewChanges(t, s, head, p.ID)
				// The tombstone is the last version's header (recipients
				// included) at the next version, updated at the deletion.
				tomb := v2.Header
				tomb.Version, tomb.UpdatedAt = 3, at
				feed, _ := feedByID(t, s)
				wantChange(t, feed[p.ID], tomb, crossguard.StateDeleted, nil, nil, "")
				// The peer that may hold the record keeps its share, so
				// that the feed serves it the tombstone.
				wantEqual(t, "shared with A after the delete", sharedWith(t, s, PeerA, p.ID), map[string]int64{p.ID: 2})
				wantIDs(t, "profiles after the delete", recordIDs(recordsOfKind(t, s, crossguard.KindProfile)), []string{keep.ID})
				trail := auditTrail(t, s, p.ID)
				if len(trail) != 3 {
					t.Fatalf("%d audit entries about %s, want create, update and delete", len(trail), p.ID)
				}
				wantEntry(t, trail[2], crossguard.ActionRecordDelete, "analyst.ali", crossguard.KindProfile, p.ID, crossguard.OutcomeOK, crossguard.AuditDetail("version", "3"))
				if !trail[2].At.Equal(at) {
					t.Fatalf("delete audited at %v, want %v", trail[2].At, at)
				}
				wantChain(t, s, chain+1)
			})
		}
	}
}

// testRecordsOfKind checks RecordsOfKind.
func testRecordsOfKind(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		s := fedFresh(t, open)
		if rs := recordsOfKind(t, s, crossguard.KindProfile); len(rs) != 0 {
			t.Fatalf("profiles of an empty store: %v, want none", recordIDs(rs))
		}
		sz := NewSeizure(0, T0)
		mustCreate(t, s, sz)
		at := T0.Add(time.Hour)
		late := NewProfile(10, Origin, at.Add(3*time.Minute))
		tieHigh := NewProfile(11, Origin, at.Add(time.Minute))
		tieLow := NewProfile(12, Origin, at.Add(time.Minute))
		if tieLow.ID > tieHigh.ID {
			tieLow, tieHigh = tieHigh, tieLow
		}
		early := NewProfile(13, Origin, at)
		deleted := NewProfile(14, Origin, at.Add(-time.Minute))
		for _, p := range []*crossguard.Profile{late, tieHigh, tieLow, early, deleted} {
			mustCreateProfile(t, s, p)
		}
		updated := nextProfile(early)
		mustUpdateRecord(t, s, ProfileRecord(updated))
		if err := s.DeleteRecord(t.Context(), actor, deleted.ID, 1, at.Add(time.Hour)); err != nil {
			t.Fatalf("DeleteRecord(%s): %v", deleted.ID, err)
		}
		note := NewAnnotation(15, refOf(sz), Origin, at.Add(-2*time.Minute))
		mustCreateRecord(t, s, note)
		received := NewProfile(16, PeerA, at.Add(2*time.Minute))
		receivedV2 := nextProfile(received)
		withdrawnCopy := NewProfile(17, PeerA, at.Add(-3*time.Minute))
		removed := NewProfile(18, PeerA, at.Add(-4*time.Minute))
		mustApply(t, s, newPage(PeerA, 1, IncomingProfile(received), IncomingProfile(withdrawnCopy), IncomingProfile(removed)))
		tomb := removed.Header
		tomb.Version, tomb.UpdatedAt = 2, at.Add(time.Hour)
		p := newPage(PeerA, 2, IncomingProfile(receivedV2), IncomingTombstone(tomb))
		p.Withdrawals = []crossguard.Withdrawal{withdrawal(withdrawnCopy.Header, "TLP raised")}
		wantResult(t, mustApply(t, s, p), 2, 0, 1)

		rs := recordsOfKind(t, s, crossguard.KindProfile)
		wantIDs(t, "profiles", recordIDs(rs), []string{early.ID, tieLow.ID, tieHigh.ID, received.ID, late.ID})
		wantEqual(t, "updated own profile", rs[0].Header, updated.Header)
		if string(rs[0].Body) != string(ProfileRecord(updated).Body) {
			t.Fatalf("updated own profile body\n%s\nwant\n%s", rs[0].Body, ProfileRecord(updated).Body)
		}
		wantEqual(t, "received profile", rs[3].Header, receivedV2.Header)
		if string(rs[3].Body) != string(IncomingProfile(receivedV2).Signed.Record) {
			t.Fatalf("received profile body %s, want the signed record", rs[3].Body)
		}
		wantIDs(t, "annotations", recordIDs(recordsOfKind(t, s, crossguard.KindAnnotation)), []string{note.ID})
		for _, kind := range []string{crossguard.KindSeizure, "warning"} {
			if rs := recordsOfKind(t, s, kind); len(rs) != 0 {
				t.Fatalf("records of kind %s: %v, want none", kind, recordIDs(rs))
			}
		}
	}
}
