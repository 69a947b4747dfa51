package federation_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation/fedtest"
	"crossguard/internal/testenv"
	"crossguard/sample"
)

// Variables that change the property test's fixed seeds 1 to N:
// propSeedEnv runs one seed only, to replay a failure; propSeedsEnv sets
// N, to sweep many seeds.
const (
	propSeedEnv  = "CROSSGUARD_FED_SEED"
	propSeedsEnv = "CROSSGUARD_FED_SEEDS"
)

// propConfig sizes one run of the holdings property.
type propConfig struct {
	nodes       []string // node ids AGENCY/NODE
	steps       int      // steps of random operations, each followed by a check
	creates     int      // seizures created per step, at most
	annotations int      // annotations made per step, at most
	pulls       int      // single pulls along random links between operations, at most
	seeds       int      // runs, with the seeds 1 to seeds
}

var (
	fullConfig = propConfig{nodes: []string{"pk-customs/hq", "pk-customs/sost", "cn-customs/kashgar",
		"cn-customs/tashkurgan", "af-customs/torkham"}, steps: 12, creates: 4, annotations: 2, pulls: 6, seeds: 8}
	shortConfig = propConfig{nodes: []string{"pk-customs/hq", "pk-customs/sost", "cn-customs/tashkurgan",
		"af-customs/torkham"}, steps: 6, creates: 3, annotations: 2, pulls: 4, seeds: 2}
	postgresConfig = propConfig{nodes: []string{"pk-customs/hq", "pk-customs/sost", "cn-customs/tashkurgan",
		"af-customs/torkham"}, steps: 5, creates: 3, annotations: 2, pulls: 4, seeds: 2}
)

// TestHoldingsFollowTheRules is the federation's property: for random
// peerings, policies and records, after creates, updates (narrowing and
// widening), deletes, annotations and policy changes, every node holds
// exactly the current versions of the records that the sharing rules of
// docs/federation.md let reach it along a chain of direct links.
func TestHoldingsFollowTheRules(t *testing.T) {
	cfg := fullConfig
	if testing.Short() {
		cfg = shortConfig
	}
	runProperty(t, fedtest.SQLite, cfg)
}

// TestHoldingsFollowTheRulesPostgres checks the same property with every
// node on PostgreSQL, in a smaller configuration.
func TestHoldingsFollowTheRulesPostgres(t *testing.T) {
	testenv.PostgresURL(t)
	runProperty(t, fedtest.Postgres, postgresConfig)
}

// propSeeds returns the seeds a property test runs: 1 to n, or 1 to the
// number propSeedsEnv gives, or only the one propSeedEnv gives.
func propSeeds(t *testing.T, n int) []uint64 {
	t.Helper()
	if s := os.Getenv(propSeedsEnv); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			t.Fatalf("%s=%q: want a number of seeds", propSeedsEnv, s)
		}
	}
	if s := os.Getenv(propSeedEnv); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", propSeedEnv, s, err)
		}
		return []uint64{seed}
	}
	seeds := make([]uint64, n)
	for i := range seeds {
		seeds[i] = uint64(i + 1)
	}
	return seeds
}

// runProperty runs the property once per seed of cfg, in parallel, or
// with the seeds the environment asks for.
func runProperty(t *testing.T, open fedtest.Opener, cfg propConfig) {
	for _, seed := range propSeeds(t, cfg.seeds) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			w := &propWorld{t: t, cfg: cfg, r: rand.New(rand.NewPCG(seed, 0x5eed)),
				peers: map[[2]int]fedtest.Policy{}, byID: map[string]*propRecord{}}
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("replay with %s=%d\npeerings:\n%s\noperations:\n%s", propSeedEnv, seed, w.peerings(), strings.Join(w.log, "\n"))
				}
			})
			w.setup(open)
			t.Cleanup(w.stop)
			for step := 1; step <= cfg.steps; step++ {
				w.step(step)
			}
		})
	}
}

// propWorld is the nodes under test and the test's own model of what they
// should hold.
type propWorld struct {
	t     *testing.T
	cfg   propConfig
	r     *rand.Rand
	nodes []*fedtest.Node
	links [][2]int // mutual direct links, a < b
	// peers[{a, b}] is the policy node a applies to node b, if a knows b.
	peers   map[[2]int]fedtest.Policy
	records []*propRecord // in creation order
	byID    map[string]*propRecord
	log     []string
}

// propRecord is the test's copy of a record's header.
type propRecord struct {
	label      string // s3, a7: a short name for reports
	id, kind   string
	origin     int
	version    int64
	dist, tlp  string
	handling   string
	recipients []string
	deleted    bool
}

// String describes the record for reports.
func (m *propRecord) String() string {
	return fmt.Sprintf("%s v%d (%s, %s, TLP:%s, %s, recipients %v)", m.label, m.version, m.kind, m.dist, m.tlp, m.handling, m.recipients)
}

// logf appends an operation to the log printed on failure.
func (w *propWorld) logf(format string, args ...any) {
	w.log = append(w.log, fmt.Sprintf(format, args...))
}

// id returns the id of node i.
func (w *propWorld) id(i int) string { return w.nodes[i].ID() }

// setup starts the nodes, links them along a random spanning tree plus
// random extra links, each direction with a random policy, and gives some
// unlinked nodes each other's cards as origin-only peers.
func (w *propWorld) setup(open fedtest.Opener) {
	for _, id := range w.cfg.nodes {
		w.nodes = append(w.nodes, fedtest.NewNode(w.t, open, id))
	}
	n := len(w.nodes)
	tree := map[[2]int]bool{}
	order := w.r.Perm(n)
	for i := 1; i < n; i++ {
		a, b := order[i], order[w.r.IntN(i)]
		tree[[2]int{min(a, b), max(a, b)}] = true
	}
	for a := range n {
		for b := a + 1; b < n; b++ {
			if tree[[2]int{a, b}] || w.r.Float64() < 0.3 {
				w.links = append(w.links, [2]int{a, b})
			}
		}
	}
	for a := range n {
		for b := range n {
			switch {
			case a == b:
			case slices.Contains(w.links, [2]int{min(a, b), max(a, b)}):
				w.setPolicy(a, b, w.randomPolicy())
			case w.r.IntN(2) == 0:
				w.setPolicy(a, b, fedtest.Policy{Kinds: []string{crossguard.KindSeizure}, MaxTLP: crossguard.TLPRed, OriginOnly: true})
			}
		}
	}
}

// stop stops every node's service at once rather than one after the
// other as their own cleanups would.
func (w *propWorld) stop() {
	var wg sync.WaitGroup
	for _, n := range w.nodes {
		wg.Go(n.Stop)
	}
	wg.Wait()
}

// setPolicy makes node a apply p to node b (PutPeer, so a change of a
// known peer's policy is reconciled).
func (w *propWorld) setPolicy(a, b int, p fedtest.Policy) {
	w.nodes[a].AddPeer(w.nodes[b], p)
	w.peers[[2]int{a, b}] = p
	w.logf("  %s applies to %s: %s", w.id(a), w.id(b), propPolicy(p))
}

// propPolicy renders a policy for reports.
func propPolicy(p fedtest.Policy) string {
	if p.OriginOnly {
		return "origin-only"
	}
	return fmt.Sprintf("kinds %s, max TLP:%s", strings.Join(p.Kinds, ","), p.MaxTLP)
}

// peerings describes every policy of every node, for reports.
func (w *propWorld) peerings() string {
	var b strings.Builder
	for a := range w.nodes {
		for c := range w.nodes {
			if p, ok := w.peers[[2]int{a, c}]; ok {
				fmt.Fprintf(&b, "  %s → %s: %s\n", w.id(a), w.id(c), propPolicy(p))
			}
		}
	}
	return b.String()
}

// randomPolicy returns a policy that always shares seizures, often
// annotations, sometimes a kind no record here has, under a random ceiling.
func (w *propWorld) randomPolicy() fedtest.Policy {
	kinds := []string{crossguard.KindSeizure}
	if w.r.Float64() < 0.7 {
		kinds = append(kinds, crossguard.KindAnnotation)
	}
	if w.r.Float64() < 0.3 {
		kinds = append(kinds, "warning")
	}
	ceilings := []string{crossguard.TLPClear, crossguard.TLPGreen, crossguard.TLPAmber, crossguard.TLPAmber,
		crossguard.TLPAmberStrict, crossguard.TLPAmberStrict, crossguard.TLPRed, crossguard.TLPRed, crossguard.TLPRed}
	return fedtest.Policy{Kinds: kinds, MaxTLP: ceilings[w.r.IntN(len(ceilings))]}
}

// sharing returns a random distribution, TLP and recipients; TLP:RED
// always names recipients.
func (w *propWorld) sharing() (dist, tlp string, recipients []string) {
	dists := []string{crossguard.DistLocal, crossguard.DistAgency, crossguard.DistAgency,
		crossguard.DistPartners, crossguard.DistPartners, crossguard.DistNetwork, crossguard.DistNetwork, crossguard.DistNetwork}
	dist = dists[w.r.IntN(len(dists))]
	tlp = crossguard.TLPs[w.r.IntN(len(crossguard.TLPs))]
	if tlp == crossguard.TLPRed || w.r.Float64() < 0.35 {
		var agencies []string
		for _, id := range w.cfg.nodes {
			if a := crossguard.Agency(id); !slices.Contains(agencies, a) {
				agencies = append(agencies, a)
			}
		}
		for _, a := range append(agencies, "kz-customs") { // and an agency with no node here
			if w.r.IntN(2) == 0 {
				recipients = append(recipients, a)
			}
		}
		if len(recipients) == 0 {
			recipients = []string{agencies[w.r.IntN(len(agencies))]}
		}
	}
	return dist, tlp, recipients
}

// step makes random changes, with random single pulls in between, then
// syncs every link and checks what every node holds.
func (w *propWorld) step(step int) {
	w.logf("step %d", step)
	w.pullSome()
	for range 1 + w.r.IntN(w.cfg.creates) {
		w.create(w.r.IntN(len(w.nodes)))
	}
	w.pullSome()
	for i := range w.records {
		m := w.records[i]
		if m.deleted || m.kind != crossguard.KindSeizure {
			continue
		}
		switch x := w.r.Float64(); {
		case x < 0.08:
			w.delete(m)
		case x < 0.35:
			w.update(m)
		}
	}
	w.pullSome()
	for range w.r.IntN(w.cfg.annotations + 1) {
		w.annotate(w.r.IntN(len(w.nodes)))
	}
	if w.r.IntN(2) == 0 {
		a, b := w.randomLink()
		w.logf("  policy change:")
		w.setPolicy(a, b, w.randomPolicy())
	}
	w.logf("  sync")
	fedtest.Sync(w.t, 3*len(w.nodes)+5, w.nodes...)
	w.check(step)
}

// pullSome pulls one page along a few random links, so that changes meet
// nodes in random states of propagation.
func (w *propWorld) pullSome() {
	for range w.r.IntN(w.cfg.pulls + 1) {
		a, b := w.randomLink()
		w.logf("  %s pulls from %s", w.id(a), w.id(b))
		if _, err := w.nodes[a].Pull(w.nodes[b]); err != nil {
			w.t.Fatalf("%s pulling from %s: %v", w.id(a), w.id(b), err)
		}
	}
}

// randomLink returns the two ends of a random link, in random order.
func (w *propWorld) randomLink() (a, b int) {
	l := w.links[w.r.IntN(len(w.links))]
	if w.r.IntN(2) == 0 {
		return l[1], l[0]
	}
	return l[0], l[1]
}

// create records a new seizure at node o with random sharing.
func (w *propWorld) create(o int) {
	s := sample.Seizures(1, w.r.Int64(), time.Now())[0]
	dist, tlp, recipients := w.sharing()
	s.Distribution, s.Recipients, s.Marking.TLP = dist, recipients, tlp
	got, err := w.nodes[o].Node.CreateSeizure(w.t.Context(), "test", s)
	if err != nil {
		w.t.Fatalf("%s: create seizure: %v", w.id(o), err)
	}
	m := &propRecord{label: fmt.Sprintf("s%d", len(w.records)+1), id: got.ID, kind: crossguard.KindSeizure, origin: o,
		version: got.Version, dist: dist, tlp: tlp, handling: got.Marking.Handling, recipients: recipients}
	w.records = append(w.records, m)
	w.byID[m.id] = m
	w.logf("  %s creates %s", w.id(o), m)
}

// update changes the distribution, TLP and recipients of a seizure at its
// origin, at random: narrower, wider or the same.
func (w *propWorld) update(m *propRecord) {
	n := w.nodes[m.origin]
	s, err := n.Store.Seizure(w.t.Context(), m.id)
	if err != nil {
		w.t.Fatalf("%s: read own seizure %s: %v", w.id(m.origin), m.label, err)
	}
	m.dist, m.tlp, m.recipients = w.sharing()
	s.Distribution, s.Recipients, s.Marking.TLP = m.dist, m.recipients, m.tlp
	got, err := n.Node.UpdateSeizure(w.t.Context(), "test", m.id, m.version, s)
	if err != nil {
		w.t.Fatalf("%s: update seizure %s: %v", w.id(m.origin), m.label, err)
	}
	m.version = got.Version
	w.logf("  %s updates %s", w.id(m.origin), m)
}

// delete deletes a seizure at its origin.
func (w *propWorld) delete(m *propRecord) {
	if err := w.nodes[m.origin].Node.DeleteSeizure(w.t.Context(), "test", m.id, 0); err != nil {
		w.t.Fatalf("%s: delete seizure %s: %v", w.id(m.origin), m.label, err)
	}
	m.deleted = true
	w.logf("  %s deletes %s", w.id(m.origin), m.label)
}

// annotate makes node a annotate a random record it holds, under random
// sharing of the annotation's own.
func (w *propWorld) annotate(a int) {
	held := w.nodes[a].Holds()
	var targets []*propRecord
	for _, m := range w.records {
		if _, ok := held[m.id]; ok {
			targets = append(targets, m)
		}
	}
	if len(targets) == 0 {
		return
	}
	target := targets[w.r.IntN(len(targets))]
	ann := &crossguard.Annotation{Text: "Seen again at " + w.id(a) + "."}
	ann.Distribution, ann.Marking.TLP, ann.Recipients = w.sharing()
	ann.Marking.Handling = "H1"
	got, err := w.nodes[a].Node.Annotate(w.t.Context(), "test", target.id, ann)
	if err != nil {
		w.t.Fatalf("%s: annotate %s: %v", w.id(a), target.label, err)
	}
	m := &propRecord{label: fmt.Sprintf("a%d", len(w.records)+1), id: got.ID, kind: crossguard.KindAnnotation, origin: a,
		version: got.Version, dist: got.Distribution, tlp: got.Marking.TLP, handling: got.Marking.Handling, recipients: got.Recipients}
	w.records = append(w.records, m)
	w.byID[m.id] = m
	w.logf("  %s annotates %s: %s", w.id(a), target.label, m)
}

// check compares what every node holds with the reference.
func (w *propWorld) check(step int) {
	if diffs := w.diffs(); len(diffs) > 0 {
		w.t.Fatalf("after step %d the nodes do not hold what the rules say:\n%s", step, strings.Join(diffs, "\n"))
	}
}

// diffs returns, sorted, how what the nodes hold differs from the
// reference.
func (w *propWorld) diffs() []string {
	via := map[string][]int{}
	for _, m := range w.records {
		if !m.deleted {
			via[m.id] = w.reach(m)
		}
	}
	var diffs []string
	for i, n := range w.nodes {
		got := n.Holds()
		for _, m := range w.records {
			h, holds := got[m.id]
			want := !m.deleted && via[m.id][i] >= 0
			var diff string
			switch {
			case want && !holds:
				diff = fmt.Sprintf("%s lacks %s of %s, which reaches it along %s", w.id(i), m, w.id(m.origin), w.chain(via[m.id], i))
			case !want && holds && m.deleted:
				diff = fmt.Sprintf("%s holds %s v%d of %s, which %s deleted", w.id(i), m.label, h.Version, w.id(m.origin), w.id(m.origin))
			case !want && holds:
				diff = fmt.Sprintf("%s holds %s v%d of %s, which the rules let reach it along no chain; current %s",
					w.id(i), m.label, h.Version, w.id(m.origin), m)
			case want && (h.Version != m.version || h.Origin != w.id(m.origin)):
				diff = fmt.Sprintf("%s holds %s at v%d from %s, want %s of %s", w.id(i), m.label, h.Version, h.Origin, m, w.id(m.origin))
			}
			if diff != "" {
				diffs = append(diffs, diff+"\n    "+w.copyState(i, m))
			}
		}
		for id, h := range got {
			if w.byID[id] == nil {
				diffs = append(diffs, fmt.Sprintf("%s holds a record %s v%d of %s that nobody made", w.id(i), id, h.Version, h.Origin))
			}
		}
	}
	slices.Sort(diffs)
	return diffs
}

// copyState describes, to diagnose a failure, node i's copy of record m
// (its state, version and the peer it came via) and which nodes say it
// may hold m because they served it.
func (w *propWorld) copyState(i int, m *propRecord) string {
	ctx := w.t.Context()
	state := "none"
	var after int64
	for range 1000 {
		changes, _, err := w.nodes[i].Store.Changes(ctx, after, 1000)
		if err != nil || len(changes) == 0 {
			break
		}
		for _, c := range changes {
			if c.Header.ID == m.id {
				state = fmt.Sprintf("%s v%d via %q", c.State, c.Header.Version, c.Via)
			}
		}
		after = changes[len(changes)-1].Seq
	}
	var servedBy []string
	for p := range w.nodes {
		if shared, err := w.nodes[p].Store.SharedWith(ctx, w.id(i), []string{m.id}); err == nil {
			if v, ok := shared[m.id]; ok {
				servedBy = append(servedBy, fmt.Sprintf("%s (v%d)", w.id(p), v))
			}
		}
	}
	return fmt.Sprintf("its copy: %s; served to it by: %s", state, strings.Join(servedBy, ", "))
}

// reach computes, as a fixpoint over the direct links, which nodes the
// live record m reaches from its origin: for each node, the node it can
// come from (itself for the origin), or -1 if none.
func (w *propWorld) reach(m *propRecord) []int {
	from := make([]int, len(w.nodes))
	for i := range from {
		from[i] = -1
	}
	from[m.origin] = m.origin
	for changed := true; changed; {
		changed = false
		for h := range w.nodes {
			for p := range w.nodes {
				if from[h] >= 0 && from[p] < 0 && w.mayPass(h, p, m) {
					from[p], changed = h, true
				}
			}
		}
	}
	return from
}

// chain renders the path by which a record reaches node i.
func (w *propWorld) chain(from []int, i int) string {
	path := []string{w.id(i)}
	for j := 0; from[i] != i && j < len(from); j++ {
		i = from[i]
		path = append([]string{w.id(i)}, path...)
	}
	return strings.Join(path, " → ")
}

// propTLPRank ranks the TLP levels from least to most restricted.
var propTLPRank = map[string]int{crossguard.TLPClear: 0, crossguard.TLPGreen: 1, crossguard.TLPAmber: 2,
	crossguard.TLPAmberStrict: 3, crossguard.TLPRed: 4}

// mayPass is the test's own reading of the rules of docs/federation.md,
// written without crossguard.MayShare: whether holder h passes record m
// to node p over a direct link, and p stores it.
func (w *propWorld) mayPass(h, p int, m *propRecord) bool {
	out, hKnowsP := w.peers[[2]int{h, p}]
	in, pKnowsH := w.peers[[2]int{p, h}]
	_, pKnowsOrigin := w.peers[[2]int{p, m.origin}]
	hAgency, pAgency, oAgency := crossguard.Agency(w.id(h)), crossguard.Agency(w.id(p)), crossguard.Agency(w.id(m.origin))
	named := slices.Contains(m.recipients, pAgency)
	switch {
	case !hKnowsP || !pKnowsH || out.OriginOnly || in.OriginOnly: // peering is mutual and direct
		return false
	case p == m.origin || !pKnowsOrigin: // never back to the origin; the receiver verifies the origin's key
		return false
	case !slices.Contains(out.Kinds, m.kind) || propTLPRank[m.tlp] > propTLPRank[out.MaxTLP]: // the sender's policy for p
		return false
	case m.dist == crossguard.DistLocal:
		return false
	case m.tlp == crossguard.TLPRed && !named:
		return false
	case pAgency == oAgency:
		return true
	case m.dist == crossguard.DistAgency || m.tlp == crossguard.TLPAmberStrict:
		return false
	case m.handling == crossguard.HandlingH2 && hAgency != oAgency: // recipients of H2 do not pass it on
		return false
	case len(m.recipients) > 0 && !named:
		return false
	}
	return m.dist == crossguard.DistNetwork || hAgency == oAgency
}
