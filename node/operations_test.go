package node_test

import (
	"context"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/testnode"
	"crossguard/storetest"
)

// warnedContainer is a container number with a valid ISO 6346 check digit.
const warnedContainer = "CSQU3054383"

var amber = crossguard.Marking{TLP: crossguard.TLPAmber, Handling: "H1"}

// mustOperation creates an operation of the test node with the partner
// af-customs, running from a day before now to a month after.
func mustOperation(t *testing.T, n *testnode.Node) *crossguard.Operation {
	t.Helper()
	op, err := n.CreateOperation(context.Background(), "liaison", &crossguard.Operation{
		Header: crossguard.Header{Marking: amber}, Name: "Opium Route Winter",
		Participants: []string{"af-customs"}, StartsAt: now.Add(-24 * time.Hour), EndsAt: now.AddDate(0, 1, 0),
		Focus: crossguard.OperationFocus{Categories: []string{"narcotics"}, HSPrefixes: []string{"1211"},
			Routes: [][]string{{"AF", "PK", "CN"}}, Crossings: []string{"Sost"}},
	})
	if err != nil {
		t.Fatalf("CreateOperation: %v", err)
	}
	return op
}

// warning returns a valid warning on the warned container for the window
// [from, to).
func warning(from, to time.Time) *crossguard.Warning {
	return &crossguard.Warning{Header: crossguard.Header{Marking: amber},
		Identifiers:      []crossguard.Identifier{{Type: "container", Value: warnedContainer}},
		ExpectedCrossing: "Sost", Window: crossguard.WarningWindow{From: from, To: to},
		Reason: "consignment of dried fruit with an unusual route", SuggestedChannel: crossguard.ChannelRed}
}

// wantFields fails t unless err is EINVALID naming exactly the fields.
func wantFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	if crossguard.ErrorCode(err) != crossguard.EINVALID {
		t.Fatalf("err = %v, want EINVALID on %v", err, fields)
	}
	var got []string
	for _, f := range crossguard.ErrorFields(err) {
		got = append(got, f.Field)
	}
	slices.Sort(got)
	got = slices.Compact(got)
	slices.Sort(fields)
	if !slices.Equal(got, fields) {
		t.Fatalf("invalid fields %v (%v), want %v", got, err, fields)
	}
}

func TestCreateOperation(t *testing.T) {
	n := mustNode(t)
	op := mustOperation(t, n)
	if op.Kind != crossguard.KindOperation || op.Origin != n.Info.ID || op.Version != 1 ||
		!slices.Equal(op.Participants, []string{"af-customs", "pk-customs"}) || !slices.Equal(op.Recipients, op.Participants) ||
		op.Distribution != crossguard.DistNetwork {
		t.Fatalf("stamped operation = %+v", op)
	}
	got, err := n.Operation(context.Background(), "liaison", op.ID)
	if err != nil || got.Name != op.Name || !got.EndsAt.Equal(op.EndsAt) {
		t.Fatalf("Operation = %+v, %v", got, err)
	}
	list, err := n.Operations(context.Background(), "liaison")
	if err != nil || len(list) != 1 || list[0].ID != op.ID {
		t.Fatalf("Operations = %v, %v", list, err)
	}

	_, err = n.CreateOperation(context.Background(), "liaison", &crossguard.Operation{
		Header:       crossguard.Header{Marking: crossguard.Marking{TLP: crossguard.TLPAmberStrict, Handling: "H1"}},
		Participants: []string{"AF Customs"}, StartsAt: now, EndsAt: now.Add(-time.Hour),
		Focus: crossguard.OperationFocus{Categories: []string{"spices"}, HSPrefixes: []string{"999"}, Routes: [][]string{{"XX"}}},
	})
	wantFields(t, err, "name", "participants[0]", "ends_at", "focus.categories[0]", "focus.hs_prefixes[0]", "focus.routes[0][0]", "marking.tlp")
}

func TestWarningValidation(t *testing.T) {
	n := mustNode(t)
	ctx := context.Background()
	op := mustOperation(t, n)
	tests := []struct {
		name   string
		edit   func(w *crossguard.Warning)
		fields []string
	}{
		{"identifier of a person-free but unwarnable type", func(w *crossguard.Warning) {
			w.Identifiers = []crossguard.Identifier{{Type: "vessel_imo", Value: "IMO9074729"}}
		}, []string{"identifiers[0].type"}},
		{"bad container check digit", func(w *crossguard.Warning) { w.Identifiers[0].Value = "CSQU3054384" }, []string{"identifiers[0].value"}},
		{"no identifiers", func(w *crossguard.Warning) { w.Identifiers = nil }, []string{"identifiers"}},
		{"window backwards", func(w *crossguard.Warning) { w.Window.To = w.Window.From.Add(-time.Hour) }, []string{"window.to"}},
		{"window already past", func(w *crossguard.Warning) {
			w.Window = crossguard.WarningWindow{From: now.Add(-48 * time.Hour), To: now.Add(-time.Hour)}
		}, []string{"window.to"}},
		{"release is no suggestion", func(w *crossguard.Warning) { w.SuggestedChannel = crossguard.ChannelGreen }, []string{"suggested_channel"}},
		{"no reason or crossing", func(w *crossguard.Warning) { w.Reason, w.ExpectedCrossing = " ", "" }, []string{"reason", "expected_crossing"}},
		{"named recipient not a participant", func(w *crossguard.Warning) { w.To = []string{"ir-customs"} }, []string{"to[0]"}},
		{"amber+strict", func(w *crossguard.Warning) { w.Marking.TLP = crossguard.TLPAmberStrict }, []string{"marking.tlp"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := warning(now, now.Add(24*time.Hour))
			tt.edit(w)
			_, err := n.CreateWarning(ctx, "officer", op.ID, w)
			wantFields(t, err, tt.fields...)
		})
	}
	if _, err := n.CreateWarning(ctx, "officer", storetest.SeizureID(1, now), warning(now, now.Add(time.Hour))); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
		t.Fatalf("warning in an operation not held: %v, want ENOTFOUND", err)
	}
	named := warning(now, now.Add(time.Hour))
	named.To = []string{"af-customs"}
	w, err := n.CreateWarning(ctx, "officer", op.ID, named)
	if err != nil || !slices.Equal(w.Recipients, []string{"af-customs"}) || w.Operation != op.ID || w.Distribution != crossguard.DistNetwork {
		t.Fatalf("warning to a named participant = %+v, %v", w, err)
	}
	all, err := n.CreateWarning(ctx, "officer", op.ID, warning(now, now.Add(time.Hour)))
	if err != nil || !slices.Equal(all.Recipients, op.Participants) {
		t.Fatalf("warning to all = %+v, %v", all, err)
	}
	list, err := n.Warnings(ctx, "officer", op.ID)
	if err != nil || len(list) != 2 {
		t.Fatalf("Warnings = %v, %v", list, err)
	}
}

// decideContainer decides a new declaration i carrying the warned
// container at the node's clock and returns the reasons of type warning.
func decideContainer(t *testing.T, n *testnode.Node, i int) []crossguard.Reason {
	t.Helper()
	d := decl(i)
	d.Identifiers = []crossguard.Identifier{{Type: "container", Value: warnedContainer}}
	ds, err := n.Decide(context.Background(), "officer", []*crossguard.Declaration{d})
	if err != nil {
		t.Fatalf("Decide: %v", err)
	}
	var out []crossguard.Reason
	for _, r := range ds[0].Reasons {
		if r.Type == crossguard.ReasonWarning {
			out = append(out, r)
			if ds[0].Channel != crossguard.ChannelRed {
				t.Errorf("declaration with a warning reason got channel %s, want red", ds[0].Channel)
			}
		}
	}
	return out
}

func TestWarningBecomesWatchEntry(t *testing.T) {
	n := mustNode(t)
	ctx := context.Background()
	if err := n.ReloadTargeting(ctx); err != nil {
		t.Fatal(err)
	}
	op := mustOperation(t, n)
	w, err := n.CreateWarning(ctx, "officer", op.ID, warning(now.Add(-time.Hour), now.Add(24*time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := n.WarningWatchlist(ctx)
	if err != nil || len(entries) != 1 || entries[0].ID != w.ID+"#0" || entries[0].Source != crossguard.WatchFromWarning ||
		!entries[0].StartsAt.Equal(w.Window.From) || !entries[0].ExpiresAt.Equal(w.Window.To) {
		t.Fatalf("WarningWatchlist = %+v, %v", entries, err)
	}

	// Inside the window: a reason of type warning naming the warning, its
	// agency and the operation.
	rs := decideContainer(t, n, 1)
	if len(rs) != 1 || rs[0].ID != w.ID+"#0" || !strings.Contains(rs[0].Text, w.ID) || !strings.Contains(rs[0].Text, "pk-customs") ||
		!strings.Contains(rs[0].Text, op.Name) {
		t.Fatalf("warning reasons inside the window = %+v", rs)
	}
	// Before the window of a later warning, and after the window.
	later, err := n.CreateWarning(ctx, "officer", op.ID, warning(now.Add(48*time.Hour), now.Add(72*time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	if rs := decideContainer(t, n, 2); len(rs) != 1 || rs[0].ID != w.ID+"#0" {
		t.Fatalf("reasons before the later warning's window = %+v, want only the first warning", rs)
	}
	n.Clock = crossguard.FixedClock(now.Add(25 * time.Hour))
	if rs := decideContainer(t, n, 3); len(rs) != 0 {
		t.Fatalf("reasons after the window, before the next = %+v, want none", rs)
	}
	n.Clock = crossguard.FixedClock(now.Add(50 * time.Hour))
	if err := n.ReloadTargeting(ctx); err != nil {
		t.Fatal(err)
	}
	if rs := decideContainer(t, n, 4); len(rs) != 1 || rs[0].ID != later.ID+"#0" {
		t.Fatalf("reasons inside the later window = %+v", rs)
	}
	// Withdrawn: the entry goes.
	if err := n.WithdrawWarning(ctx, "officer", later.ID); err != nil {
		t.Fatal(err)
	}
	if rs := decideContainer(t, n, 5); len(rs) != 0 {
		t.Fatalf("reasons after withdrawal = %+v, want none", rs)
	}
	if err := n.WithdrawWarning(ctx, "officer", later.ID); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
		t.Fatalf("withdrawing twice: %v, want ENOTFOUND", err)
	}
}

// receive applies records of the partner storetest.PeerA to n's store, as
// the federation would after checking them.
func receive(t *testing.T, n *testnode.Node, cursor int64, records ...*crossguard.Incoming) {
	t.Helper()
	ctx := context.Background()
	p := storetest.NewPeer(storetest.PeerA, crossguard.RelPartner, now)
	p.Kinds = crossguard.ShareableKinds
	if err := n.Store.PutPeer(ctx, "admin", p, now); err != nil {
		t.Fatal(err)
	}
	res, err := n.Store.ApplyPage(ctx, &crossguard.InboundPage{Peer: storetest.PeerA, Records: records, Cursor: cursor, RemoteHead: cursor, At: now})
	if err != nil || res.Applied != len(records) {
		t.Fatalf("ApplyPage = %+v, %v", res, err)
	}
}

// incoming returns record v with header h as PeerA sends it, after
// checking it as the federation does with the kind's registered check.
func incoming(t *testing.T, h crossguard.Header, v any) *crossguard.Incoming {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	k, ok := crossguard.LookupRecordKind(h.Kind)
	if !ok {
		t.Fatalf("kind %s is not registered", h.Kind)
	}
	target, err := k.Check(b, &h)
	if err != nil {
		t.Fatalf("received %s refused: %v", h.Kind, err)
	}
	sum := sha512.Sum512(b)
	return &crossguard.Incoming{Header: h, Target: target, Path: []string{h.Origin},
		Signed: crossguard.SignedRecord{Record: b, Signature: base64.StdEncoding.EncodeToString(sum[:])}}
}

// partnerOperation returns an operation of PeerA with participants.
func partnerOperation(participants ...string) *crossguard.Operation {
	op := &crossguard.Operation{Header: crossguard.Header{ID: storetest.SeizureID(900, now), Origin: storetest.PeerA, Version: 1,
		CreatedAt: now.Add(-48 * time.Hour), UpdatedAt: now.Add(-48 * time.Hour), Marking: amber},
		Name: "Border Shield", Participants: participants, StartsAt: now.Add(-48 * time.Hour), EndsAt: now.AddDate(0, 1, 0)}
	op.Normalize()
	return op
}

func TestReceivedWarningBecomesWatchEntry(t *testing.T) {
	n := mustNode(t)
	ctx := context.Background()
	op := partnerOperation("af-customs", "pk-customs")
	w := warning(now.Add(-time.Hour), now.Add(time.Hour))
	w.Header = crossguard.Header{ID: storetest.SeizureID(901, now), Origin: storetest.PeerA, Version: 1,
		CreatedAt: now.Add(-2 * time.Hour), UpdatedAt: now.Add(-2 * time.Hour), Marking: amber, Recipients: op.Participants}
	w.Operation = op.ID
	w.Normalize()
	receive(t, n, 1, incoming(t, op.Header, op), incoming(t, w.Header, w))
	if err := n.ReloadTargeting(ctx); err != nil {
		t.Fatal(err)
	}
	rs := decideContainer(t, n, 1)
	if len(rs) != 1 || !strings.Contains(rs[0].Text, "af-customs") || !strings.Contains(rs[0].Text, "Border Shield") {
		t.Fatalf("reasons from a partner's warning = %+v", rs)
	}
	if err := n.WithdrawWarning(ctx, "officer", w.ID); crossguard.ErrorCode(err) != crossguard.EFORBIDDEN {
		t.Fatalf("withdrawing a partner's warning: %v, want EFORBIDDEN", err)
	}
	// The origin withdraws it: the tombstone takes the entry away.
	tomb := w.Header
	tomb.Version, tomb.UpdatedAt = 2, now
	receive(t, n, 2, storetest.IncomingTombstone(tomb))
	if err := n.ReloadTargeting(ctx); err != nil {
		t.Fatal(err)
	}
	if rs := decideContainer(t, n, 2); len(rs) != 0 {
		t.Fatalf("reasons after the partner withdrew its warning = %+v", rs)
	}
}

func TestOnlyParticipantsWrite(t *testing.T) {
	n := mustNode(t)
	ctx := context.Background()
	op := partnerOperation("af-customs", "ir-customs")
	receive(t, n, 1, incoming(t, op.Header, op))
	if _, err := n.CreateWarning(ctx, "officer", op.ID, warning(now, now.Add(time.Hour))); crossguard.ErrorCode(err) != crossguard.EFORBIDDEN {
		t.Fatalf("warning by a non-participant: %v, want EFORBIDDEN", err)
	}
	if _, err := n.CreateMessage(ctx, "officer", op.ID, &crossguard.Message{Header: crossguard.Header{Marking: amber}, Text: "hello"}); crossguard.ErrorCode(err) != crossguard.EFORBIDDEN {
		t.Fatalf("message by a non-participant: %v, want EFORBIDDEN", err)
	}
}

func TestFeedback(t *testing.T) {
	n := mustNode(t)
	ctx := context.Background()
	op := mustOperation(t, n)
	w, err := n.CreateWarning(ctx, "officer", op.ID, warning(now.Add(-time.Hour), now.Add(time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	fb := func(result string) *crossguard.Feedback {
		return &crossguard.Feedback{Header: crossguard.Header{Marking: amber}, Result: result}
	}
	_, err = n.CreateFeedback(ctx, "officer", w.ID, fb(crossguard.FeedbackNotInspected))
	wantFields(t, err, "not_inspected_reason")
	_, err = n.CreateFeedback(ctx, "officer", w.ID, fb("maybe"))
	wantFields(t, err, "result")

	foreign := storetest.ForeignSeizure(20, now.Add(-2*time.Hour), storetest.PeerA, 1)
	foreign.Marking = amber
	foreign.Distribution = crossguard.DistNetwork
	if err := n.Store.CreateSeizures(ctx, "sync", []*crossguard.Seizure{foreign}, nil); err != nil {
		t.Fatal(err)
	}
	theirs := fb(crossguard.FeedbackSeized)
	theirs.SeizureID = foreign.ID
	_, err = n.CreateFeedback(ctx, "officer", w.ID, theirs)
	wantFields(t, err, "seizure_id")
	notSeen := fb(crossguard.FeedbackNotSeen)
	notSeen.SeizureID = foreign.ID
	_, err = n.CreateFeedback(ctx, "officer", w.ID, notSeen)
	wantFields(t, err, "seizure_id")
	if _, err := n.CreateFeedback(ctx, "officer", storetest.SeizureID(77, now), fb(crossguard.FeedbackNotSeen)); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
		t.Fatalf("feedback on an unknown warning: %v, want ENOTFOUND", err)
	}

	// A seizure of this node with named recipients gains the participants.
	s := body(21)
	s.Distribution, s.Recipients, s.Marking = crossguard.DistPartners, []string{"cn-customs"}, amber
	own, err := n.CreateSeizure(ctx, "officer", s)
	if err != nil {
		t.Fatal(err)
	}
	ours := fb(crossguard.FeedbackSeized)
	ours.SeizureID, ours.Notes = own.ID, "found in the spare tyre"
	f, err := n.CreateFeedback(ctx, "officer", w.ID, ours)
	if err != nil {
		t.Fatalf("feedback with an own seizure: %v", err)
	}
	if f.Warning != w.ID || f.Operation != op.ID || !slices.Equal(f.Recipients, op.Participants) || f.Origin != n.Info.ID {
		t.Fatalf("stamped feedback = %+v", f)
	}
	shared, err := n.Store.Seizure(ctx, own.ID)
	if err != nil {
		t.Fatal(err)
	}
	if shared.Version != 2 || !slices.Equal(shared.Recipients, []string{"af-customs", "cn-customs", "pk-customs"}) {
		t.Fatalf("linked seizure after feedback: version %d, recipients %v", shared.Version, shared.Recipients)
	}
	// An agency-only seizure becomes a network record for the participants.
	local := body(22)
	local.Distribution, local.Recipients, local.Marking = crossguard.DistAgency, nil, amber
	own2, err := n.CreateSeizure(ctx, "officer", local)
	if err != nil {
		t.Fatal(err)
	}
	again := fb(crossguard.FeedbackSeized)
	again.SeizureID = own2.ID
	if _, err := n.CreateFeedback(ctx, "officer", w.ID, again); err != nil {
		t.Fatal(err)
	}
	shared2, _ := n.Store.Seizure(ctx, own2.ID)
	if shared2.Distribution != crossguard.DistNetwork || !slices.Equal(shared2.Recipients, op.Participants) {
		t.Fatalf("agency seizure after feedback: %s to %v", shared2.Distribution, shared2.Recipients)
	}
	list, err := n.FeedbackOn(ctx, "officer", w.ID)
	if err != nil || len(list) != 2 || list[0].ID != f.ID {
		t.Fatalf("FeedbackOn = %v, %v", list, err)
	}
}

func TestMessages(t *testing.T) {
	n := mustNode(t)
	ctx := context.Background()
	op := mustOperation(t, n)
	_, err := n.CreateMessage(ctx, "liaison", op.ID, &crossguard.Message{Header: crossguard.Header{Marking: amber}})
	wantFields(t, err, "text")
	m, err := n.CreateMessage(ctx, "liaison", op.ID, &crossguard.Message{Header: crossguard.Header{Marking: amber}, Text: "Teams at Sost from 06:00."})
	if err != nil || !slices.Equal(m.Recipients, op.Participants) || m.Operation != op.ID {
		t.Fatalf("CreateMessage = %+v, %v", m, err)
	}
	plain, err := n.CreateMessage(ctx, "liaison", op.ID, &crossguard.Message{Text: "No marking given."})
	if err != nil || plain.Marking != op.Marking {
		t.Fatalf("message without a marking = %+v, %v; want the operation's marking", plain, err)
	}
	list, err := n.Messages(ctx, "liaison", op.ID)
	if err != nil || len(list) != 2 || list[0].Text != m.Text {
		t.Fatalf("Messages = %v, %v", list, err)
	}
}
