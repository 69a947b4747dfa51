package fedtls

import (
	"crypto/ed25519"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// PeerKey returns the node key the other side of a connection proved: it
// presented exactly one certificate, the certificate holds an Ed25519 key,
// is signed by that key and is valid now. The TLS handshake itself proved
// that the peer holds the private key, so the key identifies the node.
func PeerKey(state *tls.ConnectionState) (ed25519.PublicKey, error) {
	if state == nil {
		return nil, errors.New("not a TLS connection")
	}
	return verifyCertificates(state.PeerCertificates, time.Now())
}

// verifyCertificates checks a peer's certificates at now and returns the key.
func verifyCertificates(certs []*x509.Certificate, now time.Time) (ed25519.PublicKey, error) {
	if len(certs) != 1 {
		return nil, fmt.Errorf("%d certificates presented, want exactly one self-signed by the node key", len(certs))
	}
	cert := certs[0]
	pub, ok := cert.PublicKey.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("certificate key is %s, want Ed25519", cert.PublicKeyAlgorithm)
	}
	// CheckSignature rather than CheckSignatureFrom: the certificate is a leaf
	// (not a CA) and only the signature by its own key matters.
	if err := cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature); err != nil {
		return nil, fmt.Errorf("certificate for %s is not signed by its own key: %w", Fingerprint(pub), err)
	}
	if now.Before(cert.NotBefore) {
		return nil, fmt.Errorf("certificate for %s is not valid before %s (now %s)", Fingerprint(pub), cert.NotBefore.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if now.After(cert.NotAfter) {
		return nil, fmt.Errorf("certificate for %s expired at %s (now %s)", Fingerprint(pub), cert.NotAfter.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return pub, nil
}
