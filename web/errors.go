package web

import (
	"errors"
	"net/http"

	"crossguard"
)

// errCSRF is the refusal of a form without a valid CSRF token or posted
// from another site.
var errCSRF = crossguard.Errorf(crossguard.EFORBIDDEN, "invalid or missing form token")

// errNotFound is the answer for a path that is no page.
var errNotFound = crossguard.Errorf(crossguard.ENOTFOUND, "no such page")

// handlerFunc is a page handler that returns its error instead of writing
// it, so that one place turns errors into pages.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts fn to http.Handler, rendering its error as an error page.
func (s *server) handle(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// errorPage is the data of the error page.
type errorPage struct {
	Message string
}

// fail renders err as an error page in the request's language, with the
// status of its code. The page says what the person can do; the error
// itself goes to the log only when it is internal.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, key := http.StatusInternalServerError, "error.internal"
	switch {
	case errors.Is(err, errCSRF):
		status, key = http.StatusForbidden, "error.csrf"
	default:
		switch crossguard.ErrorCode(err) {
		case crossguard.ENOTFOUND:
			status, key = http.StatusNotFound, "error.notfound"
		case crossguard.EFORBIDDEN:
			status, key = http.StatusForbidden, "error.forbidden"
		case crossguard.EUNAUTHORIZED:
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		case crossguard.EINVALID, crossguard.ETOOLARGE:
			status, key = http.StatusBadRequest, "error.invalid"
		default:
			s.log.ErrorContext(r.Context(), "web page failed",
				"method", r.Method, "path", r.URL.Path, "err", err)
		}
	}
	// The session is looked up again so that the header of the error page
	// shows who is signed in; a failure here just renders it signed out.
	sess, _ := s.session(r)
	p := s.newPage(r, sess, "error.title")
	p.Data = errorPage{Message: p.tr.T(key)}
	if err := s.render(w, status, "error", p); err != nil {
		s.log.ErrorContext(r.Context(), "web error page failed", "err", err)
	}
}

// notFound answers any path that is no page.
func (s *server) notFound(w http.ResponseWriter, r *http.Request) error {
	return errNotFound
}

// errInvalidForm is the answer for a form body that cannot be read.
var errInvalidForm = crossguard.Errorf(crossguard.EINVALID, "unreadable form")
