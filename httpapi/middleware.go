package httpapi

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"
	"time"
)

// requestInfo is what the middleware learns about a request as it passes
// down the chain (the id, and the user once authenticated) and what the
// access log reports when it comes back up.
type requestInfo struct {
	ID   string
	User string
}

// infoKey is the context key of the request's *requestInfo.
type infoKey struct{}

// infoOf returns the request's info, or an empty one outside the chain.
func infoOf(ctx context.Context) *requestInfo {
	if info, ok := ctx.Value(infoKey{}).(*requestInfo); ok {
		return info
	}
	return &requestInfo{}
}

// requestIDOf returns the request's id, or "".
func requestIDOf(ctx context.Context) string { return infoOf(ctx).ID }

// requestIDPattern is the form of a request id accepted from a client (a
// proxy in front of the node may set one); anything else is replaced so
// that logs cannot be forged through the header.
var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID gives every request an id, taken from X-Request-Id when the
// client sent a well-formed one, echoed in the response header and written
// in every log line about the request.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !requestIDPattern.MatchString(id) {
			id = rand.Text()
		}
		w.Header().Set("X-Request-Id", id)
		ctx := context.WithValue(r.Context(), infoKey{}, &requestInfo{ID: id})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// observe writes the access log line and the request metrics of every
// request, labelled with the route pattern that served it.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := trackWriter(w)
		next.ServeHTTP(sw, r)
		d := time.Since(start)

		// ServeMux sets r.Pattern on the request it routes, which is this
		// one: no middleware below replaces the request.
		route := routeLabel(r.Pattern)
		status := sw.Status()
		s.metrics.observeRequest(route, r.Method, status, d)
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		s.Logger.LogAttrs(r.Context(), level, "http request",
			slog.String("request_id", requestIDOf(r.Context())),
			slog.String("method", r.Method),
			slog.String("route", route),
			slog.String("path", r.URL.Path),
			slog.Int("status", status),
			slog.Duration("duration", d),
			slog.Int64("bytes", sw.bytes),
			slog.String("user", infoOf(r.Context()).User),
			slog.String("remote", r.RemoteAddr))
	})
}

// routeLabel returns the path part of a ServeMux pattern ("GET
// /api/v1/seizures/{id}" gives "/api/v1/seizures/{id}"), or "unmatched" for
// requests that no pattern served (such as ServeMux's own redirects).
func routeLabel(pattern string) string {
	if pattern == "" {
		return "unmatched"
	}
	if i := strings.IndexByte(pattern, ' '); i >= 0 {
		return pattern[i+1:]
	}
	return pattern
}

// recoverPanics turns a panic in a handler into a logged 500 internal
// error, so that one bad request never takes the node down. The
// http.ErrAbortHandler sentinel is re-raised as net/http expects.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := trackWriter(w)
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.Logger.ErrorContext(r.Context(), "panic serving request",
				slog.String("request_id", requestIDOf(r.Context())),
				slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.String("panic", fmt.Sprint(v)), slog.String("stack", string(debug.Stack())))
			if sw.wroteHeader {
				panic(http.ErrAbortHandler) // too late for an error body: cut the response
			}
			h := sw.Header() // drop what the handler set for a success
			id := h.Get("X-Request-Id")
			clear(h)
			h.Set("X-Request-Id", id)
			s.writeError(sw, r, fmt.Errorf("panic: %v", v))
		}()
		next.ServeHTTP(sw, r)
	})
}

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status      int
	bytes       int64
	wroteHeader bool
}

// trackWriter returns w if it already records its status, else wraps it.
func trackWriter(w http.ResponseWriter) *statusWriter {
	if sw, ok := w.(*statusWriter); ok {
		return sw
	}
	return &statusWriter{ResponseWriter: w}
}

// WriteHeader records the status.
func (w *statusWriter) WriteHeader(status int) {
	if !w.wroteHeader && status >= 200 {
		w.status, w.wroteHeader = status, true
	}
	w.ResponseWriter.WriteHeader(status)
}

// Write records the size, and the implicit status 200.
func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = http.StatusOK, true
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Status returns the status written, 200 if the handler wrote nothing.
func (w *statusWriter) Status() int {
	if !w.wroteHeader {
		return http.StatusOK
	}
	return w.status
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush passes flushes through, for streaming responses.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		if !w.wroteHeader {
			w.status, w.wroteHeader = http.StatusOK, true
		}
		f.Flush()
	}
}
