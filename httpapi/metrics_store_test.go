package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape fetches /metrics over HTTP and parses the exposition.
func (e *testEnv) scrape(t testing.TB) map[string]*dto.MetricFamily {
	t.Helper()
	res := e.do(t, request{Method: "GET", Path: "/metrics", Token: e.tokens[crossguard.RoleAuditor]}).want(t, http.StatusOK)
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(res.Body))
	if err != nil {
		t.Fatalf("parse /metrics: %v\n%s", err, res.Body)
	}
	return fams
}

// metricValue returns the value of the series of family name with exactly
// these labels (name, value pairs), and whether there is one; it fails t
// if the family is not of type typ or has no help.
func metricValue(t testing.TB, fams map[string]*dto.MetricFamily, name string, typ dto.MetricType, labels ...string) (float64, bool) {
	t.Helper()
	f := fams[name]
	if f == nil {
		return 0, false
	}
	if f.GetType() != typ || f.GetHelp() == "" {
		t.Fatalf("%s is a %v with help %q, want a %v with help", name, f.GetType(), f.GetHelp(), typ)
	}
	for _, m := range f.GetMetric() {
		if len(m.GetLabel())*2 != len(labels) {
			continue
		}
		match := true
		for i, l := range m.GetLabel() {
			// Labels come sorted by name; so must the pairs asked for.
			if l.GetName() != labels[2*i] || l.GetValue() != labels[2*i+1] {
				match = false
			}
		}
		if !match {
			continue
		}
		switch typ {
		case dto.MetricType_COUNTER:
			return m.GetCounter().GetValue(), true
		default:
			return m.GetGauge().GetValue(), true
		}
	}
	return 0, false
}

// wantMetric fails t unless the series has value want.
func wantMetric(t testing.TB, fams map[string]*dto.MetricFamily, want float64, name string, typ dto.MetricType, labels ...string) {
	t.Helper()
	got, ok := metricValue(t, fams, name, typ, labels...)
	if !ok || got != want {
		t.Errorf("%s%v = %v (present %v), want %v", name, labels, got, ok, want)
	}
}

// TestStoreMetrics checks the figures /metrics reads from the store, on
// both databases, through a real HTTP server: each peer's exchange,
// refusals by class, withdrawals both ways, decisions by channel, import
// rows and audit entries; and that they come from the store, not from
// counters of the process.
func TestStoreMetrics(t *testing.T) {
	t.Parallel()
	const counter, gauge = dto.MetricType_COUNTER, dto.MetricType_GAUGE
	forEachBackend(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		a := storetest.PeerA
		e.mustAddPeer(t, storetest.NewPeer(a, crossguard.RelPartner, testNow))
		c := storetest.NewPeer(storetest.OriginC, crossguard.RelPartner, testNow)
		c.OriginOnly = true
		e.mustAddPeer(t, c)
		fams := e.scrape(t)
		wantMetric(t, fams, 0, "crossguard_peer_records_received_total", counter, "peer", a)
		wantMetric(t, fams, 0, "crossguard_peer_records_refused_total", counter, "peer", a, "reason", crossguard.RefusalSignature)
		if _, ok := metricValue(t, fams, "crossguard_peer_last_exchange_timestamp_seconds", gauge, "peer", a); ok {
			t.Errorf("a peer never pulled from has a last exchange time")
		}
		wantMetric(t, fams, 0, "crossguard_decisions_total", counter, "channel", crossguard.ChannelRed)

		// A page from A: one record applied, two envelopes refused.
		held := storetest.ForeignSeizure(1, testNow.Add(-time.Hour), a, 1)
		p := &crossguard.InboundPage{Peer: a, Records: storetest.FromPeer(a, storetest.IncomingSeizure(held)), Cursor: 3, RemoteHead: 10, At: testNow,
			Refused: []crossguard.Refusal{{Reason: "signed by a key that is not the origin's"}, {Reason: "outside the sharing policy: TLP:RED"}}}
		if _, err := e.store.ApplyPage(ctx, p); err != nil {
			t.Fatal(err)
		}
		// Then A withdraws it.
		p = &crossguard.InboundPage{Peer: a, Cursor: 4, RemoteHead: 10, At: testNow.Add(time.Minute),
			Withdrawals: []crossguard.Withdrawal{{ID: held.ID, Kind: held.Kind, Origin: held.Origin, Reason: "narrowed"}}}
		if _, err := e.store.ApplyPage(ctx, p); err != nil {
			t.Fatal(err)
		}
		// This node serves A two versions and a withdrawal.
		x, y := storetest.SeizureID(2, testNow), storetest.SeizureID(3, testNow)
		peerA, err := e.store.Peer(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.store.RecordServed(ctx, a, peerA.PolicyVersion, []crossguard.Share{{ID: x, Version: 1}, {ID: y, Version: 1}}, nil, testNow); err != nil {
			t.Fatal(err)
		}
		if err := e.store.RecordServed(ctx, a, peerA.PolicyVersion, nil, []crossguard.Share{{ID: y, Seq: 9}}, testNow); err != nil {
			t.Fatal(err)
		}
		// A declaration decided, and an import.
		e.do(t, request{Method: "POST", Path: "/api/v1/declarations", Token: e.tokens[crossguard.RoleOfficer],
			Body: declarationJSON(t, "M0000001", nil)}).want(t, http.StatusOK)
		imp := &crossguard.ImportProgress{FileHash: "h", FileName: "seizures.csv", LinesDone: 6, Imported: 4, Rejected: 1, StartedAt: testNow}
		if err := e.store.SaveImportProgress(ctx, imp); err != nil {
			t.Fatal(err)
		}

		fams = e.scrape(t)
		wantMetric(t, fams, 1, "crossguard_store_up", gauge)
		wantMetric(t, fams, 6, "crossguard_peer_records_behind", gauge, "peer", a)
		wantMetric(t, fams, float64(testNow.Add(time.Minute).Unix()), "crossguard_peer_last_exchange_timestamp_seconds", gauge, "peer", a)
		wantMetric(t, fams, float64(testNow.Unix()), "crossguard_peer_last_served_timestamp_seconds", gauge, "peer", a)
		wantMetric(t, fams, 1, "crossguard_peer_records_received_total", counter, "peer", a)
		wantMetric(t, fams, 2, "crossguard_peer_records_sent_total", counter, "peer", a)
		wantMetric(t, fams, 1, "crossguard_peer_withdrawals_received_total", counter, "peer", a)
		wantMetric(t, fams, 1, "crossguard_peer_withdrawals_sent_total", counter, "peer", a)
		wantMetric(t, fams, 2, "crossguard_peer_refusals_unacknowledged", gauge, "peer", a)
		for _, class := range crossguard.RefusalClasses {
			want := 0.0
			if class == crossguard.RefusalSignature || class == crossguard.RefusalPolicy {
				want = 1
			}
			wantMetric(t, fams, want, "crossguard_peer_records_refused_total", counter, "peer", a, "reason", class)
		}
		var decided float64
		for _, ch := range crossguard.Channels {
			v, ok := metricValue(t, fams, "crossguard_decisions_total", counter, "channel", ch)
			if !ok {
				t.Errorf("no crossguard_decisions_total series for channel %s", ch)
			}
			decided += v
		}
		if decided != 1 {
			t.Errorf("crossguard_decisions_total adds up to %v over the channels, want 1", decided)
		}
		wantMetric(t, fams, 4, "crossguard_import_rows_total", counter, "outcome", "imported")
		wantMetric(t, fams, 1, "crossguard_import_rows_total", counter, "outcome", "rejected")
		seq, _, err := e.store.AuditHead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wantMetric(t, fams, float64(seq), "crossguard_audit_entries_total", counter)
		for name, f := range fams {
			for _, m := range f.GetMetric() {
				for _, l := range m.GetLabel() {
					if l.GetName() == "peer" && l.GetValue() == storetest.OriginC {
						t.Errorf("%s has a series for the origin-only peer %s", name, storetest.OriginC)
					}
				}
			}
		}

		// A new Server over the same store (a restart) shows the same
		// totals; an acknowledgement clears only the unacknowledged count.
		again := newTestEnvWith(t, e)
		e.do(t, request{Method: "POST", Path: "/api/v1/peers/" + a + "/ack", Token: e.tokens[crossguard.RoleAdmin]}).want(t, http.StatusOK)
		fams = again.scrape(t)
		wantMetric(t, fams, 1, "crossguard_peer_records_received_total", counter, "peer", a)
		wantMetric(t, fams, 1, "crossguard_peer_records_refused_total", counter, "peer", a, "reason", crossguard.RefusalSignature)
		wantMetric(t, fams, 0, "crossguard_peer_refusals_unacknowledged", gauge, "peer", a)
		wantMetric(t, fams, 4, "crossguard_import_rows_total", counter, "outcome", "imported")
		wantMetric(t, fams, 1, "crossguard_decisions_total", counter, "channel", decidedChannel(t, fams))
	})
}

// decidedChannel returns the channel whose decisions_total is not zero.
func decidedChannel(t testing.TB, fams map[string]*dto.MetricFamily) string {
	t.Helper()
	for _, ch := range crossguard.Channels {
		if v, _ := metricValue(t, fams, "crossguard_decisions_total", dto.MetricType_COUNTER, "channel", ch); v > 0 {
			return ch
		}
	}
	t.Fatal("no channel has decisions")
	return ""
}

// newTestEnvWith serves a new Server over the node and store of e, as the
// node would after a restart.
func newTestEnvWith(t testing.TB, e *testEnv) *testEnv {
	t.Helper()
	c := *e
	c.server = New(servicesOf(e.node), newTextLogger(e.logs))
	ts := httptest.NewServer(c.server.Handler())
	t.Cleanup(ts.Close)
	c.url = ts.URL
	return &c
}
