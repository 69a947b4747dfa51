package demo

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"

	"crossguard"
	"crossguard/datadir"
	"crossguard/federation"
	"crossguard/internal/wiring"
	"crossguard/sample"
)

// demoNode is one running node of the demo.
type demoNode struct {
	Dir      *datadir.Dir
	Node     *wiring.Services
	api, fed net.Listener
	fresh    bool
	tokens   map[string]string
}

// close closes the node's listeners and store.
func (n *demoNode) close() {
	n.api.Close()
	n.fed.Close()
	if n.Node != nil {
		n.Node.Store.Close()
	}
}

// demoLink is a peering of two demo nodes, by index in demoSpecs.
type demoLink struct {
	a, b       int
	rel        string
	maxTLP     string
	originOnly bool
}

// demoLinks peer the post with headquarters as one agency, headquarters
// with Tashkurgan as partners, and let the post and Tashkurgan know each
// other's keys only, to verify the records headquarters relays between
// them.
var demoLinks = []demoLink{
	{0, 1, crossguard.RelAgency, crossguard.TLPRed, false},
	{0, 2, crossguard.RelPartner, crossguard.TLPAmber, false},
	{1, 2, crossguard.RelPartner, crossguard.TLPAmber, true},
}

// peerDemoNodes adds each link's cards on both of its nodes. Every link
// is given every shareable kind: seizures and profiles, and the joint
// operations, warnings, feedback and messages, agreements, progress
// reports and activities of the cooperation between the two agencies.
func peerDemoNodes(ctx context.Context, nodes []*demoNode) error {
	for _, l := range demoLinks {
		for _, pair := range [][2]*demoNode{{nodes[l.a], nodes[l.b]}, {nodes[l.b], nodes[l.a]}} {
			p := &crossguard.Peer{Card: pair[1].Node.Sharing.Card(), Relationship: l.rel, Kinds: crossguard.ShareableKinds,
				MaxTLP: l.maxTLP, OriginOnly: l.originOnly}
			if _, err := pair[0].Node.Sharing.PutPeer(ctx, "demo", p); err != nil {
				return fmt.Errorf("peer %s with %s: %w", pair[0].Dir.Info.ID, p.Card.ID, err)
			}
		}
	}
	return nil
}

// loadHistory records n sample seizures of the node's country, stamped as
// the node's own, in batches.
func loadHistory(ctx context.Context, cfg *Config, n *demoNode, count int, seed int64) error {
	country := n.Dir.Info.Country
	var batch []*crossguard.Seizure
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := n.Node.Store.CreateSeizures(ctx, "demo", batch, nil)
		batch = batch[:0]
		return err
	}
	stored := 0
	err := sample.Each(count*10, seed, n.Node.Core.Clock.Now(), func(s *crossguard.Seizure) error {
		if s.Country != country || stored == count {
			return nil
		}
		if err := n.Node.Sharing.PrepareSeizure(s); err != nil {
			return err
		}
		batch = append(batch, s)
		stored++
		if len(batch) == 500 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return fmt.Errorf("load sample history into %s: %w", n.Dir.Info.ID, err)
	}
	fmt.Fprintf(cfg.Stdout, "Loaded %d sample seizures into %s.\n", stored, n.Dir.Info.ID)
	return nil
}

// printDemo prints the nodes, their URLs and tokens, and what to try.
func printDemo(cfg *Config, nodes []*demoNode, risk *demoRisk, ops *demoOps, prog *demoProgramme) {
	w := cfg.Stdout
	fmt.Fprintf(w, "\ncrossguard demo: %d nodes exchanging records on loopback\n", len(nodes))
	if pw, err := demoPassword(); err == nil {
		fmt.Fprintf(w, "Every demo user (demo-admin, demo-analyst, demo-officer, demo-auditor) signs in to the web pages with the password %s on this run.\n", pw[0])
	}
	for _, n := range nodes {
		url := "http://" + n.api.Addr().String()
		fmt.Fprintf(w, "\n%s (%s)\n", n.Dir.Info.ID, n.Dir.Info.Name)
		fmt.Fprintf(w, "  web             %s/   (sign in as demo-analyst or demo-officer, password below)\n", url)
		fmt.Fprintf(w, "  URL             %s/api/v1/seizures\n", url)
		fmt.Fprintf(w, "  peers           %s/api/v1/peers   (admin token)\n", url)
		fmt.Fprintf(w, "  federation      %s\n", n.Node.Sharing.FederationURL)
		fmt.Fprintf(w, "  data directory  %s\n", n.Dir.Path)
		fmt.Fprintf(w, "  tokens          ")
		for i, u := range demoUsers {
			if i > 0 {
				fmt.Fprintf(w, "                  ")
			}
			fmt.Fprintf(w, "%-8s %s\n", u.role, n.tokens[u.name])
		}
	}
	hq, cn := nodes[0], nodes[2]
	fmt.Fprintf(w, "\nTry: records from the other agency, as Tashkurgan sees them:\n  curl -H 'Authorization: Bearer %s' 'http://%s/api/v1/seizures?origin=others&limit=5'\n",
		cn.tokens["demo-analyst"], cn.api.Addr())
	fmt.Fprintf(w, "  and the sync status at headquarters:\n  curl -H 'Authorization: Bearer %s' 'http://%s/api/v1/peers'\n",
		hq.tokens["demo-admin"], hq.api.Addr())
	printDemoRisk(w, nodes, risk)
	printDemoOps(w, nodes, ops)
	printDemoProgramme(w, nodes, prog)
	fmt.Fprintf(w, "\nA new seizure is recorded, and a new declaration decided, every few seconds at the post and at Tashkurgan. Press Ctrl-C to stop.\n")
}

// runDemoNodes serves every node's API and federation, keeps their risk
// targeting current and keeps recording seizures and deciding
// declarations until ctx ends, then stops them all. On the run that
// opened the joint operation and wrote the agreement, it plays the
// partners' side of them.
func runDemoNodes(ctx context.Context, cfg *Config, nodes []*demoNode, risk *demoRisk, ops *demoOps, prog *demoProgramme, every time.Duration) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, len(nodes))
	for _, n := range nodes {
		srv := cfg.Server(n.Node)
		fed := &federation.Service{Card: n.Node.Sharing.Card(), Key: n.Dir.Key, Store: n.Node.Store, Logger: cfg.Logger, Wait: 10 * time.Second}
		wg.Go(func() { errs <- wrapErr(n.Dir.Info.ID+": federation", fed.Run(ctx, n.fed)) })
		wg.Go(func() { errs <- wrapErr(n.Dir.Info.ID+": serve", srv.Serve(ctx, n.api)) })
		wg.Go(func() { n.Node.Targeting.KeepTargetingCurrent(ctx, cfg.TargetingReload) })
	}
	if ps := risk.profiles; len(ps) > 1 {
		wg.Go(func() { adoptWhenReceived(ctx, cfg, nodes[2], ps[0], ps[1]) })
	}
	if len(ops.warnings) > 0 {
		wg.Go(func() { playDemoOperation(ctx, cfg, nodes, ops) })
	}
	if prog.agreement != nil && !prog.today.IsZero() {
		wg.Go(func() { playDemoProgramme(ctx, cfg, nodes, prog) })
	}
	if every == 0 {
		every = 4 * time.Second
	}
	if every > 0 {
		wg.Go(func() { keepRecording(ctx, cfg, []*demoNode{nodes[1], nodes[2]}, every) })
		wg.Go(func() { keepDeclaring(ctx, cfg, nodes, risk, every) })
	}
	go func() {
		wg.Wait()
		close(errs)
	}()
	var first error
	for err := range errs {
		if err != nil && first == nil {
			first = err
			cancel()
		}
	}
	return first
}

// keepRecording records one sample seizure every interval, taking turns
// among nodes, until ctx ends.
func keepRecording(ctx context.Context, cfg *Config, nodes []*demoNode, every time.Duration) {
	seed := time.Now().UnixNano()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
		n := nodes[i%len(nodes)]
		var s *crossguard.Seizure
		for _, c := range sample.Seizures(8, seed+int64(i), n.Node.Core.Clock.Now()) {
			if c.Country == n.Dir.Info.Country {
				s = c
				break
			}
		}
		if s == nil {
			continue
		}
		s.OccurredAt = n.Node.Core.Clock.Now().Add(-time.Minute).Truncate(time.Second)
		if _, err := n.Node.Sharing.CreateSeizure(ctx, "demo", s); err != nil && ctx.Err() == nil {
			fmt.Fprintf(cfg.Stderr, "demo: record a seizure at %s: %v\n", n.Dir.Info.ID, err)
		}
	}
}

// wrapErr adds what failed to a non-nil error.
func wrapErr(what string, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
