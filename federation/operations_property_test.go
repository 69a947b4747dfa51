package federation_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation/fedtest"
	"crossguard/internal/testenv"
)

// opPropConfig sizes one run of the participants-only property.
type opPropConfig struct {
	open  func(i int) fedtest.Opener // the store of node i
	steps int                        // steps, each of a few random actions and a sync
	seeds int                        // runs, with the seeds 1 to seeds
}

// opAgencies are the nodes the property draws from, one per agency.
var opAgencies = []string{"pk-customs/hq", "cn-customs/kashgar", "af-customs/torkham", "kz-customs/khorgos", "ir-customs/taftan"}

// opKinds are the kinds of an operation's own records.
var opKinds = []string{crossguard.KindOperation, crossguard.KindWarning, crossguard.KindFeedback, crossguard.KindMessage}

// TestOperationRecordsStayWithParticipants is the joint operations'
// property: over random meshes and chains of 4 or 5 agencies and random
// participant sets, an operation, its warnings (to all participants or to
// named ones), its messages and its feedback reach exactly the nodes of
// their recipients that a chain of such nodes links to the origin
// (network distribution relays through participants only), and no node
// of another agency ever holds any of them, nor even a tombstone. Every
// participant node holds the operation; a seizure linked by feedback
// reaches the participants and nobody else.
func TestOperationRecordsStayWithParticipants(t *testing.T) {
	runOpProperty(t, opPropConfig{open: func(int) fedtest.Opener { return fedtest.SQLite }, steps: 6, seeds: 4})
}

// TestOperationRecordsStayWithParticipantsPostgres checks the same
// property with every other node on PostgreSQL, for one seed.
func TestOperationRecordsStayWithParticipantsPostgres(t *testing.T) {
	testenv.PostgresURL(t)
	runOpProperty(t, opPropConfig{open: func(i int) fedtest.Opener {
		if i%2 == 0 {
			return fedtest.Postgres
		}
		return fedtest.SQLite
	}, steps: 4, seeds: 1})
}

// runOpProperty runs the property once per seed of cfg, in parallel, or
// with the seeds the environment asks for (the same variables as
// TestHoldingsFollowTheRules).
func runOpProperty(t *testing.T, cfg opPropConfig) {
	for _, seed := range propSeeds(t, cfg.seeds) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			w := &opWorld{t: t, r: rand.New(rand.NewPCG(seed, 0x0be5)), now: time.Now().UTC()}
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("replay with %s=%d\nlinks: %v\nactions:\n%s", propSeedEnv, seed, w.links(), strings.Join(w.log, "\n"))
				}
			})
			w.setup(cfg.open)
			t.Cleanup(w.stop)
			for step := 1; step <= cfg.steps; step++ {
				w.step(step)
			}
			t.Logf("%s", w.stats())
		})
	}
}

// opWorld is the nodes under test and the test's model of the records
// created and where they may go.
type opWorld struct {
	t       *testing.T
	r       *rand.Rand
	now     time.Time
	nodes   []*fedtest.Node
	adj     [][]bool // direct links, both ways
	ops     []*opRec
	records []*opRec // every record created, operations included
	relayed int      // records whose reach includes a node not linked to the origin
	log     []string
}

// opRec is a record of the model: its kind, id, origin node, recipient
// agencies, the participants of its operation, and whether it was
// withdrawn (deleted at its origin).
type opRec struct {
	kind, id     string
	origin       int
	recipients   []string
	participants []string
	op           *opRec // the operation, nil for an operation
	withdrawn    bool
	synced       bool // created before the last sync
}

// stats sums up what the run exercised: records by kind, those that
// needed a relay, and those that a node outside their reach was directly
// linked to (a chance to leak).
func (w *opWorld) stats() string {
	kinds := map[string]int{}
	exposed := 0
	for _, m := range w.records {
		kinds[m.kind]++
		reach := w.reach(m)
	outer:
		for _, i := range reach {
			for j := range w.nodes {
				if w.adj[i][j] && !slices.Contains(reach, j) {
					exposed++
					break outer
				}
			}
		}
	}
	return fmt.Sprintf("%d nodes, records %v, %d relayed, %d linked to a node outside their reach", len(w.nodes), kinds, w.relayed, exposed)
}

// logf adds a line to the replay log.
func (w *opWorld) logf(format string, args ...any) {
	w.log = append(w.log, fmt.Sprintf(format, args...))
}

// agency returns the agency of node i.
func (w *opWorld) agency(i int) string { return w.nodes[i].Node.Info.Agency }

// setup creates 4 or 5 nodes of different agencies, linked along a
// random spanning tree (so that some pairs are reached only by relay)
// plus random extra links. Nodes without a direct link know each other
// as origins only, so that they can check each other's relayed records.
func (w *opWorld) setup(open func(int) fedtest.Opener) {
	n := 4 + w.r.IntN(2)
	for i, id := range opAgencies[:n] {
		w.nodes = append(w.nodes, fedtest.NewNode(w.t, open(i), id))
	}
	w.adj = make([][]bool, n)
	for i := range w.adj {
		w.adj[i] = make([]bool, n)
	}
	link := func(a, b int) {
		w.adj[a][b], w.adj[b][a] = true, true
		fedtest.Link(w.nodes[a], w.nodes[b], operationKinds)
	}
	perm := w.r.Perm(n)
	for i := 1; i < n; i++ {
		link(perm[i], perm[w.r.IntN(i)])
	}
	for a := range n {
		for b := a + 1; b < n; b++ {
			if !w.adj[a][b] && w.r.IntN(4) == 0 {
				link(a, b)
			}
		}
	}
	originOnly := operationKinds
	originOnly.OriginOnly = true
	for a := range n {
		for b := a + 1; b < n; b++ {
			if !w.adj[a][b] {
				fedtest.Link(w.nodes[a], w.nodes[b], originOnly)
			}
		}
	}
}

// stop stops every node at once: a node's stop takes a while, the
// nodes' cleanups would take it one after the other.
func (w *opWorld) stop() { stopAll(w.nodes...) }

// links lists the direct links, for the replay log.
func (w *opWorld) links() []string {
	var out []string
	for a := range w.adj {
		for b := a + 1; b < len(w.adj); b++ {
			if w.adj[a][b] {
				out = append(out, w.nodes[a].ID()+"<->"+w.nodes[b].ID())
			}
		}
	}
	return out
}

// step makes a few random actions (operations, warnings, messages,
// feedback, withdrawals), each at a node that holds what it needs, then
// syncs every link and checks the model.
func (w *opWorld) step(step int) {
	w.logf("step %d", step)
	if len(w.ops) == 0 {
		w.createOperation()
	}
	for range 3 + w.r.IntN(4) {
		switch k := w.r.IntN(10); {
		case k < 2:
			w.createOperation()
		case k < 5:
			w.createWarning()
		case k < 6:
			w.createMessage()
		case k < 9:
			w.createFeedback()
		default:
			w.withdraw()
		}
	}
	w.sync()
}

// sync syncs every link until nothing moves, then checks the model.
func (w *opWorld) sync() {
	w.t.Helper()
	fedtest.Sync(w.t, 20, w.nodes...)
	for _, m := range w.records {
		m.synced = true
	}
	w.check()
}

// add records a created record in the model.
func (w *opWorld) add(m *opRec) {
	w.records = append(w.records, m)
	for _, i := range w.reach(m) {
		if !w.adj[m.origin][i] && i != m.origin {
			w.relayed++
			break
		}
	}
}

// createOperation creates an operation at a random node with a random
// set of participants connected among themselves by direct links, so
// that every participant's node can receive it through participants.
func (w *opWorld) createOperation() {
	creator := w.r.IntN(len(w.nodes))
	set := []int{creator}
	for size := 2 + w.r.IntN(len(w.nodes)-1); len(set) < size; {
		var next []int
		for _, i := range set {
			for j := range w.nodes {
				if w.adj[i][j] && !slices.Contains(set, j) && !slices.Contains(next, j) {
					next = append(next, j)
				}
			}
		}
		set = append(set, next[w.r.IntN(len(next))])
	}
	var participants []string
	for _, i := range set {
		participants = append(participants, w.agency(i))
	}
	n := w.nodes[creator]
	op, err := n.Node.CreateOperation(w.t.Context(), "liaison", &crossguard.Operation{
		Header: crossguard.Header{Marking: opAmber}, Name: fmt.Sprintf("Operation %d", len(w.ops)+1),
		Participants: participants, StartsAt: w.now.Add(-time.Hour), EndsAt: w.now.AddDate(0, 1, 0)})
	if err != nil {
		w.t.Fatalf("%s: CreateOperation with %v: %v", n.ID(), participants, err)
	}
	m := &opRec{kind: crossguard.KindOperation, id: op.ID, origin: creator, recipients: op.Recipients, participants: op.Participants}
	w.logf("%s creates operation %s with %v", n.ID(), op.ID, op.Participants)
	w.ops = append(w.ops, m)
	w.add(m)
}

// heldBy returns the nodes that should hold m live now, by the model:
// none once withdrawn, its origin alone until the next sync.
func (w *opWorld) heldBy(m *opRec) []int {
	switch {
	case m.withdrawn:
		return nil
	case !m.synced:
		return []int{m.origin}
	}
	return w.reach(m)
}

// reach returns the nodes that m reaches from its origin: along direct
// links, through nodes of its recipient agencies (or of its origin's
// agency) only, since no other node receives it to relay it.
func (w *opWorld) reach(m *opRec) []int {
	seen := []int{m.origin}
	for k := 0; k < len(seen); k++ {
		for j := range w.nodes {
			if w.adj[seen[k]][j] && !slices.Contains(seen, j) &&
				(slices.Contains(m.recipients, w.agency(j)) || w.agency(j) == w.agency(m.origin)) {
				seen = append(seen, j)
			}
		}
	}
	slices.Sort(seen)
	return seen
}

// pick returns a random element of xs, or ok false if there is none.
func pick[T any](r *rand.Rand, xs []T) (x T, ok bool) {
	if len(xs) == 0 {
		return x, false
	}
	return xs[r.IntN(len(xs))], true
}

// createWarning creates a warning in a random operation at a random
// participant node holding it, to all participants or to a random
// non-empty subset of them.
func (w *opWorld) createWarning() {
	op, _ := pick(w.r, w.ops)
	at, _ := pick(w.r, w.heldBy(op))
	var to []string
	if w.r.IntN(2) == 0 {
		for _, a := range w.r.Perm(len(op.participants))[:1+w.r.IntN(len(op.participants))] {
			to = append(to, op.participants[a])
		}
	}
	channel, _ := pick(w.r, crossguard.SelectingChannels)
	n := w.nodes[at]
	got, err := n.Node.CreateWarning(w.t.Context(), "liaison", op.id, &crossguard.Warning{
		Identifiers:      []crossguard.Identifier{{Type: "container", Value: warnedNow}},
		ExpectedCrossing: "Khunjerab", Window: crossguard.WarningWindow{From: w.now.Add(-time.Hour), To: w.now.Add(24 * time.Hour)},
		Reason: "route through three transit countries", SuggestedChannel: channel, To: to})
	if err != nil {
		w.t.Fatalf("%s: CreateWarning in %s to %v: %v", n.ID(), op.id, to, err)
	}
	w.logf("%s warns in %s to %v: %s", n.ID(), op.id, got.Recipients, got.ID)
	w.add(&opRec{kind: crossguard.KindWarning, id: got.ID, origin: at, recipients: got.Recipients, participants: op.participants, op: op})
}

// createMessage posts a message in a random operation at a random
// participant node holding it.
func (w *opWorld) createMessage() {
	op, _ := pick(w.r, w.ops)
	at, _ := pick(w.r, w.heldBy(op))
	n := w.nodes[at]
	m, err := n.Node.CreateMessage(w.t.Context(), "liaison", op.id, &crossguard.Message{Text: "Shift change at 18:00."})
	if err != nil {
		w.t.Fatalf("%s: CreateMessage in %s: %v", n.ID(), op.id, err)
	}
	w.logf("%s messages in %s: %s", n.ID(), op.id, m.ID)
	w.add(&opRec{kind: crossguard.KindMessage, id: m.ID, origin: at, recipients: m.Recipients, participants: op.participants, op: op})
}

// createFeedback answers a random live warning at a random node holding
// it; one answer in four is a seizure, which the feedback shares with the
// participants.
func (w *opWorld) createFeedback() {
	var live []*opRec
	for _, m := range w.records {
		if m.kind == crossguard.KindWarning && !m.withdrawn {
			live = append(live, m)
		}
	}
	wr, ok := pick(w.r, live)
	if !ok {
		return
	}
	at, _ := pick(w.r, w.heldBy(wr))
	n := w.nodes[at]
	f := &crossguard.Feedback{Notes: "checked at the gate"}
	switch w.r.IntN(4) {
	case 0:
		f.Result = crossguard.FeedbackSeized
		s := createSeizure(w.t, n, crossguard.DistAgency, crossguard.TLPAmber)
		f.SeizureID = s.ID
		w.add(&opRec{kind: crossguard.KindSeizure, id: s.ID, origin: at, recipients: wr.participants, participants: wr.participants, op: wr.op})
	case 1:
		f.Result = crossguard.FeedbackInspectedNothingFound
	case 2:
		f.Result = crossguard.FeedbackNotSeen
	default:
		f.Result, f.NotInspectedReason = crossguard.FeedbackNotInspected, "scanner out of order"
	}
	got, err := n.Node.CreateFeedback(w.t.Context(), "officer", wr.id, f)
	if err != nil {
		w.t.Fatalf("%s: CreateFeedback on %s: %v", n.ID(), wr.id, err)
	}
	w.logf("%s answers %s with %s (seizure %q): %s", n.ID(), wr.id, f.Result, f.SeizureID, got.ID)
	w.add(&opRec{kind: crossguard.KindFeedback, id: got.ID, origin: at, recipients: got.Recipients, participants: wr.participants, op: wr.op})
}

// withdraw withdraws a random live warning at its origin.
func (w *opWorld) withdraw() {
	var live []*opRec
	for _, m := range w.records {
		if m.kind == crossguard.KindWarning && !m.withdrawn {
			live = append(live, m)
		}
	}
	wr, ok := pick(w.r, live)
	if !ok {
		return
	}
	n := w.nodes[wr.origin]
	if err := n.Node.WithdrawWarning(w.t.Context(), "liaison", wr.id); err != nil {
		w.t.Fatalf("%s: WithdrawWarning %s: %v", n.ID(), wr.id, err)
	}
	w.logf("%s withdraws %s", n.ID(), wr.id)
	wr.withdrawn = true
}

// check compares every node's holdings with the model: the records of
// the operation kinds it lists (RecordsOfKind) and the seizures it holds
// are exactly those the model says; no node outside a record's reach has
// any trace of it in its change feed; no node of a non-participant agency
// holds any record of an operation; every participant node holds its
// operation.
func (w *opWorld) check() {
	w.t.Helper()
	byID := map[string]*opRec{}
	for _, m := range w.records {
		byID[m.id] = m
	}
	for i, n := range w.nodes {
		live := map[string]bool{}
		for _, kind := range opKinds {
			recs, err := n.Store.RecordsOfKind(w.t.Context(), kind)
			if err != nil {
				w.t.Fatalf("%s: RecordsOfKind(%s): %v", n.ID(), kind, err)
			}
			for _, r := range recs {
				m := byID[r.ID]
				if m == nil {
					w.t.Fatalf("%s holds %s %s, which no test action created", n.ID(), kind, r.ID)
				}
				if !slices.Contains(m.participants, w.agency(i)) {
					w.t.Fatalf("%s of non-participant agency %s holds %s %s of an operation of %v",
						n.ID(), w.agency(i), kind, r.ID, m.participants)
				}
				live[r.ID] = true
			}
		}
		holds := n.Holds()
		traces := w.traces(n)
		for _, m := range w.records {
			want := slices.Contains(w.heldBy(m), i)
			got := live[m.id]
			if m.kind == crossguard.KindSeizure {
				_, got = holds[m.id]
			} else if _, inFeed := holds[m.id]; inFeed != got {
				w.t.Fatalf("%s: %s %s live in the change feed %v, listed by RecordsOfKind %v", n.ID(), m.kind, m.id, inFeed, got)
			}
			if got != want {
				w.t.Fatalf("%s holds %s %s (origin %s, recipients %v, withdrawn %v): %v, want %v (reach %v)",
					n.ID(), m.kind, m.id, w.nodes[m.origin].ID(), m.recipients, m.withdrawn, got, want, w.reach(m))
			}
			if traces[m.id] && !slices.Contains(w.reach(m), i) {
				w.t.Fatalf("%s, outside the reach %v of %s %s, has it in its change feed", n.ID(), w.reach(m), m.kind, m.id)
			}
			if m.kind == crossguard.KindOperation && slices.Contains(m.participants, w.agency(i)) && !got {
				w.t.Fatalf("participant %s does not hold operation %s of %v", n.ID(), m.id, m.participants)
			}
		}
	}
}

// traces returns the ids of every record in n's change feed, in any
// state (live, withdrawn or deleted).
func (w *opWorld) traces(n *fedtest.Node) map[string]bool {
	out := map[string]bool{}
	var after int64
	for {
		changes, _, err := n.Store.Changes(w.t.Context(), after, 1000)
		if err != nil {
			w.t.Fatalf("%s: changes: %v", n.ID(), err)
		}
		if len(changes) == 0 {
			return out
		}
		for _, c := range changes {
			out[c.Header.ID] = true
		}
		after = changes[len(changes)-1].Seq
	}
}
