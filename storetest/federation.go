package storetest

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"crossguard"
)

// FederationStore is a store with the federation storage: peers, the
// change feed and records of kinds without a table of their own. These
// interfaces join crossguard.Store once both backends implement them;
// until then the federation groups assert FederationStore and fail on a
// store that does not implement it.
type FederationStore interface {
	crossguard.Store
	crossguard.PeerStore
	crossguard.FeedStore
	crossguard.RecordStore
}

// admin is the user who manages peers in the suite.
const admin = "admin.rana"

// fedFresh opens a store in parallel with the other subtests, binds it to
// the node Origin and adds the peers PeerA (partner), PeerB (agency) and
// OriginC (origin only).
func fedFresh(t *testing.T, open Opener) FederationStore {
	t.Helper()
	s := fedBare(t, open)
	mustPutPeer(t, s, NewPeer(PeerA, crossguard.RelPartner, T0))
	mustPutPeer(t, s, NewPeer(PeerB, crossguard.RelAgency, T0))
	c := NewPeer(OriginC, crossguard.RelPartner, T0)
	c.OriginOnly = true
	mustPutPeer(t, s, c)
	return s
}

// fedBare opens a store bound to the node Origin, without peers.
func fedBare(t *testing.T, open Opener) FederationStore {
	t.Helper()
	st := fresh(t, open)
	s, ok := st.(FederationStore)
	if !ok {
		t.Fatalf("%T does not implement crossguard.PeerStore, FeedStore and RecordStore", st)
	}
	if err := s.InitNode(t.Context(), NewNodeInfo(T0)); err != nil {
		t.Fatalf("InitNode: %v", err)
	}
	return s
}

// mustPutPeer adds or replaces p, failing t on error.
func mustPutPeer(t *testing.T, s FederationStore, p *crossguard.Peer) {
	t.Helper()
	if err := s.PutPeer(t.Context(), admin, p, p.AddedAt); err != nil {
		t.Fatalf("PutPeer(%s): %v", p.Card.ID, err)
	}
}

// mustPeer returns peer id, failing t on error.
func mustPeer(t *testing.T, s FederationStore, id string) *crossguard.Peer {
	t.Helper()
	p, err := s.Peer(t.Context(), id)
	if err != nil {
		t.Fatalf("Peer(%s): %v", id, err)
	}
	return p
}

// mustApply applies p, failing t on error.
func mustApply(t *testing.T, s FederationStore, p *crossguard.InboundPage) *crossguard.ApplyResult {
	t.Helper()
	res, err := s.ApplyPage(t.Context(), p)
	if err != nil {
		t.Fatalf("ApplyPage(from %s, cursor %d): %v", p.Peer, p.Cursor, err)
	}
	if res == nil {
		t.Fatalf("ApplyPage(from %s, cursor %d): nil result", p.Peer, p.Cursor)
	}
	return res
}

// wantResult fails t unless res counts applied, unchanged and withdrawn
// and holds exactly the refusals refused, in order, with no looped offers.
func wantResult(t *testing.T, res *crossguard.ApplyResult, applied, unchanged, withdrawn int, refused ...crossguard.Refusal) {
	t.Helper()
	wantApplied(t, res, crossguard.ApplyResult{Applied: applied, Unchanged: unchanged, Withdrawn: withdrawn, Refused: refused})
}

// wantApplied fails t unless res is want (no refusals and an empty list
// of them are the same).
func wantApplied(t *testing.T, res *crossguard.ApplyResult, want crossguard.ApplyResult) {
	t.Helper()
	got := *res
	if len(got.Refused) == 0 {
		got.Refused = nil
	}
	if len(want.Refused) == 0 {
		want.Refused = nil
	}
	wantEqual(t, "ApplyPage result", got, want)
}

// refusal returns the refusal of the record with header h for reason.
func refusal(h crossguard.Header, reason string) crossguard.Refusal {
	return crossguard.Refusal{ID: h.ID, Kind: h.Kind, Origin: h.Origin, Reason: reason}
}

// changesAfter returns every change after the cursor, reading pages of 50,
// and the head the last page reported.
func changesAfter(t *testing.T, s FederationStore, after int64) ([]*crossguard.Change, int64) {
	t.Helper()
	var out []*crossguard.Change
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatalf("Changes: more than 1000 pages after %d, the feed does not advance", after)
		}
		page, head, err := s.Changes(t.Context(), after, 50)
		if err != nil {
			t.Fatalf("Changes(%d, 50): %v", after, err)
		}
		if len(page) > 50 {
			t.Fatalf("Changes(%d, 50): %d changes, more than the limit", after, len(page))
		}
		for _, c := range page {
			if c.Seq <= after {
				t.Fatalf("Changes(%d, 50): change %d of %s is not after the cursor or out of order", after, c.Seq, c.Header.ID)
			}
			after = c.Seq
		}
		out = append(out, page...)
		if len(page) < 50 {
			return out, head
		}
	}
}

// feedByID returns the whole feed by record id, failing t if a record
// appears twice, and the head.
func feedByID(t *testing.T, s FederationStore) (map[string]*crossguard.Change, int64) {
	t.Helper()
	all, head := changesAfter(t, s, 0)
	byID := map[string]*crossguard.Change{}
	for _, c := range all {
		if byID[c.Header.ID] != nil {
			t.Fatalf("Changes: record %s appears twice in the feed", c.Header.ID)
		}
		byID[c.Header.ID] = c
	}
	return byID, head
}

// feedHead returns the node's last change sequence number.
func feedHead(t *testing.T, s FederationStore) int64 {
	t.Helper()
	_, head, err := s.Changes(t.Context(), 0, 1)
	if err != nil {
		t.Fatalf("Changes: %v", err)
	}
	return head
}

// wantNewChanges fails t unless the changes after head0 are exactly the
// records ids (in any order), numbered head0+1 onwards without gaps, and
// the head is the last of them.
func wantNewChanges(t *testing.T, s FederationStore, head0 int64, ids ...string) {
	t.Helper()
	got, head := changesAfter(t, s, head0)
	var gotIDs []string
	for i, c := range got {
		if c.Seq != head0+int64(i)+1 {
			t.Fatalf("changes after %d: change %d of %s, want %d (gap-free)", head0, c.Seq, c.Header.ID, head0+int64(i)+1)
		}
		gotIDs = append(gotIDs, c.Header.ID)
	}
	want := slices.Clone(ids)
	slices.Sort(want)
	slices.Sort(gotIDs)
	wantIDs(t, "records changed after "+itoa(head0), gotIDs, want)
	if head != head0+int64(len(ids)) {
		t.Fatalf("head after %d new changes = %d, want %d", len(ids), head, head0+int64(len(ids)))
	}
}

// wantChange fails t unless the feed holds record h in state, with body,
// signed version and via as given (body compared as JSON), and the path
// the suite's pages give a record sent by via if it is a live received
// one (none otherwise).
func wantChange(t *testing.T, c *crossguard.Change, h crossguard.Header, state string, body []byte, signed *crossguard.SignedRecord, via string) {
	t.Helper()
	var path []string
	if state == crossguard.StateLive && via != "" {
		path = pathOf(h.Origin, via)
	}
	wantChangePath(t, c, h, state, body, signed, via, path)
}

// wantChangePath is wantChange with the path of the record given (nil
// and empty are the same).
func wantChangePath(t *testing.T, c *crossguard.Change, h crossguard.Header, state string, body []byte, signed *crossguard.SignedRecord, via string, path []string) {
	t.Helper()
	if c == nil {
		t.Fatalf("record %s is not in the feed", h.ID)
	}
	what := "change of " + h.ID
	wantEqual(t, what+": header", c.Header, h)
	if c.State != state || c.Via != via {
		t.Fatalf("%s: state %q via %q, want state %q via %q", what, c.State, c.Via, state, via)
	}
	wantEqual(t, what+": signed", c.Signed, signed)
	if !slices.Equal(c.Path, path) {
		t.Fatalf("%s: path %q, want %q", what, c.Path, path)
	}
	switch {
	case body == nil && c.Body != nil:
		t.Fatalf("%s: body %s, want none", what, c.Body)
	case body != nil && !jsonEqual(c.Body, body):
		t.Fatalf("%s: body\n%s\nwant\n%s", what, c.Body, body)
	}
}

// jsonEqual reports whether a and b are the same JSON value.
func jsonEqual(a, b []byte) bool {
	var va, vb any
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}

// withdrawnHeader is the header the feed gives a withdrawn copy: nothing
// but what names the record and its version.
func withdrawnHeader(h crossguard.Header) crossguard.Header {
	return crossguard.Header{ID: h.ID, Kind: h.Kind, Origin: h.Origin, Version: h.Version}
}

// entries returns the audit entries of action, oldest first.
func entries(t *testing.T, s crossguard.Store, action string) []*crossguard.AuditEntry {
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

// chainLen verifies the audit chain and returns its length.
func chainLen(t *testing.T, s crossguard.Store) int64 {
	t.Helper()
	n, err := crossguard.VerifyAudit(t.Context(), s)
	if err != nil {
		t.Fatalf("VerifyAudit: %v", err)
	}
	return n
}

// wantEntry fails t unless e is by actor about record id (if id is not
// empty) with outcome, and its detail contains every string of detail.
func wantEntry(t *testing.T, e *crossguard.AuditEntry, action, actor, kind, id, outcome string, detail ...string) {
	t.Helper()
	ok := e.Action == action && e.Actor == actor && e.Outcome == outcome &&
		(kind == "" || e.RecordKind == kind) && (id == "" || e.RecordID == id)
	for _, d := range detail {
		ok = ok && strings.Contains(e.Detail, d)
	}
	if !ok {
		t.Fatalf("audit entry %+v, want %s by %s about %s %s, outcome %s, detail containing %q", e, action, actor, kind, id, outcome, detail)
	}
}

// itoa formats n.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// wantNotFound fails t unless seizure id is neither readable nor a
// tombstone.
func wantNotFound(t *testing.T, s FederationStore, id string) {
	t.Helper()
	_, err := s.Seizure(t.Context(), id)
	wantCode(t, err, crossguard.ENOTFOUND)
	_, err = s.Tombstone(t.Context(), id)
	wantCode(t, err, crossguard.ENOTFOUND)
}

// wantTombstone fails t unless seizure h.ID is deleted with header h.
func wantTombstone(t *testing.T, s FederationStore, h crossguard.Header) {
	t.Helper()
	_, err := s.Seizure(t.Context(), h.ID)
	wantCode(t, err, crossguard.ENOTFOUND)
	got, err := s.Tombstone(t.Context(), h.ID)
	if err != nil {
		t.Fatalf("Tombstone(%s): %v", h.ID, err)
	}
	wantEqual(t, "tombstone "+h.ID, got, &h)
}

// mustRecord returns the live record id, failing t on error.
func mustRecord(t *testing.T, s FederationStore, id string) *crossguard.Record {
	t.Helper()
	r, err := s.Record(t.Context(), id)
	if err != nil {
		t.Fatalf("Record(%s): %v", id, err)
	}
	return r
}

// wantRecord fails t unless the live record want.ID reads back as want,
// its body byte for byte.
func wantRecord(t *testing.T, s FederationStore, want *crossguard.Record) {
	t.Helper()
	got := mustRecord(t, s, want.ID)
	wantEqual(t, "record "+want.ID+" header", got.Header, want.Header)
	if got.Target != want.Target || string(got.Body) != string(want.Body) {
		t.Fatalf("record %s: target %s body\n%s\nwant target %s body\n%s", want.ID, got.Target, got.Body, want.Target, want.Body)
	}
}

// wantNoRecord fails t unless record id is not live.
func wantNoRecord(t *testing.T, s FederationStore, id string) {
	t.Helper()
	_, err := s.Record(t.Context(), id)
	wantCode(t, err, crossguard.ENOTFOUND)
}
