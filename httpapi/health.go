package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"crossguard"
)

// healthTimeout bounds the database check of /healthz, so that a load
// balancer gets an answer even when the database hangs.
const healthTimeout = 5 * time.Second

// health answers 200 {"status":"ok"} if the database answers a cheap
// query, and 503 otherwise. It needs no token: load balancers and
// supervisors call it.
func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	if _, err := s.Health.Node(ctx); err != nil {
		s.Logger.ErrorContext(r.Context(), "health check failed",
			slog.String("request_id", requestIDOf(r.Context())), slog.String("error", err.Error()))
		return &statusError{Status: http.StatusServiceUnavailable,
			Err: crossguard.Errorf(crossguard.EINTERNAL, "The database is unreachable.")}
	}
	s.writeJSON(w, r, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}
