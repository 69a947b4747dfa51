package auth_test

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"crossguard"
	"crossguard/auth"
)

func TestCSRF(t *testing.T) {
	svc, _ := newService(t)
	_, sess := mustSignIn(t, svc, t0)
	_, other := mustSignIn(t, svc, t0)
	good := auth.CSRFToken(sess)
	if len(good) < 43 || good == auth.CSRFToken(other) {
		t.Fatalf("CSRF tokens %q and %q: want 32 random bytes per session", good, auth.CSRFToken(other))
	}
	for _, c := range []struct {
		name   string
		method string
		form   string // form field value; "-" for none
		header string
		ok     bool
	}{
		{"form token accepted", "POST", good, "", true},
		{"header token accepted", "POST", "-", good, true},
		{"missing token refused", "POST", "-", "", false},
		{"empty token refused", "POST", "", "", false},
		{"other session's token refused", "POST", auth.CSRFToken(other), "", false},
		{"prefix refused", "POST", good[:20], "", false},
		{"wrong header beats right form", "POST", good, "x", false},
		{"DELETE checked", "DELETE", "-", "", false},
		{"GET not checked", "GET", "-", "", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := ""
			if c.form != "-" {
				body = url.Values{auth.CSRFField: {c.form}}.Encode()
			}
			r := httptest.NewRequest(c.method, "/seizures", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if c.header != "" {
				r.Header.Set(auth.CSRFHeader, c.header)
			}
			err := auth.CheckRequestCSRF(sess, r)
			if c.ok != (err == nil) {
				t.Fatalf("CheckRequestCSRF = %v, want ok %v", err, c.ok)
			}
			if err != nil && (err != auth.ErrCSRF || crossguard.ErrorCode(err) != crossguard.EFORBIDDEN) {
				t.Fatalf("CheckRequestCSRF = %v, want ErrCSRF", err)
			}
		})
	}
	if err := auth.CheckCSRF(nil, good); err != auth.ErrCSRF {
		t.Fatalf("CheckCSRF without a session = %v", err)
	}
}
