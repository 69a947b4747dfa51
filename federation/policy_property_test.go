package federation_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation/fedtest"
	"crossguard/internal/testenv"
)

// liveConfig sizes one run of the live policy-change property.
type liveConfig struct {
	nodes    []string
	steps    int // steps of random changes, each followed by quiescence and a check
	creates  int // seizures created per step, at most
	policies int // policy changes per step, at most
	seeds    int // runs, with the seeds 1 to seeds
}

var (
	liveSQLiteConfig = liveConfig{nodes: []string{"pk-customs/hq", "pk-customs/sost", "cn-customs/tashkurgan",
		"af-customs/torkham"}, steps: 6, creates: 3, policies: 3, seeds: 3}
	livePostgresConfig = liveConfig{nodes: []string{"pk-customs/hq", "pk-customs/sost", "cn-customs/tashkurgan",
		"af-customs/torkham"}, steps: 4, creates: 3, policies: 3, seeds: 2}
)

// quiesceLimit bounds the wait for the nodes to settle after a step: a
// bound on a loop, not a speed target.
const quiesceLimit = 60 * time.Second

// TestHoldingsFollowPolicyChangesLive is the property of issue 12: with
// every node running its own pull loops, so that peers sit in long-polls
// while it happens, random narrowing and widening of peers' policies and
// of records' distribution and markings leave every node, once the nodes
// have settled, holding exactly what the rules let reach it along the
// direct links (the reference of property_test.go).
func TestHoldingsFollowPolicyChangesLive(t *testing.T) {
	runLiveProperty(t, fedtest.SQLite, liveSQLiteConfig)
}

// TestHoldingsFollowPolicyChangesLivePostgres checks the same property
// with every node on PostgreSQL.
func TestHoldingsFollowPolicyChangesLivePostgres(t *testing.T) {
	testenv.PostgresURL(t)
	runLiveProperty(t, fedtest.Postgres, livePostgresConfig)
}

// runLiveProperty runs the property once per seed of cfg, one after the
// other (each runs a service per node), or with the seeds the environment
// asks for (propSeedEnv, propSeedsEnv).
func runLiveProperty(t *testing.T, open fedtest.Opener, cfg liveConfig) {
	for _, seed := range propSeeds(t, cfg.seeds) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			w := &propWorld{t: t, cfg: propConfig{nodes: cfg.nodes}, r: rand.New(rand.NewPCG(seed, 0x11fe)),
				peers: map[[2]int]fedtest.Policy{}, byID: map[string]*propRecord{}}
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("replay with %s=%d\npeerings:\n%s\noperations:\n%s", propSeedEnv, seed, w.peerings(), strings.Join(w.log, "\n"))
				}
			})
			w.setup(open)
			t.Cleanup(w.stop)
			for _, n := range w.nodes {
				n.Start()
			}
			for step := 1; step <= cfg.steps; step++ {
				w.liveStep(step, cfg)
			}
		})
	}
}

// liveStep makes random changes while the nodes pull from each other,
// then waits for them to settle and checks what every node holds.
func (w *propWorld) liveStep(step int, cfg liveConfig) {
	w.logf("step %d", step)
	for range 1 + w.r.IntN(cfg.creates) {
		w.create(w.r.IntN(len(w.nodes)))
	}
	for range 1 + w.r.IntN(cfg.policies) {
		a, b := w.randomLink()
		w.logf("  policy change:")
		w.setPolicy(a, b, w.randomPolicy())
		// Records narrowed and widened between the policy changes.
		for _, m := range w.records {
			if !m.deleted && m.kind == crossguard.KindSeizure && w.r.Float64() < 0.2 {
				w.update(m)
			}
		}
	}
	if w.r.IntN(3) == 0 {
		w.annotate(w.r.IntN(len(w.nodes)))
	}
	w.quiesce(step)
}

// quiesce waits until every node holds what the reference says, every
// node has applied every peer's feed to its head and no policy change
// waits to be reconciled, then checks the holdings once more; it fails t
// with the differences if that does not happen within quiesceLimit.
func (w *propWorld) quiesce(step int) {
	deadline := time.Now().Add(quiesceLimit)
	for {
		diffs := w.diffs()
		if len(diffs) == 0 && w.settled() {
			if diffs = w.diffs(); len(diffs) == 0 {
				return
			}
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("%s after step %d the nodes still do not hold what the rules say:\n%s",
				quiesceLimit, step, strings.Join(diffs, "\n"))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// settled reports whether every node has applied every linked peer's
// feed up to the peer's head and has no policy change left to reconcile.
func (w *propWorld) settled() bool {
	ctx := context.WithoutCancel(w.t.Context())
	heads := make([]int64, len(w.nodes))
	for i, n := range w.nodes {
		_, head, err := n.Store.Changes(ctx, 1<<62, 1)
		if err != nil {
			w.t.Fatalf("%s: head: %v", w.id(i), err)
		}
		heads[i] = head
	}
	for i, n := range w.nodes {
		peers, err := n.Store.Peers(ctx)
		if err != nil {
			w.t.Fatalf("%s: peers: %v", w.id(i), err)
		}
		for _, p := range peers {
			if p.ReconcilePending() {
				return false
			}
			for j := range w.nodes {
				if w.id(j) == p.Card.ID && !p.OriginOnly && w.linked(i, j) && p.Status.Cursor < heads[j] {
					return false
				}
			}
		}
	}
	return true
}

// linked reports whether nodes a and b are directly linked.
func (w *propWorld) linked(a, b int) bool {
	for _, l := range w.links {
		if l == [2]int{min(a, b), max(a, b)} {
			return true
		}
	}
	return false
}
