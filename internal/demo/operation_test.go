package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/node"
)

// demoRun is what the running demo set up, as the tests see it.
type demoRun struct {
	nodes []*demoNode
	ops   *demoOps
}

// checkDemoOps checks the demo's joint operation: the demo prints it and
// the requests for its report, the operation and headquarters' warnings
// reach Tashkurgan, the feedback of Tashkurgan and the post reaches
// headquarters, both agencies' reports agree once synced, and a
// declaration at Khunjerab in the container of the open warning gets the
// warning's channel with a reason naming the warning.
func checkDemoOps(t *testing.T, out string, urls map[string]string, tokens map[string]map[string]string, run demoRun, done <-chan error) {
	t.Helper()
	ctx := context.Background()
	hq, cn := run.nodes[0], run.nodes[2]
	op := run.ops.op
	if op == nil || len(run.ops.warnings) != len(demoHQWarnings) {
		t.Fatalf("the demo opened no operation with %d warnings: %+v", len(demoHQWarnings), run.ops)
	}
	if op.Name != demoOperationName || !slices.Equal(op.Participants, []string{"cn-customs", "pk-customs"}) || op.Status(time.Now()) != crossguard.OperationRunning {
		t.Errorf("operation %+v; want %q of both agencies, running", op, demoOperationName)
	}
	for _, node := range []string{"pk-customs/hq", "cn-customs/tashkurgan"} {
		want := fmt.Sprintf("-H 'Authorization: Bearer %s' '%s/api/v1/operations/%s/report'", tokens[node]["analyst"], urls[node], op.ID)
		if !strings.Contains(out, want) {
			t.Errorf("the demo does not print the request for the report at %s (%s):\n%s", node, want, out)
		}
	}

	ids := []string{op.ID}
	for _, w := range run.ops.warnings {
		ids = append(ids, w.ID)
	}
	waitUntil(t, "the operation and headquarters' warnings at Tashkurgan", func() bool {
		for _, id := range ids {
			if _, err := cn.Node.Store.Record(ctx, id); err != nil {
				return false
			}
		}
		return true
	}, done)

	feedback := func() map[string]string {
		recs, err := hq.Node.Store.RecordsOfKind(ctx, crossguard.KindFeedback)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, r := range recs {
			var f crossguard.Feedback
			if err := json.Unmarshal(r.Body, &f); err != nil {
				t.Fatal(err)
			}
			got[f.Result] = f.Origin
		}
		return got
	}
	wantFeedback := map[string]string{crossguard.FeedbackSeized: "cn-customs/tashkurgan",
		crossguard.FeedbackInspectedNothingFound: "cn-customs/tashkurgan", crossguard.FeedbackNotSeen: "pk-customs/sost"}
	waitUntil(t, "the feedback of Tashkurgan and the post at headquarters", func() bool { return len(feedback()) == len(wantFeedback) }, done)
	if got := feedback(); !maps.Equal(got, wantFeedback) {
		t.Errorf("feedback at headquarters by result: %v, want %v", got, wantFeedback)
	}

	report := func(n *demoNode) *node.OperationReport {
		r, err := n.Node.Cooperation.OperationReport(ctx, "demo-test", op.ID)
		if err != nil {
			t.Fatalf("report at %s: %v", n.Dir.Info.ID, err)
		}
		return r
	}
	waitUntil(t, "the same report at both agencies", func() bool {
		a, b := report(hq), report(cn)
		return a.Warnings == 4 && a.Feedback == 3 && a.Seizures == 1 && reflect.DeepEqual(a, b)
	}, done)
	r := report(hq)
	if r.Answered != 3 || r.Hits != 1 || len(r.Categories) != 1 || r.Categories[0].Category != "narcotics" ||
		!slices.Equal(r.Categories[0].Quantities, []node.Quantity{{Unit: "kg", Amount: 38.6}}) {
		t.Errorf("report %+v; want 4 warnings, 3 answered, one hit: the 38.6 kg of opium seized at Tashkurgan", r)
	}

	// The live traffic at Tashkurgan carries the container of the open
	// warning, and none at the post, which holds no partner's container
	// warning.
	open := run.ops.warnings[2]
	if got := warnedContainer(ctx, cn); got != open.Identifiers[0].Value {
		t.Errorf("the live traffic at Tashkurgan carries warned container %q, want %q (the open warning's)", got, open.Identifiers[0].Value)
	}
	if got := warnedContainer(ctx, run.nodes[1]); got != "" {
		t.Errorf("the live traffic at the post carries warned container %q, want none", got)
	}

	// Tashkurgan reloads its watch list every few seconds: submit new
	// declarations in the open warning's container until one gets it.
	body := demoDecideBodies(t, out, tokens["pk-customs/sost"]["officer"], tokens["cn-customs/tashkurgan"]["officer"])[urls["cn-customs/tashkurgan"]]
	var d map[string]any
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatalf("the decide request for Tashkurgan: %v (%q)", err, body)
	}
	d["identifiers"] = []crossguard.Identifier{open.Identifiers[0]}
	officer := demoClient{t, urls["cn-customs/tashkurgan"], tokens["cn-customs/tashkurgan"]["officer"]}
	var dec crossguard.Decision
	var reason *crossguard.Reason
	i, last := 0, time.Time{}
	waitUntil(t, "a decision at Tashkurgan naming the open warning", func() bool {
		if time.Since(last) < 250*time.Millisecond {
			return false
		}
		i, last = i+1, time.Now()
		d["declaration_id"] = fmt.Sprintf("demo-test-warned-%d", i)
		b, _ := json.Marshal(d)
		officer.do("POST", "/api/v1/declarations", string(b), &dec)
		for _, x := range dec.Reasons {
			if x.Type == crossguard.ReasonWarning {
				reason = &x
			}
		}
		return reason != nil
	}, done)
	if dec.Channel != open.SuggestedChannel || reason.Channel != open.SuggestedChannel ||
		!strings.Contains(reason.Text, open.ID) || !strings.Contains(reason.Text, "pk-customs") {
		t.Errorf("decision %+v with reason %+v; want channel %s and a reason naming warning %s of pk-customs", dec, reason, open.SuggestedChannel, open.ID)
	}
}
