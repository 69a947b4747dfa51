package demo

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"crossguard"
	"crossguard/sample"
)

// demoOperationName is the name of the joint operation the demo runs.
const demoOperationName = "Karakoram Corridor"

// demoOps is the joint operation the demo runs, for printing and for the
// script that plays the partner's side while it serves.
type demoOps struct {
	// op is headquarters' operation, nil if the demo has none.
	op *crossguard.Operation
	// warnings are headquarters' warnings, in the order of
	// demoHQWarnings, when the operation was opened on this run (none on
	// a later run: the script has been played).
	warnings []*crossguard.Warning
}

// demoWarning is a warning of the demo's operation and what its receiver
// makes of it.
type demoWarning struct {
	id       crossguard.Identifier
	crossing string
	from, to time.Duration // the window, from the time the warning is sent
	channel  string
	reason   string
	answer   string // the feedback result the receiver gives, "" for none
	notes    string
}

// demoHQWarnings are the warnings headquarters sends China Customs about
// consignments expected at the Khunjerab port. Tashkurgan seizes the
// first, inspects the second and finds nothing, and has not answered the
// third, whose container the live traffic at Tashkurgan keeps carrying.
var demoHQWarnings = []demoWarning{
	{crossguard.Identifier{Type: "container", Value: "TGHU4182050"}, sample.CrossingKhunjerab, -2 * time.Hour, 72 * time.Hour, crossguard.ChannelRed,
		"Afghan-origin liquorice root (HS 1211) booked from Peshawar to Kashgar; the Anti-Narcotics Force reports raw opium concealed in the bales.",
		crossguard.FeedbackSeized, "Container scanned on arrival: dense packages inside the bales; 38.6 kg of raw opium seized."},
	{crossguard.Identifier{Type: "vehicle_plate", Value: "PK GLT-4471"}, sample.CrossingKhunjerab, -time.Hour, 96 * time.Hour, crossguard.ChannelYellow,
		"Truck declared with dried apricots; the same haulier under-declared codeine preparations (HS 2939) last year.",
		crossguard.FeedbackInspectedNothingFound, "Truck scanned and unloaded at the Khunjerab port: dried apricots as declared."},
	{crossguard.Identifier{Type: "container", Value: "COSU6273404"}, sample.CrossingKhunjerab, -3 * time.Hour, 120 * time.Hour, crossguard.ChannelRed,
		"Ephedra herb (HS 1211.90) consigned to a Kashgar trading company that holds no licence for ephedra, a source of ephedrine.",
		"", ""},
}

// demoCNWarning is the warning Tashkurgan sends Pakistan Customs about a
// truck expected at Sost; the post answers that it was not seen.
var demoCNWarning = demoWarning{crossguard.Identifier{Type: "vehicle_plate", Value: "CN 新Q·A7K32"}, sample.CrossingSost, -time.Hour, 72 * time.Hour, crossguard.ChannelRed,
	"Truck loaded in Kashgar with \"pharmaceutical intermediates\"; the shipper's earlier consignments of ephedrine hydrochloride (HS 2939.41) went on to Afghanistan through Sost.",
	crossguard.FeedbackNotSeen, "The truck did not present at Sost during the window; its plate stays on the post's alert list."}

// demoMarking is the marking of the operation and its records.
var demoMarking = crossguard.Marking{TLP: crossguard.TLPAmber, Handling: "H1", SourceReliability: "B", InfoAccuracy: "2"}

// demoOperation returns the operation headquarters opens at now: a month
// around now against opium, alkaloids and their precursors on the
// Karakoram Highway, through Sost and Khunjerab.
func demoOperation(now time.Time) *crossguard.Operation {
	start := now.UTC().Truncate(24*time.Hour).AddDate(0, 0, -14)
	op := &crossguard.Operation{Name: demoOperationName, Participants: []string{"pk-customs", "cn-customs"},
		StartsAt: start, EndsAt: start.AddDate(0, 0, 30),
		Focus: crossguard.OperationFocus{Categories: []string{"narcotics", "precursors"}, HSPrefixes: []string{"2939", "1211"},
			Routes: [][]string{{"AF", "PK", "CN"}}, Crossings: []string{sample.CrossingSost, sample.CrossingKhunjerab}}}
	op.Marking = demoMarking
	return op
}

// warning returns the warning to send at now.
func (d demoWarning) warning(now time.Time, to ...string) *crossguard.Warning {
	return &crossguard.Warning{Identifiers: []crossguard.Identifier{d.id}, ExpectedCrossing: d.crossing, To: to,
		Window: crossguard.WarningWindow{From: now.Add(d.from).Truncate(time.Minute), To: now.Add(d.to).Truncate(time.Minute)},
		Reason: d.reason, SuggestedChannel: d.channel}
}

// setUpDemoOps finds headquarters' operation or, if it has none, opens
// it with its warnings to China Customs and a first message.
func setUpDemoOps(ctx context.Context, cfg *Config, nodes []*demoNode) (*demoOps, error) {
	hq := nodes[0]
	r := &demoOps{}
	op, err := findDemoOperation(ctx, hq)
	if err != nil || op != nil {
		r.op = op
		return r, err
	}
	now := hq.Node.Core.Clock.Now().UTC()
	if r.op, err = hq.Node.Cooperation.CreateOperation(ctx, "demo", demoOperation(now)); err != nil {
		return nil, fmt.Errorf("open operation %s at %s: %w", demoOperationName, hq.Dir.Info.ID, err)
	}
	for _, d := range demoHQWarnings {
		w, err := hq.Node.Cooperation.CreateWarning(ctx, "demo", r.op.ID, d.warning(now, "cn-customs"))
		if err != nil {
			return nil, fmt.Errorf("warn of %s %s at %s: %w", d.id.Type, d.id.Value, hq.Dir.Info.ID, err)
		}
		r.warnings = append(r.warnings, w)
	}
	m := &crossguard.Message{Text: "Karakoram Corridor is running until " + r.op.EndsAt.Format(time.DateOnly) +
		": please answer each warning within a day of its window, and link the seizure when there is one."}
	if _, err := hq.Node.Cooperation.CreateMessage(ctx, "demo", r.op.ID, m); err != nil {
		return nil, fmt.Errorf("post a message at %s: %w", hq.Dir.Info.ID, err)
	}
	fmt.Fprintf(cfg.Stdout, "Opened joint operation %q at %s and sent China Customs %d warnings for Khunjerab.\n",
		demoOperationName, hq.Dir.Info.ID, len(r.warnings))
	return r, nil
}

// findDemoOperation returns headquarters' latest operation of the demo's
// name, or nil.
func findDemoOperation(ctx context.Context, hq *demoNode) (*crossguard.Operation, error) {
	return findLatestOwn(ctx, hq, crossguard.KindOperation,
		func(op *crossguard.Operation) *crossguard.Header { return &op.Header },
		func(op *crossguard.Operation) bool { return op.Name == demoOperationName })
}

// printDemoOps prints the operation and the requests for its report at
// both agencies.
func printDemoOps(w io.Writer, nodes []*demoNode, r *demoOps) {
	op := r.op
	if op == nil {
		return
	}
	fmt.Fprintf(w, "\nJoint operation %q of %s, %s to %s (%s, TLP:%s)\n  id          %s\n",
		op.Name, strings.Join(op.Participants, " and "), op.StartsAt.Format(time.DateOnly), op.EndsAt.Format(time.DateOnly),
		op.Status(nodes[0].Node.Core.Clock.Now()), strings.ToUpper(op.Marking.TLP), op.ID)
	if len(r.warnings) > 0 {
		fmt.Fprintf(w, "  Headquarters warned China Customs of %d consignments due at Khunjerab; Tashkurgan seizes one,\n"+
			"  clears one, leaves container %s unanswered (its declarations go red) and warns Sost of a truck.\n",
			len(r.warnings), demoHQWarnings[2].id.Value)
	}
	for _, i := range []int{0, 2} {
		n := nodes[i]
		fmt.Fprintf(w, "  report      curl -H 'Authorization: Bearer %s' 'http://%s/api/v1/operations/%s/report'   (%s)\n",
			n.tokens["demo-analyst"], n.api.Addr(), op.ID, n.Dir.Info.ID)
	}
	fmt.Fprintf(w, "  Both reports agree once the nodes have synced.\n")
}

// playDemoOperation plays the partners' side of the operation opened on
// this run: once Tashkurgan holds headquarters' warnings, it seizes the
// first consignment and answers, warns Sost of a truck and posts a
// message; once the post holds that warning, it answers it.
func playDemoOperation(ctx context.Context, cfg *Config, nodes []*demoNode, r *demoOps) {
	post, cn := nodes[1], nodes[2]
	ids := []string{r.op.ID}
	for _, w := range r.warnings {
		ids = append(ids, w.ID)
	}
	if !waitForRecords(ctx, cn, ids...) {
		return
	}
	w, err := answerAtTashkurgan(ctx, cn, r)
	if err != nil {
		if ctx.Err() == nil {
			fmt.Fprintf(cfg.Stderr, "demo: operation %s at %s: %v\n", r.op.Name, cn.Dir.Info.ID, err)
		}
		return
	}
	fmt.Fprintf(cfg.Stdout, "%s answered headquarters' warnings (a seizure, nothing found, one open) and warned Sost of truck %s.\n",
		cn.Dir.Info.ID, demoCNWarning.id.Value)
	if !waitForRecords(ctx, post, w.ID) {
		return
	}
	f := &crossguard.Feedback{Result: demoCNWarning.answer, Notes: demoCNWarning.notes}
	if _, err := post.Node.Cooperation.CreateFeedback(ctx, "demo", w.ID, f); err != nil {
		if ctx.Err() == nil {
			fmt.Fprintf(cfg.Stderr, "demo: answer warning %s at %s: %v\n", w.ID, post.Dir.Info.ID, err)
		}
		return
	}
	fmt.Fprintf(cfg.Stdout, "%s answered Tashkurgan's warning: truck %s not seen.\n", post.Dir.Info.ID, demoCNWarning.id.Value)
}

// answerAtTashkurgan records Tashkurgan's seizure and its feedback on
// headquarters' warnings, its own warning for Sost and a message; it
// returns the warning.
func answerAtTashkurgan(ctx context.Context, cn *demoNode, r *demoOps) (*crossguard.Warning, error) {
	now := cn.Node.Core.Clock.Now().UTC()
	for i, d := range demoHQWarnings {
		if d.answer == "" {
			continue
		}
		f := &crossguard.Feedback{Result: d.answer, Notes: d.notes}
		if d.answer == crossguard.FeedbackSeized {
			s, err := cn.Node.Sharing.CreateSeizure(ctx, "demo", demoSeizure(now, d.id))
			if err != nil {
				return nil, fmt.Errorf("record the seizure: %w", err)
			}
			f.SeizureID = s.ID
		}
		if _, err := cn.Node.Cooperation.CreateFeedback(ctx, "demo", r.warnings[i].ID, f); err != nil {
			return nil, fmt.Errorf("answer warning %s: %w", r.warnings[i].ID, err)
		}
	}
	w, err := cn.Node.Cooperation.CreateWarning(ctx, "demo", r.op.ID, demoCNWarning.warning(now, "pk-customs"))
	if err != nil {
		return nil, fmt.Errorf("warn of truck %s: %w", demoCNWarning.id.Value, err)
	}
	m := &crossguard.Message{Text: "Khunjerab port scans every warned container on arrival during the operation; " +
		"a night shift of four officers and a scanner crew is on duty until its end."}
	if _, err := cn.Node.Cooperation.CreateMessage(ctx, "demo", r.op.ID, m); err != nil {
		return nil, fmt.Errorf("post a message: %w", err)
	}
	return w, nil
}

// demoSeizure is Tashkurgan's seizure in the warned container: kept
// within the agency until the feedback links it, which shares it with
// the operation's participants.
func demoSeizure(now time.Time, container crossguard.Identifier) *crossguard.Seizure {
	lat, lon := 37.7746, 75.2290
	s := &crossguard.Seizure{OccurredAt: now.Add(-10 * time.Minute).Truncate(time.Second), Country: "CN",
		Place:  crossguard.Place{Name: "Tashkurgan (Khunjerab Port)", Lat: &lat, Lon: &lon},
		Office: "Khunjerab Port Customs, Tashkurgan", Direction: "import", TransportMode: "road", Conveyance: "truck with 40-foot container",
		DetectionMethod: "intelligence", Concealment: "mixed_with_goods",
		Route: crossguard.Route{Origin: "AF", Departure: "PK", Destination: "CN"},
		Goods: []crossguard.Goods{{Category: "narcotics", HS: "130211", Description: "raw opium in plastic wrapping, concealed in bales of liquorice root",
			Quantity: 38.6, Unit: "kg"}},
		Identifiers: []crossguard.Identifier{container},
		Narrative:   "Seized on a warning of Pakistan Customs in joint operation " + demoOperationName + "."}
	s.Distribution, s.Marking = crossguard.DistAgency, demoMarking
	return s
}

// waitForRecords polls until node n holds every record of ids, and
// reports false if ctx ends first.
func waitForRecords(ctx context.Context, n *demoNode, ids ...string) bool {
	for len(ids) > 0 {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(200 * time.Millisecond):
		}
		// The store, not the node: the poll is no user's read to audit.
		for len(ids) > 0 {
			if _, err := n.Node.Store.Record(ctx, ids[0]); err != nil {
				break
			}
			ids = ids[1:]
		}
	}
	return true
}

// warnedContainer returns a container that another agency's warning in
// force at n names and that n has not answered yet, or "".
func warnedContainer(ctx context.Context, n *demoNode) string {
	entries, err := n.Node.Cooperation.WarningWatchlist(ctx)
	if err != nil {
		return ""
	}
	now := n.Node.Core.Clock.Now()
	for _, e := range entries {
		warningID, _, _ := strings.Cut(e.ID, "#")
		if e.Identifier.Type != "container" || (e.StartsAt != nil && now.Before(*e.StartsAt)) {
			continue
		}
		rec, err := n.Node.Store.Record(ctx, warningID)
		if err != nil || crossguard.Agency(rec.Origin) == n.Dir.Info.Agency {
			continue
		}
		if fs, err := n.Node.Store.RecordsAbout(ctx, crossguard.KindFeedback, warningID); err == nil && len(fs) == 0 {
			return e.Identifier.Value
		}
	}
	return ""
}
