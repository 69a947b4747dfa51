package fedtls

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// MustKey returns a new Ed25519 key pair.
func MustKey(t *testing.T) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub, key
}

// MustCertificate returns Certificate(key, id).
func MustCertificate(t *testing.T, key ed25519.PrivateKey, id string) tls.Certificate {
	t.Helper()
	cert, err := Certificate(key, id)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// knownSet is a Known backed by a map that tests may change.
type knownSet struct {
	mu  sync.Mutex
	ids map[string]string // string(public key) -> peer id
}

func newKnownSet() *knownSet { return &knownSet{ids: map[string]string{}} }

func (k *knownSet) add(pub ed25519.PublicKey, id string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.ids[string(pub)] = id
}

func (k *knownSet) remove(pub ed25519.PublicKey) {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.ids, string(pub))
}

func (k *knownSet) known(pub ed25519.PublicKey) (string, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	id, ok := k.ids[string(pub)]
	return id, ok
}

// testServer is a federation listener on loopback whose handler answers
// with the authenticated peer id and counts its calls.
type testServer struct {
	URL        string
	calls      atomic.Int32
	handshakes atomic.Int32
	refusals   chan error // errors of the server's VerifyConnection
}

// startServer serves on 127.0.0.1 with ServerConfig(cert, known) behind
// RequirePeer(known, ...) until the test ends.
func startServer(t *testing.T, cert tls.Certificate, known Known) *testServer {
	t.Helper()
	ts := &testServer{refusals: make(chan error, 16)}
	cfg := ServerConfig(cert, known)
	verify := cfg.VerifyConnection
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		ts.handshakes.Add(1)
		err := verify(cs)
		if err != nil {
			ts.refusals <- err
		}
		return err
	}
	h := RequirePeer(known, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ts.calls.Add(1)
		id, ok := PeerID(r)
		if !ok {
			http.Error(w, "no peer id", http.StatusInternalServerError)
			return
		}
		io.WriteString(w, id)
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, TLSConfig: cfg, ReadHeaderTimeout: time.Minute, ErrorLog: log.New(io.Discard, "", 0)}
	done := make(chan error, 1)
	go func() { done <- srv.ServeTLS(ln, "", "") }()
	t.Cleanup(func() {
		srv.Close()
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	})
	ts.URL = "https://" + ln.Addr().String()
	return ts
}

// refusal returns the error with which the server refused a handshake. The
// server records it before it sends the alert that fails the client, so it
// is there once the client has failed.
func (ts *testServer) refusal(t *testing.T) error {
	t.Helper()
	select {
	case err := <-ts.refusals:
		return err
	default:
		t.Fatal("the server refused no handshake")
		return nil
	}
}

// newClient returns an HTTP client presenting cert and pinning peer.
func newClient(t *testing.T, cert tls.Certificate, peer ed25519.PublicKey) *http.Client {
	t.Helper()
	tr := &http.Transport{TLSClientConfig: ClientConfig(cert, peer), ForceAttemptHTTP2: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// get fetches url and returns the status and body.
func get(t *testing.T, c *http.Client, url string) (int, string, error) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b), nil
}
