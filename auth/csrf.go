package auth

import (
	"crypto/subtle"
	"net/http"

	"crossguard"
)

// Where a request carries its CSRF token: the hidden form field CSRFField,
// or for scripts the header CSRFHeader.
const (
	CSRFField  = "csrf_token"
	CSRFHeader = "X-CSRF-Token"
)

// ErrCSRF refuses a request whose CSRF token is missing or not its
// session's.
var ErrCSRF = crossguard.Errorf(crossguard.EFORBIDDEN, "this form has expired or did not come from this site: reload the page and try again")

// CSRFToken returns the token every form of sess must carry: the random
// secret stored with the session, so that it holds across processes and
// restarts and ends with the session.
func CSRFToken(sess *crossguard.Session) string {
	return sess.CSRF
}

// CheckCSRF returns ErrCSRF unless token is sess's CSRF token, compared in
// constant time.
func CheckCSRF(sess *crossguard.Session, token string) error {
	if sess == nil || sess.CSRF == "" || subtle.ConstantTimeCompare([]byte(token), []byte(sess.CSRF)) != 1 {
		return ErrCSRF
	}
	return nil
}

// CheckRequestCSRF checks the CSRF token of r, from the CSRFHeader header or
// else the CSRFField form field. Safe methods (GET, HEAD, OPTIONS) pass
// unchecked; they must change nothing.
func CheckRequestCSRF(sess *crossguard.Session, r *http.Request) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	token := r.Header.Get(CSRFHeader)
	if token == "" {
		token = r.PostFormValue(CSRFField)
	}
	return CheckCSRF(sess, token)
}
