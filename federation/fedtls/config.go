package fedtls

import (
	"crypto/ed25519"
	"crypto/tls"
	"errors"
	"fmt"
)

// ErrNotPinned is the error, wrapped, with which a client refuses a server
// that does not prove the key pinned for it.
var ErrNotPinned = errors.New("server did not prove the pinned key")

// Known recognises the key of a node allowed to connect and returns its id.
type Known func(pub ed25519.PublicKey) (peerID string, ok bool)

// ServerConfig is the TLS configuration of the federation listener: TLS 1.3,
// cert presented, and a client certificate required that carries a key
// known recognises (see PeerKey for the other checks). Any other client is
// refused during the handshake, with an error naming the key's fingerprint
// in the server's error log, before an HTTP request is read.
func ServerConfig(cert tls.Certificate, known Known) *tls.Config {
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.RequireAnyClientCert,
		// VerifyConnection, unlike VerifyPeerCertificate, also runs when a
		// session is resumed.
		VerifyConnection: func(cs tls.ConnectionState) error {
			pub, err := PeerKey(&cs)
			if err != nil {
				return fmt.Errorf("client refused: %w", err)
			}
			if _, ok := known(pub); !ok {
				return fmt.Errorf("client refused: unknown node key %s", Fingerprint(pub))
			}
			return nil
		},
	}
}

// ClientConfig is the TLS configuration for connecting to the peer whose
// node key is peer: TLS 1.3, cert presented, and the server accepted only if
// it proves exactly that key. Certificate authorities and host names play no
// part, which is why the standard verification is replaced.
func ClientConfig(cert tls.Certificate, peer ed25519.PublicKey) *tls.Config {
	return &tls.Config{
		MinVersion:         tls.VersionTLS13,
		Certificates:       []tls.Certificate{cert},
		InsecureSkipVerify: true, // replaced by VerifyConnection
		VerifyConnection: func(cs tls.ConnectionState) error {
			got, err := PeerKey(&cs)
			if err != nil {
				return fmt.Errorf("%w %s: %w", ErrNotPinned, Fingerprint(peer), err)
			}
			if !got.Equal(peer) {
				return fmt.Errorf("%w: expected key %s, got %s", ErrNotPinned, Fingerprint(peer), Fingerprint(got))
			}
			return nil
		},
	}
}
