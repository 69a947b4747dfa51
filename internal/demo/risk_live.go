package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"time"

	"crossguard"
	"crossguard/sample"
)

// demoExample returns the declaration the demo prints for a deciding
// node to submit: a sample consignment of opium alkaloids at the node's
// crossing, declared at 18 USD per kg, and at the post in the watched
// container. It meets a profile of headquarters and the watch list, and
// the model explains its score.
func demoExample(crossing, watched string, at time.Time) *crossguard.Declaration {
	var d *crossguard.Declaration
	for _, c := range sample.Declarations(4000, 300, at) {
		if c.Crossing == crossing && c.HS6Code == "293911" {
			d = c
			break
		}
	}
	if d == nil { // not with this seed, but keep the demo going if it changes
		d = sample.Declarations(1, 300, at)[0]
		d.HS6Code, d.Crossing = "293911", crossing
	}
	d.DeclarationID = crossguard.Code(demoDeclarationID(crossing, "E", at, 1))
	d.Date = at.UTC().Format(time.DateOnly)
	d.ItemPrice = math.Round(d.NetMass*18*100) / 100
	d.Identifiers = nil
	if watched != "" {
		d.Identifiers = []crossguard.Identifier{{Type: "container", Value: watched}}
	}
	return d
}

// demoBody encodes a declaration as a request body, in field order and
// without its empty text fields, so that it stays short enough to read.
func demoBody(d *crossguard.Declaration) (string, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return "", fmt.Errorf("encode declaration: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return "", fmt.Errorf("re-read declaration: %w", err)
	}
	var out bytes.Buffer
	out.WriteByte('{')
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return "", fmt.Errorf("re-read declaration: %w", err)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return "", fmt.Errorf("re-read declaration: %w", err)
		}
		if string(v) == `""` {
			continue
		}
		if out.Len() > 1 {
			out.WriteByte(',')
		}
		key, _ := json.Marshal(k)
		out.Write(key)
		out.WriteByte(':')
		out.Write(v)
	}
	out.WriteByte('}')
	return out.String(), nil
}

// printDemoRisk prints, for each deciding node, its model and watch
// list and the requests to decide a declaration and read the statistics
// and profiles.
func printDemoRisk(w io.Writer, nodes []*demoNode, r *demoRisk) {
	fmt.Fprintf(w, "\nRisk targeting: each crossing point gives every cargo declaration a control channel and says why.\n")
	if ps := r.profiles; len(ps) == 3 {
		fmt.Fprintf(w, "  Headquarters wrote three risk profiles: %q and\n  %q, shared with partners, and %q, agency only.\n", ps[0].Name, ps[1].Name, ps[2].Name)
		fmt.Fprintf(w, "  The post applies all three; Tashkurgan receives the first two inactive, adopts the first\n  and leaves the second for an analyst to adopt.\n")
	}
	for i, n := range nodes {
		if demoSpecs[i].crossing == "" {
			continue
		}
		url := "http://" + n.api.Addr().String()
		fmt.Fprintf(w, "\n  %s (crossing %s)\n    model       %s\n", n.Dir.Info.ID, demoSpecs[i].crossing, describeModel(r.models[i]))
		watched := ""
		if i == 1 {
			watched = r.watched
			fmt.Fprintf(w, "    watch list  container %s (red)\n", r.watched)
		}
		body, err := demoBody(demoExample(demoSpecs[i].crossing, watched, n.Node.Core.Clock.Now()))
		if err != nil {
			fmt.Fprintf(w, "    (no example declaration: %v)\n", err)
			continue
		}
		fmt.Fprintf(w, "    decide      curl -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' -d '%s' '%s/api/v1/declarations'\n", n.tokens["demo-officer"], body, url)
		fmt.Fprintf(w, "    stats       curl -H 'Authorization: Bearer %s' '%s/api/v1/risk/stats'\n", n.tokens["demo-analyst"], url)
		fmt.Fprintf(w, "    profiles    curl -H 'Authorization: Bearer %s' '%s/api/v1/profiles'\n", n.tokens["demo-analyst"], url)
	}
}

// describeModel says which model version is active and how well it did
// on the declarations held out of its training.
func describeModel(m *crossguard.ModelInfo) string {
	if m == nil {
		return "none active (train one with POST /api/v1/models/train)"
	}
	s := fmt.Sprintf("v%d active, trained on %d inspected declarations", m.Version, m.TrainedRows)
	if e := m.Eval; e != nil && e.Rows > 0 {
		s += fmt.Sprintf(";\n                of the 5%% it scores highest among the %d latest, %.0f%% were frauds (%.0f%% of all)",
			e.Rows, 100*e.PrecisionAt["5"], 100*float64(e.Positives)/float64(e.Rows))
	}
	return s
}

// keepDeclaring decides a new sample declaration every interval, taking
// turns among the deciding nodes, and records the inspections of those
// sent to control, until ctx ends. Every fifth declaration at the post
// comes in the watched container, and every fifth at Tashkurgan in a
// container a warning of Pakistan Customs names, while one is in force.
func keepDeclaring(ctx context.Context, cfg *Config, nodes []*demoNode, r *demoRisk, every time.Duration) {
	var deciding []int
	for i := range nodes {
		if demoSpecs[i].crossing != "" {
			deciding = append(deciding, i)
		}
	}
	start := time.Now()
	seed := start.UnixNano()
	for i := 0; len(deciding) > 0; i++ {
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
		k := deciding[i%len(deciding)]
		n, crossing := nodes[k], demoSpecs[k].crossing
		now := n.Node.Core.Clock.Now().UTC()
		var d *crossguard.Declaration
		var label crossguard.Label
		for _, c := range sample.LabelledDeclarations(8, seed+int64(i), now) {
			if c.Declaration.Crossing == crossing {
				d, label = c.Declaration, c.Label
				break
			}
		}
		if d == nil {
			continue
		}
		d.DeclarationID = crossguard.Code(demoDeclarationID(crossing, "L", start, i+1))
		d.Date = now.Format(time.DateOnly)
		if k == 1 && (i/len(deciding))%5 == 0 {
			d.Identifiers = append(d.Identifiers, crossguard.Identifier{Type: "container", Value: r.watched})
		}
		if k == 2 && (i/len(deciding))%5 == 0 {
			if c := warnedContainer(ctx, n); c != "" {
				d.Identifiers = append(d.Identifiers, crossguard.Identifier{Type: "container", Value: c})
			}
		}
		decs, err := n.Node.Targeting.Decide(ctx, "demo", []*crossguard.Declaration{d})
		if err == nil {
			err = inspectDemo(ctx, n, decs[0], label)
		}
		if err != nil && ctx.Err() == nil {
			fmt.Fprintf(cfg.Stderr, "demo: decide a declaration at %s: %v\n", n.Dir.Info.ID, err)
		}
	}
}

// adoptWhenReceived waits until headquarters' profile adopt reaches the
// partner node n, adopts it there and says so; keep, the other profile
// shared with partners, stays inactive.
func adoptWhenReceived(ctx context.Context, cfg *Config, n *demoNode, adopt, keep *crossguard.Profile) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(200 * time.Millisecond):
		}
		// The store, not Node.Profile: the poll is no user's read to audit.
		if _, err := n.Node.Store.Record(ctx, adopt.ID); err != nil {
			continue
		}
		if _, err := n.Node.Targeting.SetProfileState(ctx, "demo", adopt.ID, crossguard.ProfileActive); err != nil {
			if ctx.Err() == nil {
				fmt.Fprintf(cfg.Stderr, "demo: adopt profile %s at %s: %v\n", adopt.ID, n.Dir.Info.ID, err)
			}
			return
		}
		fmt.Fprintf(cfg.Stdout, "%s received %s's profile %q and adopted it; %q stays inactive there until an analyst adopts it.\n",
			n.Dir.Info.ID, adopt.Origin, adopt.Name, keep.Name)
		return
	}
}
