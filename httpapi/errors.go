package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"crossguard"
)

// handlerFunc is an endpoint. It writes its response on success and
// returns an error otherwise, which handle turns into the JSON error body.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// statusError overrides the HTTP status that an application error's code
// would give, for the few answers whose status has no code of its own
// (405 method not allowed, 503 database unreachable).
type statusError struct {
	Status int
	Err    *crossguard.Error
}

// Error implements error.
func (e *statusError) Error() string { return e.Err.Error() }

// Unwrap returns the application error, so that crossguard.ErrorCode and
// friends see it.
func (e *statusError) Unwrap() error { return e.Err }

// errorBody is the JSON form of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

// errorDetail is the inside of errorBody.
type errorDetail struct {
	Code    string                  `json:"code"`
	Message string                  `json:"message"`
	Fields  []crossguard.FieldError `json:"fields,omitempty"`
}

// statusOf maps an application error code to its HTTP status.
func statusOf(code string) int {
	switch code {
	case crossguard.EINVALID:
		return http.StatusBadRequest
	case crossguard.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case crossguard.EFORBIDDEN:
		return http.StatusForbidden
	case crossguard.ENOTFOUND:
		return http.StatusNotFound
	case crossguard.ECONFLICT:
		return http.StatusConflict
	case crossguard.EPRECONDITIONFAILED:
		return http.StatusPreconditionFailed
	case crossguard.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	default:
		return http.StatusInternalServerError
	}
}

// handle adapts a handlerFunc to http.Handler.
func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// writeError writes err as a JSON error response. Errors that are not
// application errors, and application errors of code internal, are logged
// with the request id and answered with a generic message only. A
// *statusError is written as it is: the API builds those itself.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := crossguard.ErrorCode(err)
	status := statusOf(code)
	body := errorBody{Error: errorDetail{Code: code, Message: crossguard.ErrorMessage(err), Fields: crossguard.ErrorFields(err)}}
	var se *statusError
	if errors.As(err, &se) {
		status = se.Status
	} else if status == http.StatusInternalServerError {
		body.Error = errorDetail{Code: crossguard.EINTERNAL, Message: "Internal error."}
		s.Logger.ErrorContext(r.Context(), "request failed",
			slog.String("request_id", requestIDOf(r.Context())),
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.String("error", err.Error()))
	}
	if code == crossguard.EUNAUTHORIZED && w.Header().Get("WWW-Authenticate") == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="crossguard"`)
	}
	s.writeJSON(w, r, status, body)
}

// writeJSON writes v as the JSON response body with status. Responses are
// marked not cacheable: they may carry marked intelligence.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		s.Logger.ErrorContext(r.Context(), "encode response",
			slog.String("request_id", requestIDOf(r.Context())), slog.String("error", err.Error()))
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal","message":"Internal error."}}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
