package web

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// loginPage is the data of the sign-in page.
type loginPage struct {
	CSRF     string
	Username string
	Error    string
}

// loginForm shows the sign-in form, or sends a signed-in person home.
func (s *server) loginForm(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.session(r)
	if err != nil {
		return err
	}
	if sess != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	return s.renderLogin(w, r, http.StatusOK, "", "")
}

// login checks the posted user name and password and, when they are
// right, starts a session and goes home. A refusal shows the form again
// with the reason and the user name as typed.
func (s *server) login(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	username := strings.TrimSpace(r.PostFormValue("username"))
	password := r.PostFormValue("password")
	if !s.pre.check(r) {
		return s.renderLogin(w, r, http.StatusForbidden, username, "login.error.expired")
	}
	if username == "" || password == "" {
		return s.renderLogin(w, r, http.StatusUnprocessableEntity, username, "login.error.missing")
	}
	token, err := s.auth.SignIn(r.Context(), username, password, clientAddr(r))
	switch {
	case err == nil:
	case errors.Is(err, ErrRateLimited):
		return s.renderRateLimited(w, r, username, err)
	case badCredentials(err):
		return s.renderLogin(w, r, http.StatusUnauthorized, username, "login.error.credentials")
	default:
		s.log.ErrorContext(r.Context(), "sign-in failed", "user", username, "err", err)
		return s.renderLogin(w, r, http.StatusServiceUnavailable, username, "login.error.unavailable")
	}
	SetSessionCookie(w, r, token)
	s.pre.clear(w, r)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// renderRateLimited shows the form with the rate-limit message and, when
// the Authenticator said, how many minutes to wait.
func (s *server) renderRateLimited(w http.ResponseWriter, r *http.Request, username string, err error) error {
	wait := retryAfter(err)
	if wait <= 0 {
		return s.renderLogin(w, r, http.StatusTooManyRequests, username, "login.error.ratelimited")
	}
	secs := int(wait.Seconds() + 0.999)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return s.renderLogin(w, r, http.StatusTooManyRequests, username, "login.error.ratelimited.wait", (secs+59)/60)
}

// renderLogin shows the sign-in form with a fresh CSRF token, the user
// name typed so far, and the message of errKey ("" for none).
func (s *server) renderLogin(w http.ResponseWriter, r *http.Request, status int, username, errKey string, args ...any) error {
	token, err := s.pre.issue(w, r)
	if err != nil {
		return err
	}
	p := s.newPage(r, nil, "login.title")
	data := loginPage{CSRF: token, Username: username}
	if errKey != "" {
		data.Error = p.tr.T(errKey, args...)
	}
	p.Data = data
	return s.render(w, status, "login", p)
}

// clientAddr returns the IP address the request came from, for the
// per-address rate limit of sign-in attempts.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
