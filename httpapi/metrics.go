package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Seizure write operations counted by the seizures metric.
const (
	opCreate = "create"
	opUpdate = "update"
	opDelete = "delete"
)

// metrics holds a server's Prometheus collectors in a registry of its own,
// not the global one, so that several servers (in tests, say) never clash.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	seizures *prometheus.CounterVec
}

// newMetrics registers the HTTP, seizure, Go runtime and process metrics.
func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crossguard_http_requests_total",
			Help: "HTTP requests served, by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "crossguard_http_request_duration_seconds",
			Help:    "Time to serve HTTP requests, by route pattern and method.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "method"}),
		seizures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crossguard_seizures_written_total",
			Help: "Seizures created, updated and deleted through the API, by operation.",
		}, []string{"op"}),
	}
	m.registry.MustRegister(m.requests, m.duration, m.seizures,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, op := range []string{opCreate, opUpdate, opDelete} {
		m.seizures.WithLabelValues(op) // export zeros before the first write
	}
	return m
}

// handler serves the registry in the Prometheus text format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// observeRequest counts one served request and its duration.
func (m *metrics) observeRequest(route, method string, status int, d time.Duration) {
	method = methodLabel(method)
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route, method).Observe(d.Seconds())
}

// seizureWritten counts one seizure write of operation op.
func (m *metrics) seizureWritten(op string) {
	m.seizures.WithLabelValues(op).Inc()
}

// methodLabel keeps the method label to the standard methods, so that a
// client sending made-up methods cannot grow the number of series.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "other"
}
