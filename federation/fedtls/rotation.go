package fedtls

import (
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
)

// KeyServerName is the TLS server name (SNI) under which a client asks
// for the certificate of node key pub: during the grace period of a key
// rotation a node holds two keys, and presents the certificate of the one
// its peer pins (see RotatingServerConfig).
func KeyServerName(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:16]) + ".key.crossguard.invalid"
}

// RotatingServerConfig is ServerConfig for a node whose key may rotate
// while it serves: cert returns the certificate to present at each
// handshake, given the client's hello (whose server name may name the key
// the client pins, KeyServerName).
func RotatingServerConfig(cert func(*tls.ClientHelloInfo) (*tls.Certificate, error), known Known) *tls.Config {
	c := ServerConfig(tls.Certificate{}, known)
	c.Certificates = nil
	c.GetCertificate = cert
	return c
}

// RotatingClientConfig is ClientConfig for a node whose key may rotate and
// a peer that may prove one of several keys during the grace period of its
// own rotation: cert returns the certificate to present at each handshake,
// pinned is the key this node holds for the peer (named in the server
// name, KeyServerName, so that the peer presents that key's certificate),
// and accepts reports whether a key the server proved is one of the
// peer's, named want in errors.
func RotatingClientConfig(cert func() (*tls.Certificate, error), pinned ed25519.PublicKey, accepts func(ed25519.PublicKey) bool, want string) *tls.Config {
	return &tls.Config{
		MinVersion:           tls.VersionTLS13,
		ServerName:           KeyServerName(pinned),
		GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return cert() },
		InsecureSkipVerify:   true, // replaced by VerifyConnection
		VerifyConnection: func(cs tls.ConnectionState) error {
			got, err := PeerKey(&cs)
			if err != nil {
				return fmt.Errorf("%w %s: %w", ErrNotPinned, want, err)
			}
			if !accepts(got) {
				return fmt.Errorf("%w: expected a key of %s, got %s", ErrNotPinned, want, Fingerprint(got))
			}
			return nil
		},
	}
}

// CertificateRefused reports whether err is the server refusing the
// client certificate this node presented (a TLS bad_certificate alert).
func CertificateRefused(err error) bool {
	var alert tls.AlertError
	return errors.As(err, &alert) && alert == 42 // bad_certificate
}
