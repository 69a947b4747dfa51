package web

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestSecureCookies(t *testing.T) {
	tests := []struct {
		name   string
		remote string
		host   string
		tls    bool
		proto  string
		secure bool
	}{
		{"plain http on loopback", "127.0.0.1:5555", "127.0.0.1:8080", false, "", false},
		{"plain http on localhost", "[::1]:5555", "localhost:8080", false, "", false},
		{"tls on loopback", "127.0.0.1:5555", "127.0.0.1:8080", true, "", true},
		{"plain http from the network", "192.0.2.7:5555", "node.example:8080", false, "", true},
		{"network client to a loopback host name", "192.0.2.7:5555", "localhost", false, "", true},
		{"proxy on loopback for a public name", "127.0.0.1:5555", "node.example", false, "", true},
		{"proxy that terminated tls", "127.0.0.1:5555", "127.0.0.1", false, "https", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/login", nil)
			r.RemoteAddr = tt.remote
			r.Host = tt.host
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if tt.proto != "" {
				r.Header.Set("X-Forwarded-Proto", tt.proto)
			}
			if got := secureCookies(r); got != tt.secure {
				t.Errorf("secureCookies = %v, want %v", got, tt.secure)
			}
			w := httptest.NewRecorder()
			SetSessionCookie(w, r, "tok")
			c := w.Result().Cookies()[0]
			if c.Name != "cg_session" || c.Secure != tt.secure || !c.HttpOnly ||
				c.SameSite != http.SameSiteStrictMode || c.Path != "/" {
				t.Errorf("cookie = %+v", c)
			}
		})
	}
}
