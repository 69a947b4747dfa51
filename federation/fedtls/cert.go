package fedtls

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"net"
	"time"
)

// Validity is how long a node certificate is valid. The certificate only
// carries the node key, which does not change, so it is made long-lived
// rather than renewed.
const Validity = 10 * 365 * 24 * time.Hour

// Certificate returns a certificate for the node key, self-signed by it, to
// present on both sides of a federation connection. Its common name is the
// node id for people reading it; peers rely only on its key. It is valid
// from a day ago, so a peer whose clock runs behind still accepts it.
func Certificate(key ed25519.PrivateKey, nodeID string) (tls.Certificate, error) {
	notBefore := time.Now().Add(-24 * time.Hour).UTC().Truncate(time.Second)
	return newCertificate(key, nodeID, notBefore, notBefore.Add(Validity))
}

// newCertificate is Certificate with the validity given.
func newCertificate(key ed25519.PrivateKey, nodeID string, notBefore, notAfter time.Time) (tls.Certificate, error) {
	if len(key) != ed25519.PrivateKeySize {
		return tls.Certificate{}, fmt.Errorf("node certificate: the key is %d bytes, want a %d-byte Ed25519 private key", len(key), ed25519.PrivateKeySize)
	}
	if nodeID == "" {
		return tls.Certificate{}, errors.New("node certificate: the node id is empty")
	}
	tmpl := &x509.Certificate{
		// SerialNumber is left nil: CreateCertificate then draws a random one.
		Subject:               pkix.Name{CommonName: nodeID},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("node certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("node certificate: parse: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}
