package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"crossguard"
	"crossguard/risk/decide"
	"crossguard/sample"
)

// demoModelSeed seeds the training of the demo's models, so that every
// new demo trains the same ones.
const demoModelSeed = 1

// demoBacklog is how many of the last days' declarations a new deciding
// node decides at start, so that its thresholds are warm and its
// statistics have something to show.
const demoBacklog = 400

// demoRisk is what the demo set up for risk targeting, for printing and
// for the loops that run while it serves.
type demoRisk struct {
	// profiles are the profiles headquarters wrote on a new demo (none
	// on a second run): Tashkurgan adopts the first once it arrives and
	// leaves the second inactive; the third stays in the agency.
	profiles []*crossguard.Profile
	// watched is the container on the post's watch list.
	watched string
	// models holds each node's active model (nil if none), by index.
	models []*crossguard.ModelInfo
}

// demoWatchedContainer is the container the post puts on its watch list
// (ISO 6346, check digit 7).
const demoWatchedContainer = "MSCU7088427"

// setUpDemoRisk prepares risk targeting on the demo's nodes. On a new
// demo, the deciding nodes store count labelled historic declarations,
// train a model on them and activate it; headquarters writes profiles
// and the post watches a container. Every node then enables targeting,
// and new deciding nodes decide a backlog of recent declarations.
func setUpDemoRisk(ctx context.Context, cfg *Config, nodes []*demoNode, count int) (*demoRisk, error) {
	r := &demoRisk{watched: demoWatchedContainer, models: make([]*crossguard.ModelInfo, len(nodes))}
	if err := eachDeciding(nodes, func(i int, n *demoNode) error {
		if !n.fresh || count <= 0 {
			return nil
		}
		return trainDemoModel(ctx, n, demoSpecs[i].crossing, count, int64(100+i))
	}); err != nil {
		return nil, err
	}
	if hq, post := nodes[0], nodes[1]; hq.fresh {
		ps, err := createDemoProfiles(ctx, hq)
		if err != nil {
			return nil, err
		}
		r.profiles = ps
		if post.fresh {
			w := &crossguard.WatchEntry{Identifier: crossguard.Identifier{Type: "container", Value: r.watched}, Channel: crossguard.ChannelRed,
				Reason: "container reported by the anti-narcotics liaison: check for concealed alkaloids", ExpiresAt: post.Node.Core.Clock.Now().AddDate(0, 3, 0)}
			if _, err := post.Node.Targeting.AddWatch(ctx, "demo", w); err != nil {
				return nil, fmt.Errorf("watch a container at %s: %w", post.Dir.Info.ID, err)
			}
		}
	}
	for _, n := range nodes {
		if err := n.Node.Targeting.EnableTargeting(ctx, decide.Config{}); err != nil {
			return nil, fmt.Errorf("risk targeting at %s: %w", n.Dir.Info.ID, err)
		}
	}
	err := eachDeciding(nodes, func(i int, n *demoNode) error {
		if n.fresh && count > 0 {
			if err := decideDemoBacklog(ctx, n, demoSpecs[i].crossing, int64(200+i)); err != nil {
				return err
			}
		}
		ms, err := n.Node.Targeting.Models(ctx)
		if err != nil {
			return fmt.Errorf("models of %s: %w", n.Dir.Info.ID, err)
		}
		for _, m := range ms {
			if m.Active {
				r.models[i] = m
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, n := range nodes {
		if m := r.models[i]; m != nil && n.fresh && count > 0 {
			rows := m.TrainedRows
			if m.Eval != nil {
				rows += m.Eval.Rows
			}
			fmt.Fprintf(cfg.Stdout, "Loaded %d inspected sample declarations into %s, trained risk model v%d on them and activated it.\n", rows, n.Dir.Info.ID, m.Version)
		}
	}
	return r, nil
}

// eachDeciding runs fn for each node that decides declarations, at the
// same time, and joins their errors.
func eachDeciding(nodes []*demoNode, fn func(i int, n *demoNode) error) error {
	var wg sync.WaitGroup
	errs := make([]error, len(nodes))
	for i, n := range nodes {
		if demoSpecs[i].crossing != "" {
			wg.Go(func() { errs[i] = fn(i, n) })
		}
	}
	wg.Wait()
	return errors.Join(errs...)
}

// trainDemoModel stores about count labelled declarations of the past
// year at a crossing, as if inspected, trains a model on them and
// activates it.
func trainDemoModel(ctx context.Context, n *demoNode, crossing string, count int, seed int64) error {
	now := n.Node.Core.Clock.Now().UTC()
	from := now.Add(-sample.DeclarationSpan - 24*time.Hour)
	var batch []*crossguard.DeclarationEntry
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := n.Node.Store.SaveDeclarations(ctx, "demo", batch, nil)
		batch = batch[:0]
		return err
	}
	// Half the sample declarations are at each crossing: make twice as
	// many, so that those kept span the whole year.
	stored := 0
	err := sample.EachDeclaration(2*count, seed, from, func(d *crossguard.Declaration, l crossguard.Label) error {
		if d.Crossing != crossing {
			return nil
		}
		day, _ := time.Parse(time.DateOnly, d.Date)
		received := day.Add(8*time.Hour + time.Duration(stored%600)*time.Minute)
		batch = append(batch, &crossguard.DeclarationEntry{Declaration: d, ReceivedAt: received,
			Inspection: &crossguard.Inspection{DeclarationID: string(d.DeclarationID), Result: crossguard.LabelResult(l),
				Label: l, Source: crossguard.InspectionFromFile, At: received.Add(24 * time.Hour)}})
		stored++
		if len(batch) == 1000 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return fmt.Errorf("load sample declarations into %s: %w", n.Dir.Info.ID, err)
	}
	info, err := n.Node.Targeting.TrainModel(ctx, "demo", demoModelSeed)
	if err != nil {
		return fmt.Errorf("train a model at %s: %w", n.Dir.Info.ID, err)
	}
	if _, err := n.Node.Targeting.ActivateModel(ctx, "demo", info.Version); err != nil {
		return fmt.Errorf("activate model %d at %s: %w", info.Version, n.Dir.Info.ID, err)
	}
	return nil
}

// demoProfiles are the profiles headquarters writes: the first is shared
// with partners and Tashkurgan adopts it, the second is shared with
// partners and left inactive there, the third stays in the agency.
func demoProfiles(today time.Time) []*crossguard.Profile {
	from := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 6, 0)
	cond := func(field, op, value string) crossguard.Condition {
		return crossguard.Condition{Field: field, Op: op, Value: json.RawMessage(value)}
	}
	profile := func(name, desc, channel string, score float64, dist, tlp, handling string, cs ...crossguard.Condition) *crossguard.Profile {
		p := &crossguard.Profile{Name: name, Description: desc, Channel: channel, Score: score, Conditions: cs,
			ValidFrom: from.Format(time.DateOnly), ValidTo: to.Format(time.DateOnly), Owner: "Directorate of Risk Management"}
		p.Distribution, p.Marking = dist, crossguard.Marking{TLP: tlp, Handling: handling, SourceReliability: "B", InfoAccuracy: "2"}
		return p
	}
	return []*crossguard.Profile{
		profile("Opium alkaloids declared cheap", "Codeine, morphine and other alkaloids declared far below their market value are diverted to heroin production.",
			crossguard.ChannelRed, 0.9, crossguard.DistPartners, crossguard.TLPAmber, "H1",
			cond("hs6_code", crossguard.OpPrefix, `"2939"`), cond("value_per_kg", crossguard.OpLt, `50`)),
		profile("Cigarettes below duty-paid value", "Cigarettes declared under 6 USD per kg cannot have paid duty at origin.",
			crossguard.ChannelYellow, 0.7, crossguard.DistPartners, crossguard.TLPGreen, "H0",
			cond("hs4", crossguard.OpEq, `"2402"`), cond("value_per_kg", crossguard.OpLt, `6`)),
		profile("Sporting firearms", "Every consignment of sporting shotguns and rifles is checked against its import licence.",
			crossguard.ChannelRed, 0.8, crossguard.DistAgency, crossguard.TLPAmber, "H2",
			cond("hs4", crossguard.OpEq, `"9303"`)),
	}
}

// createDemoProfiles writes headquarters' profiles.
func createDemoProfiles(ctx context.Context, hq *demoNode) ([]*crossguard.Profile, error) {
	var out []*crossguard.Profile
	for _, p := range demoProfiles(hq.Node.Core.Clock.Now().UTC()) {
		v, err := hq.Node.Targeting.CreateProfile(ctx, "demo", p)
		if err != nil {
			return nil, fmt.Errorf("create profile %q at %s: %w", p.Name, hq.Dir.Info.ID, err)
		}
		out = append(out, v.Profile)
	}
	return out, nil
}

// decideDemoBacklog decides the declarations of the last week at a
// crossing and records the inspections of those it selected, as the
// officers would have.
func decideDemoBacklog(ctx context.Context, n *demoNode, crossing string, seed int64) error {
	now := n.Node.Core.Clock.Now().UTC()
	var ds []*crossguard.Declaration
	var labels []crossguard.Label
	err := sample.EachDeclaration(3*demoBacklog, seed, now, func(d *crossguard.Declaration, l crossguard.Label) error {
		if d.Crossing == crossing && len(ds) < demoBacklog {
			d.DeclarationID = crossguard.Code(demoDeclarationID(crossing, "B", now, len(ds)+1))
			d.Date = now.AddDate(0, 0, -7+7*len(ds)/demoBacklog).Format(time.DateOnly)
			ds, labels = append(ds, d), append(labels, l)
		}
		return nil
	})
	if err != nil {
		return err
	}
	decs, err := n.Node.Targeting.Decide(ctx, "demo", ds)
	if err != nil {
		return fmt.Errorf("decide the backlog at %s: %w", n.Dir.Info.ID, err)
	}
	for i, dec := range decs {
		if err := inspectDemo(ctx, n, dec, labels[i]); err != nil {
			return err
		}
	}
	return nil
}

// inspectDemo records, for a declaration sent to control, the result its
// label says the officers found.
func inspectDemo(ctx context.Context, n *demoNode, dec *crossguard.Decision, l crossguard.Label) error {
	if dec.Channel == crossguard.ChannelGreen {
		return nil
	}
	in := &crossguard.Inspection{DeclarationID: dec.DeclarationID, Result: crossguard.LabelResult(l)}
	if _, err := n.Node.Targeting.RecordInspection(ctx, "demo", in); err != nil {
		return fmt.Errorf("record the inspection of %s at %s: %w", dec.DeclarationID, n.Dir.Info.ID, err)
	}
	return nil
}

// demoDeclarationID returns the id of the i-th declaration of a kind
// (B for the backlog, E for the printed example, L for live traffic) the
// demo makes at a crossing from time at: distinct across runs.
func demoDeclarationID(crossing, kind string, at time.Time, i int) string {
	return fmt.Sprintf("%s-%s-%s%04d", crossing, at.UTC().Format("20060102T150405"), kind, i)
}
