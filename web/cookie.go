package web

import (
	"net"
	"net/http"
	"strings"
)

// Cookie names.
const (
	// SessionCookie holds the session token of a signed-in person.
	SessionCookie = "cg_session"
	// csrfCookie holds the nonce of the pre-session CSRF token of the
	// sign-in form.
	csrfCookie = "cg_csrf"
	// langCookie remembers a language chosen with ?lang= in this browser.
	langCookie = "cg_lang"
)

// secureCookies reports whether cookies set in reply to r must be Secure.
//
// They always are, except when the request came over plain HTTP from the
// loopback interface to a loopback host name: that is `crossguard demo`
// and a developer's own machine, where the traffic never leaves the
// computer, and where a Secure cookie would be dropped by browsers and
// HTTP clients that do not treat http://127.0.0.1 as a secure origin, so
// nobody could sign in. Any request from elsewhere keeps Secure, so a
// node reached over plain HTTP across a network cannot sign anyone in
// rather than sending the session in clear; a TLS-terminating proxy that
// says X-Forwarded-Proto: https keeps Secure too.
func secureCookies(r *http.Request) bool {
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		return true
	}
	return !(loopbackAddr(r.RemoteAddr) && loopbackHost(r.Host))
}

// loopbackAddr reports whether addr (host:port) is a loopback IP address.
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// loopbackHost reports whether the Host header names the local machine.
func loopbackHost(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = strings.Trim(hostport, "[]")
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// newCookie returns a cookie for r with the attributes every crossguard
// cookie has: HttpOnly (no script reads it), SameSite=Strict (no other
// site's page sends it), Path=/ and Secure as secureCookies decides. A
// maxAge of 0 makes a browser-session cookie; a negative one deletes it.
func newCookie(r *http.Request, name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		Secure:   secureCookies(r),
		HttpOnly: true,
		SameSite: http.SameSiteStrictMode,
	}
}

// SetSessionCookie stores the session token in the cg_session cookie. The
// cookie lasts until the browser closes; the server ends idle sessions.
func SetSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, newCookie(r, SessionCookie, token, 0))
}

// ClearSessionCookie deletes the cg_session cookie.
func ClearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, newCookie(r, SessionCookie, "", -1))
}

// cookieValue returns the value of the named cookie of r, or "".
func cookieValue(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}
