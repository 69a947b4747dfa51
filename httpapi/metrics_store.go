package httpapi

import (
	"context"
	"log/slog"
	"time"

	"crossguard"

	"github.com/prometheus/client_golang/prometheus"
)

// MetricsStore is what the store collector reads at scrape time: the
// peers with their status, the running totals and the audit head.
type MetricsStore interface {
	Peers(ctx context.Context) ([]*crossguard.Peer, error)
	Counters(ctx context.Context, name string) (map[string]int64, error)
	AuditHead(ctx context.Context) (seq int64, hash string, err error)
}

// scrapeTimeout bounds the store reads of one scrape.
const scrapeTimeout = 10 * time.Second

// storeCollector is a prometheus.Collector that reads its figures from the
// store at each scrape, so that they survive restarts and agree with what
// peer list and the API show: the exchange with each peer, decisions by
// channel, import rows and audit entries. Label values come from small
// fixed sets (refusal classes, channels, outcomes) and the node's peers.
type storeCollector struct {
	store  MetricsStore
	logger *slog.Logger

	up                  *prometheus.Desc
	behind              *prometheus.Desc
	lastExchange        *prometheus.Desc
	lastServed          *prometheus.Desc
	received            *prometheus.Desc
	sent                *prometheus.Desc
	refused             *prometheus.Desc
	unacked             *prometheus.Desc
	withdrawalsReceived *prometheus.Desc
	withdrawalsSent     *prometheus.Desc
	decisions           *prometheus.Desc
	importRows          *prometheus.Desc
	auditEntries        *prometheus.Desc
}

// newStoreCollector returns the collector of the figures kept by store.
func newStoreCollector(store MetricsStore, logger *slog.Logger) *storeCollector {
	peer := []string{"peer"}
	return &storeCollector{
		store: store, logger: logger,
		up: prometheus.NewDesc("crossguard_store_up",
			"1 if the last scrape read every figure from the store, 0 if a read failed (see the log).", nil, nil),
		behind: prometheus.NewDesc("crossguard_peer_records_behind",
			"Changes of the peer's feed not yet applied here (its head minus the cursor), as of the last pull.", peer, nil),
		lastExchange: prometheus.NewDesc("crossguard_peer_last_exchange_timestamp_seconds",
			"Time of the last successful pull from the peer; absent before the first.", peer, nil),
		lastServed: prometheus.NewDesc("crossguard_peer_last_served_timestamp_seconds",
			"Time the peer last pulled from this node; absent before the first.", peer, nil),
		received: prometheus.NewDesc("crossguard_peer_records_received_total",
			"Record versions applied from the peer.", peer, nil),
		sent: prometheus.NewDesc("crossguard_peer_records_sent_total",
			"Record versions served to the peer (withdrawals not included).", peer, nil),
		refused: prometheus.NewDesc("crossguard_peer_records_refused_total",
			"Envelopes from the peer refused, by class of reason.", []string{"peer", "reason"}, nil),
		unacked: prometheus.NewDesc("crossguard_peer_refusals_unacknowledged",
			"Envelopes refused from the peer since an operator last acknowledged its refusals (crossguard peer ack).", peer, nil),
		withdrawalsReceived: prometheus.NewDesc("crossguard_peer_withdrawals_received_total",
			"Withdrawals from the peer that dropped it as a source of a copy held here.", peer, nil),
		withdrawalsSent: prometheus.NewDesc("crossguard_peer_withdrawals_sent_total",
			"Withdrawals served to the peer.", peer, nil),
		decisions: prometheus.NewDesc("crossguard_decisions_total",
			"Channel decisions made on declarations, by channel.", []string{"channel"}, nil),
		importRows: prometheus.NewDesc("crossguard_import_rows_total",
			"Rows of CSV imports of seizures and declarations, by outcome (imported or rejected).", []string{"outcome"}, nil),
		auditEntries: prometheus.NewDesc("crossguard_audit_entries_total",
			"Entries appended to the audit log.", nil, nil),
	}
}

// Describe sends the descriptors of every metric of the collector.
func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.up, c.behind, c.lastExchange, c.lastServed, c.received, c.sent, c.refused,
		c.unacked, c.withdrawalsReceived, c.withdrawalsSent, c.decisions, c.importRows, c.auditEntries} {
		ch <- d
	}
}

// Collect reads the store and sends the metrics. A read that fails is
// logged and its metrics left out; crossguard_store_up says so.
func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	up := 1.0
	fail := func(what string, err error) {
		c.logger.Warn("metrics: cannot read from the store", "what", what, "err", err)
		up = 0
	}
	if peers, err := c.store.Peers(ctx); err != nil {
		fail("peers", err)
	} else {
		for _, p := range peers {
			if !p.OriginOnly {
				c.collectPeer(ch, p)
			}
		}
	}
	if n, err := c.store.Counters(ctx, crossguard.CounterDecisions); err != nil {
		fail("decisions", err)
	} else {
		for _, channel := range crossguard.Channels {
			ch <- prometheus.MustNewConstMetric(c.decisions, prometheus.CounterValue, float64(n[channel]), channel)
		}
	}
	if n, err := c.store.Counters(ctx, crossguard.CounterImportRows); err != nil {
		fail("import rows", err)
	} else {
		for _, outcome := range []string{"imported", "rejected"} {
			ch <- prometheus.MustNewConstMetric(c.importRows, prometheus.CounterValue, float64(n[outcome]), outcome)
		}
	}
	if seq, _, err := c.store.AuditHead(ctx); err != nil {
		fail("audit head", err)
	} else {
		ch <- prometheus.MustNewConstMetric(c.auditEntries, prometheus.CounterValue, float64(seq))
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, up)
}

// collectPeer sends the metrics of one peer.
func (c *storeCollector) collectPeer(ch chan<- prometheus.Metric, p *crossguard.Peer) {
	id, st := p.Card.ID, &p.Status
	gauge := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, id)
	}
	counter := func(d *prometheus.Desc, v int64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), id)
	}
	gauge(c.behind, float64(st.Behind()))
	if st.LastExchange != nil {
		gauge(c.lastExchange, unixSeconds(*st.LastExchange))
	}
	if st.LastServed != nil {
		gauge(c.lastServed, unixSeconds(*st.LastServed))
	}
	var unacked int64
	if st.LastRefusal != nil {
		unacked = st.LastRefusal.Unacknowledged
	}
	gauge(c.unacked, float64(unacked))
	counter(c.received, st.Received)
	counter(c.sent, max(st.Sent-st.WithdrawalsSent, 0))
	counter(c.withdrawalsReceived, st.WithdrawalsReceived)
	counter(c.withdrawalsSent, st.WithdrawalsSent)
	for _, class := range crossguard.RefusalClasses {
		ch <- prometheus.MustNewConstMetric(c.refused, prometheus.CounterValue, float64(st.RefusedByClass.Of(class)), id, class)
	}
}

// unixSeconds returns t in seconds since the Unix epoch.
func unixSeconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }
