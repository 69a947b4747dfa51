package federation_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation/fedtest"
	"crossguard/internal/testenv"
	"crossguard/storetest"
)

// Containers with valid ISO 6346 check digits, one per warning of these
// tests.
const (
	warnedNow   = "CSQU3054383" // warned for a window covering now
	warnedLater = "MSCU1234566" // warned for a window starting in two days
)

// operationKinds is what partners taking part in joint operations share.
var operationKinds = fedtest.Policy{Kinds: []string{crossguard.KindOperation, crossguard.KindWarning,
	crossguard.KindFeedback, crossguard.KindMessage, crossguard.KindSeizure}, MaxTLP: crossguard.TLPAmber}

// opAmber is the marking of the operations of these tests.
var opAmber = crossguard.Marking{TLP: crossguard.TLPAmber, Handling: "H1"}

// declSeq numbers the declarations decided in these tests, so that each
// is new to the node deciding it.
var declSeq atomic.Int64

// TestOperationAcrossNodes runs a joint operation between two agencies,
// both nodes on SQLite.
func TestOperationAcrossNodes(t *testing.T) {
	t.Parallel()
	runOperationAcrossNodes(t, fedtest.SQLite, fedtest.SQLite)
}

// TestOperationAcrossNodesPostgres runs the same operation with the
// receiving node B on PostgreSQL, so that the two nodes' reports are
// compared across the two databases.
func TestOperationAcrossNodesPostgres(t *testing.T) {
	t.Parallel()
	testenv.PostgresURL(t)
	runOperationAcrossNodes(t, fedtest.SQLite, fedtest.Postgres)
}

// runOperationAcrossNodes checks the joint operation flow of issue 5 over
// real nodes: A's warning reaches B and, in its window, selects B's
// declarations carrying the warned container with a reason naming it and
// A; outside its window or once withdrawn it does not; B's feedback and
// the seizure it links reach A; both nodes' reports are byte-equal.
func runOperationAcrossNodes(t *testing.T, openA, openB fedtest.Opener) {
	ctx := t.Context()
	a := fedtest.NewNode(t, openA, "pk-customs/hq")
	b := fedtest.NewNode(t, openB, "cn-customs/kashgar")
	fedtest.Link(a, b, operationKinds)
	t.Cleanup(func() { stopAll(a, b) })
	now := time.Now().UTC()

	op, err := a.Node.CreateOperation(ctx, "liaison", &crossguard.Operation{
		Header: crossguard.Header{Marking: opAmber}, Name: "Karakoram Spring",
		Participants: []string{"pk-customs", "cn-customs"}, StartsAt: now.Add(-24 * time.Hour), EndsAt: now.AddDate(0, 1, 0),
		Focus: crossguard.OperationFocus{Categories: []string{"narcotics"}, HSPrefixes: []string{"1211"},
			Routes: [][]string{{"AF", "PK", "CN"}}, Crossings: []string{"Sost"}},
	})
	if err != nil {
		t.Fatalf("A: CreateOperation: %v", err)
	}
	current := mustWarn(t, a, op.ID, warnedNow, now.Add(-time.Hour), now.Add(24*time.Hour))
	later := mustWarn(t, a, op.ID, warnedLater, now.Add(48*time.Hour), now.Add(72*time.Hour))
	msg, err := a.Node.CreateMessage(ctx, "liaison", op.ID, &crossguard.Message{Text: "Teams at Sost from 06:00."})
	if err != nil {
		t.Fatalf("A: CreateMessage: %v", err)
	}
	fedtest.Sync(t, 10, a, b)

	for _, id := range []string{op.ID, current.ID, later.ID, msg.ID} {
		if h, ok := b.Holds()[id]; !ok || h.Origin != a.ID() {
			t.Fatalf("B does not hold A's record %s: %+v", id, h)
		}
	}
	got, err := b.Node.Warning(ctx, "officer", current.ID)
	if err != nil || got.Operation != op.ID || !slices.Equal(got.Recipients, []string{"cn-customs", "pk-customs"}) {
		t.Fatalf("B: Warning(%s) = %+v, %v", current.ID, got, err)
	}

	// In the window: the suggested channel, with a reason naming the
	// warning and A's agency.
	reload(t, b)
	d, rs := decideCarrying(t, b, warnedNow)
	if d.Channel != current.SuggestedChannel || len(rs) != 1 || rs[0].ID != current.ID+"#0" ||
		!strings.Contains(rs[0].Text, current.ID) || !strings.Contains(rs[0].Text, "pk-customs") {
		t.Fatalf("B: declaration carrying the warned container: channel %s, warning reasons %+v; want %s naming %s of pk-customs",
			d.Channel, rs, current.SuggestedChannel, current.ID)
	}
	// Before the later warning's window, and after the current one's.
	if _, rs := decideCarrying(t, b, warnedLater); len(rs) != 0 {
		t.Fatalf("B: declaration before the later warning's window has warning reasons %+v", rs)
	}
	b.Node.Clock = crossguard.FixedClock(now.Add(25 * time.Hour))
	if _, rs := decideCarrying(t, b, warnedNow); len(rs) != 0 {
		t.Fatalf("B: declaration after the warning's window has warning reasons %+v", rs)
	}
	b.Node.Clock = crossguard.FixedClock(now.Add(49 * time.Hour))
	reload(t, b)
	if _, rs := decideCarrying(t, b, warnedLater); len(rs) != 1 || rs[0].ID != later.ID+"#0" {
		t.Fatalf("B: declaration in the later warning's window has warning reasons %+v, want %s", rs, later.ID)
	}
	b.Node.Clock = crossguard.SystemClock{}
	reload(t, b)

	// Withdrawn at A: after sync and reload, B selects on it no more.
	if err := a.Node.WithdrawWarning(ctx, "liaison", current.ID); err != nil {
		t.Fatalf("A: WithdrawWarning: %v", err)
	}
	fedtest.Sync(t, 10, a, b)
	if _, err := b.Node.Warning(ctx, "officer", current.ID); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
		t.Fatalf("B: withdrawn warning: %v, want ENOTFOUND", err)
	}
	reload(t, b)
	if _, rs := decideCarrying(t, b, warnedNow); len(rs) != 0 {
		t.Fatalf("B: declaration after the withdrawal has warning reasons %+v", rs)
	}

	// B seizes and answers the later warning; the feedback and the seizure
	// (shared with the participants by the feedback) reach A.
	seizure := createSeizure(t, b, crossguard.DistAgency, crossguard.TLPAmber)
	fb, err := b.Node.CreateFeedback(ctx, "officer", later.ID, &crossguard.Feedback{Result: crossguard.FeedbackSeized,
		SeizureID: seizure.ID, Notes: "Found in the third pallet."})
	if err != nil {
		t.Fatalf("B: CreateFeedback: %v", err)
	}
	fedtest.Sync(t, 10, a, b)
	held := a.Holds()
	if h, ok := held[fb.ID]; !ok || h.Origin != b.ID() {
		t.Fatalf("A does not hold B's feedback %s", fb.ID)
	}
	if h, ok := held[seizure.ID]; !ok || h.Origin != b.ID() || h.Version != 2 {
		t.Fatalf("A holds B's linked seizure as %+v (present %v), want version 2 of %s", h, ok, b.ID())
	}
	list, err := a.Node.FeedbackOn(ctx, "liaison", later.ID)
	if err != nil || len(list) != 1 || list[0].ID != fb.ID || list[0].SeizureID != seizure.ID || list[0].Result != crossguard.FeedbackSeized {
		t.Fatalf("A: FeedbackOn(%s) = %+v, %v", later.ID, list, err)
	}

	// The same report, byte for byte, on both nodes.
	repA, repB := reportJSON(t, a, op.ID), reportJSON(t, b, op.ID)
	if !bytes.Equal(repA, repB) {
		t.Fatalf("the reports differ:\nA: %s\nB: %s", repA, repB)
	}
	var totals struct{ Warnings, Feedback, Hits, Seizures int }
	if err := json.Unmarshal(repA, &totals); err != nil {
		t.Fatal(err)
	}
	if totals.Warnings != 1 || totals.Feedback != 1 || totals.Hits != 1 || totals.Seizures != 1 {
		t.Fatalf("report totals %+v, want one live warning, one feedback, one hit, one seizure:\n%s", totals, repA)
	}
}

// stopAll stops the nodes at once rather than one after the other.
func stopAll(nodes ...*fedtest.Node) {
	var wg sync.WaitGroup
	for _, n := range nodes {
		wg.Go(n.Stop)
	}
	wg.Wait()
}

// mustWarn records, at n, a warning in operation opID on a container for
// the window [from, to), suggesting the red channel.
func mustWarn(t *testing.T, n *fedtest.Node, opID, container string, from, to time.Time) *crossguard.Warning {
	t.Helper()
	w, err := n.Node.CreateWarning(t.Context(), "liaison", opID, &crossguard.Warning{
		Identifiers:      []crossguard.Identifier{{Type: "container", Value: container}},
		ExpectedCrossing: "Khunjerab", Window: crossguard.WarningWindow{From: from, To: to},
		Reason: "declared as dried fruit; the shipper's last consignment held opium", SuggestedChannel: crossguard.ChannelRed})
	if err != nil {
		t.Fatalf("%s: CreateWarning: %v", n.ID(), err)
	}
	return w
}

// reload reloads n's targeting, as its server does every few seconds.
func reload(t *testing.T, n *fedtest.Node) {
	t.Helper()
	if err := n.Node.ReloadTargeting(t.Context()); err != nil {
		t.Fatalf("%s: ReloadTargeting: %v", n.ID(), err)
	}
}

// decideCarrying decides, at n, a new declaration carrying the container
// and returns its decision and the decision's reasons of type warning.
func decideCarrying(t *testing.T, n *fedtest.Node, container string) (*crossguard.Decision, []crossguard.Reason) {
	t.Helper()
	d := storetest.NewDeclaration(int(declSeq.Add(1)), "khunjerab")
	d.Identifiers = []crossguard.Identifier{{Type: "container", Value: container}}
	ds, err := n.Node.Decide(t.Context(), "officer", []*crossguard.Declaration{d})
	if err != nil {
		t.Fatalf("%s: Decide: %v", n.ID(), err)
	}
	var out []crossguard.Reason
	for _, r := range ds[0].Reasons {
		if r.Type == crossguard.ReasonWarning {
			out = append(out, r)
		}
	}
	return ds[0], out
}

// reportJSON returns n's report of operation id as JSON.
func reportJSON(t *testing.T, n *fedtest.Node, id string) []byte {
	t.Helper()
	r, err := n.Node.OperationReport(t.Context(), "liaison", id)
	if err != nil {
		t.Fatalf("%s: OperationReport: %v", n.ID(), err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
