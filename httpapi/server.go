package httpapi

import (
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Defaults of a Server's limits.
const (
	// DefaultMaxBodyBytes is the largest request body accepted (1 MiB): a
	// seizure with a hundred goods lines and a long narrative fits easily.
	DefaultMaxBodyBytes = 1 << 20
	// DefaultShutdownTimeout is how long Serve lets in-flight requests
	// finish once its context is cancelled.
	DefaultShutdownTimeout = 30 * time.Second
)

// Server serves the JSON API of one node. Create it with New, adjust the
// exported fields if needed, then use Handler or Serve.
type Server struct {
	// Services are what the API serves.
	Services
	// Logger receives the access log and the details of internal errors.
	Logger *slog.Logger
	// MaxBodyBytes limits request bodies; larger ones get 413 too_large.
	MaxBodyBytes int64
	// ShutdownTimeout bounds how long Serve waits for in-flight requests.
	ShutdownTimeout time.Duration
	// ReadHeaderTimeout and IdleTimeout configure the http.Server of Serve.
	ReadHeaderTimeout time.Duration
	IdleTimeout       time.Duration
	// UI, when set, serves every path outside the API (the web interface
	// of package web) on the same listener; otherwise they answer 404.
	UI http.Handler

	once    sync.Once
	metrics *metrics
}

// New returns a server of svc that logs to logger (nil discards logs).
func New(svc Services, logger *slog.Logger) *Server {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		Services:          svc,
		Logger:            logger,
		MaxBodyBytes:      DefaultMaxBodyBytes,
		ShutdownTimeout:   DefaultShutdownTimeout,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	s.init()
	return s
}

// init creates the metrics registry once, so that a Server built as a
// literal works too.
func (s *Server) init() {
	s.once.Do(func() {
		if s.Logger == nil {
			s.Logger = slog.New(slog.DiscardHandler)
		}
		if s.MaxBodyBytes <= 0 {
			s.MaxBodyBytes = DefaultMaxBodyBytes
		}
		s.metrics = newMetrics()
		if s.Metrics != nil {
			s.metrics.registry.MustRegister(newStoreCollector(s.Metrics, s.Logger))
		}
	})
}

// Handler returns the API as an http.Handler: the routes wrapped in the
// request-id, access-log, metrics and panic-recovery middleware.
func (s *Server) Handler() http.Handler {
	s.init()
	mux := http.NewServeMux()
	s.register(mux)
	var h http.Handler = mux
	h = s.recoverPanics(h)
	h = s.observe(h)
	h = requestID(h)
	return h
}
