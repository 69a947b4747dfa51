package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Serve serves the API on ln until ctx is cancelled, then shuts down
// gracefully: it stops accepting connections and lets in-flight requests
// finish for up to ShutdownTimeout before closing the rest. It returns nil
// after a clean shutdown and the error otherwise. The caller listens (so
// that an address in use is reported before anything runs) and Serve owns
// ln from then on.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.init()
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: orDefault(s.ReadHeaderTimeout, 10*time.Second),
		IdleTimeout:       orDefault(s.IdleTimeout, 2*time.Minute),
		// Generous, for border posts on slow links, yet bounded so that a
		// client that stops mid-request cannot hold a connection forever.
		ReadTimeout:    5 * time.Minute,
		WriteTimeout:   5 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn),
		BaseContext:    func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		return fmt.Errorf("serve http on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	s.Logger.Info("shutting down http server", slog.String("addr", ln.Addr().String()))
	sctx, cancel := context.WithTimeout(context.Background(), orDefault(s.ShutdownTimeout, DefaultShutdownTimeout))
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		err = errors.Join(fmt.Errorf("shut down http server: %w", err), srv.Close())
	}
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, fmt.Errorf("serve http: %w", serr))
	}
	return err
}

// orDefault returns d if v is not positive.
func orDefault(v, d time.Duration) time.Duration {
	if v <= 0 {
		return d
	}
	return v
}
