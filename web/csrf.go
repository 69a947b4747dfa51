package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
)

// csrfField is the name of the hidden form field carrying a CSRF token.
const csrfField = "csrf"

// preSession protects the sign-in form, which is posted before any session
// exists, with a signed double-submit token: the browser gets a random
// nonce in the cg_csrf cookie and the form carries HMAC(key, nonce). A
// forged post from another site has neither (SameSite=Strict keeps the
// cookie back), and a party able to plant a cookie still cannot compute
// the form value without the node's key.
type preSession struct {
	key  []byte
	rand io.Reader
}

// issue sets a fresh nonce cookie on w, unless r already has one, and
// returns the token for the form.
func (p *preSession) issue(w http.ResponseWriter, r *http.Request) (string, error) {
	nonce := cookieValue(r, csrfCookie)
	if len(nonce) < 32 {
		b := make([]byte, 32)
		if _, err := io.ReadFull(p.rand, b); err != nil {
			return "", fmt.Errorf("csrf nonce: %w", err)
		}
		nonce = base64.RawURLEncoding.EncodeToString(b)
		http.SetCookie(w, newCookie(r, csrfCookie, nonce, 0))
	}
	return p.sign(nonce), nil
}

// check reports whether the form of r carries the token of its cookie.
func (p *preSession) check(r *http.Request) bool {
	nonce := cookieValue(r, csrfCookie)
	if len(nonce) < 32 {
		return false
	}
	return hmac.Equal([]byte(r.PostFormValue(csrfField)), []byte(p.sign(nonce)))
}

// clear deletes the nonce cookie once the person is signed in.
func (p *preSession) clear(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, newCookie(r, csrfCookie, "", -1))
}

// sign returns the form token of nonce.
func (p *preSession) sign(nonce string) string {
	m := hmac.New(sha256.New, p.key)
	m.Write([]byte("crossguard login csrf\x00"))
	m.Write([]byte(nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
