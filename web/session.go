package web

import (
	"fmt"
	"net/http"
)

// session returns the session of r's cg_session cookie, or nil when there
// is none or it is no longer valid.
func (s *server) session(r *http.Request) (*Session, error) {
	token := cookieValue(r, SessionCookie)
	if token == "" {
		return nil, nil
	}
	sess, err := s.auth.Session(r.Context(), token)
	if noSession(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("look up session: %w", err)
	}
	return sess, nil
}

// parseForm reads a posted form of at most maxFormBytes.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return fmt.Errorf("parse form: %w", errInvalidForm)
	}
	return nil
}
