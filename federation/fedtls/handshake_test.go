package fedtls

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestKnownClientReachesHandlerWithItsID(t *testing.T) {
	_, serverKey := MustKey(t)
	clientPub, clientKey := MustKey(t)
	serverCert := MustCertificate(t, serverKey, "pk-customs/sost")
	known := newKnownSet()
	known.add(clientPub, "cn-customs/khunjerab")
	ts := startServer(t, serverCert, known.known)

	c := newClient(t, MustCertificate(t, clientKey, "cn-customs/khunjerab"), serverKey.Public().(ed25519.PublicKey))
	status, body, err := get(t, c, ts.URL+"/federation/v1/card")
	if err != nil {
		t.Fatal(err)
	}
	if status != http.StatusOK || body != "cn-customs/khunjerab" {
		t.Errorf("got %d %q, want 200 with the client's peer id", status, body)
	}
	if n := ts.calls.Load(); n != 1 {
		t.Errorf("handler ran %d times, want 1", n)
	}
}

func TestServerRefusesAtHandshake(t *testing.T) {
	clientPub, clientKey := MustKey(t)
	_, otherKey := MustKey(t)
	now := time.Now()
	tests := []struct {
		name string
		cert func(t *testing.T) tls.Certificate
		want string
	}{
		{"unknown key", func(t *testing.T) tls.Certificate {
			return MustCertificate(t, otherKey, "xx-rogue/node")
		}, "unknown node key " + Fingerprint(otherKey.Public().(ed25519.PublicKey))},
		{"certificate signed by another key", func(t *testing.T) tls.Certificate {
			return mustSignedBy(t, clientKey, otherKey)
		}, "not signed by its own key"},
		{"expired certificate", func(t *testing.T) tls.Certificate {
			return mustValidity(t, clientKey, now.Add(-48*time.Hour), now.Add(-time.Hour))
		}, "expired at"},
		{"certificate not yet valid", func(t *testing.T) tls.Certificate {
			return mustValidity(t, clientKey, now.Add(time.Hour), now.Add(48*time.Hour))
		}, "not valid before"},
		{"ECDSA certificate", mustECDSA, "certificate key is ECDSA, want Ed25519"},
		{"two certificates", func(t *testing.T) tls.Certificate {
			c := MustCertificate(t, clientKey, "cn-customs/khunjerab")
			c.Certificate = append(c.Certificate, MustCertificate(t, otherKey, "xx-rogue/node").Certificate[0])
			c.Leaf = nil
			return c
		}, "2 certificates presented"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, serverKey := MustKey(t)
			known := newKnownSet()
			known.add(clientPub, "cn-customs/khunjerab")
			ts := startServer(t, MustCertificate(t, serverKey, "pk-customs/sost"), known.known)

			c := newClient(t, tt.cert(t), serverKey.Public().(ed25519.PublicKey))
			status, _, err := get(t, c, ts.URL+"/federation/v1/card")
			if err == nil {
				t.Fatalf("request answered %d, want the handshake refused", status)
			}
			if refusal := ts.refusal(t); !strings.Contains(refusal.Error(), tt.want) {
				t.Errorf("server refused with %q, want it to say %q", refusal, tt.want)
			}
			if n := ts.calls.Load(); n != 0 {
				t.Errorf("handler ran %d times, want 0", n)
			}
		})
	}
}

func TestClientRefusesServerWithoutPinnedKey(t *testing.T) {
	clientPub, clientKey := MustKey(t)
	pinnedPub, pinnedKey := MustKey(t)
	otherPub, otherKey := MustKey(t)
	now := time.Now()
	tests := []struct {
		name       string
		serverCert func(t *testing.T) tls.Certificate
		want       []string
	}{
		{"another key", func(t *testing.T) tls.Certificate {
			return MustCertificate(t, otherKey, "xx-rogue/node")
		}, []string{"expected key " + Fingerprint(pinnedPub), "got " + Fingerprint(otherPub)}},
		{"pinned key in an expired certificate", func(t *testing.T) tls.Certificate {
			return mustValidity(t, pinnedKey, now.Add(-48*time.Hour), now.Add(-time.Hour))
		}, []string{Fingerprint(pinnedPub), "expired at"}},
		{"pinned key in a certificate signed by another key", func(t *testing.T) tls.Certificate {
			return mustSignedBy(t, pinnedKey, otherKey)
		}, []string{Fingerprint(pinnedPub), "not signed by its own key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			known := newKnownSet()
			known.add(clientPub, "cn-customs/khunjerab")
			ts := startServer(t, tt.serverCert(t), known.known)

			c := newClient(t, MustCertificate(t, clientKey, "cn-customs/khunjerab"), pinnedPub)
			status, _, err := get(t, c, ts.URL+"/federation/v1/card")
			if err == nil {
				t.Fatalf("request answered %d, want the handshake refused", status)
			}
			if !errors.Is(err, ErrNotPinned) {
				t.Errorf("error %q does not wrap ErrNotPinned", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if n := ts.calls.Load(); n != 0 {
				t.Errorf("handler ran %d times, want 0", n)
			}
		})
	}
}

func TestRemovedPeerRefusedOnOpenConnection(t *testing.T) {
	_, serverKey := MustKey(t)
	clientPub, clientKey := MustKey(t)
	known := newKnownSet()
	known.add(clientPub, "cn-customs/khunjerab")
	ts := startServer(t, MustCertificate(t, serverKey, "pk-customs/sost"), known.known)
	c := newClient(t, MustCertificate(t, clientKey, "cn-customs/khunjerab"), serverKey.Public().(ed25519.PublicKey))

	if status, _, err := get(t, c, ts.URL+"/a"); err != nil || status != http.StatusOK {
		t.Fatalf("first request: %d, %v; want 200", status, err)
	}
	known.remove(clientPub)
	status, body, err := get(t, c, ts.URL+"/b")
	if err != nil {
		t.Fatal(err)
	}
	if n := ts.handshakes.Load(); n != 1 {
		t.Fatalf("%d handshakes, want 1: the second request must reuse the connection", n)
	}
	if status != http.StatusForbidden || !strings.Contains(body, Fingerprint(clientPub)) {
		t.Errorf("got %d %s, want 403 naming the key", status, body)
	}
	if n := ts.calls.Load(); n != 1 {
		t.Errorf("handler ran %d times, want 1", n)
	}
}

// mustSignedBy returns a certificate for key's public key that signer, not
// key, signed. Its holder can still complete a handshake with key.
func mustSignedBy(t *testing.T, key, signer ed25519.PrivateKey) tls.Certificate {
	t.Helper()
	now := time.Now()
	tmpl := &x509.Certificate{Subject: pkix.Name{CommonName: "cn-customs/khunjerab"}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}}
	parent := &x509.Certificate{Subject: pkix.Name{CommonName: "signer"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), signer)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// mustValidity returns a node certificate for key valid between the times.
func mustValidity(t *testing.T, key ed25519.PrivateKey, notBefore, notAfter time.Time) tls.Certificate {
	t.Helper()
	cert, err := newCertificate(key, "cn-customs/khunjerab", notBefore, notAfter)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// mustECDSA returns a self-signed ECDSA P-256 certificate.
func mustECDSA(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{Subject: pkix.Name{CommonName: "cn-customs/khunjerab"}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func TestServerRefusesClientWithoutCertificate(t *testing.T) {
	serverPub, serverKey := MustKey(t)
	ts := startServer(t, MustCertificate(t, serverKey, "pk-customs/sost"), newKnownSet().known)
	cfg := ClientConfig(tls.Certificate{}, serverPub)
	cfg.Certificates = nil
	tr := &http.Transport{TLSClientConfig: cfg}
	defer tr.CloseIdleConnections()
	status, _, err := get(t, &http.Client{Transport: tr}, ts.URL+"/federation/v1/card")
	if err == nil {
		t.Fatalf("request answered %d, want the handshake refused", status)
	}
	if n := ts.calls.Load(); n != 0 {
		t.Errorf("handler ran %d times, want 0", n)
	}
}
