package federation

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"fmt"

	"crossguard"
	"crossguard/federation/fedtls"
)

// ring returns this node's keys.
func (s *Service) ring() *KeyRing {
	if s.Ring != nil {
		return s.Ring()
	}
	return &KeyRing{Current: s.Key}
}

// serverCert returns the certificate this node presents to a client: that
// of the key the client pins, named by its server name (fedtls.KeyServerName),
// if it is this node's current key or a retired one whose grace period
// still runs; otherwise that of KeyRing.TLSKey.
func (s *Service) serverCert(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	ring, now := s.ring(), s.Clock.Now()
	if hello != nil && hello.ServerName != "" {
		if fedtls.KeyServerName(ring.Current.Public().(ed25519.PublicKey)) == hello.ServerName {
			return s.certOf(ring.Current)
		}
		for _, rk := range ring.Retired {
			if now.Before(rk.GraceUntil) && fedtls.KeyServerName(rk.Key.Public().(ed25519.PublicKey)) == hello.ServerName {
				return s.certOf(rk.Key)
			}
		}
	}
	return s.certOf(ring.TLSKey(now))
}

// clientCert returns the certificate this node presents when it connects
// to peer: that of KeyRing.TLSKey (a retired key during its grace period,
// which peers that have not yet applied the handover recognise), except
// for a peer added after that key was retired, which was given this
// node's new card and gets the current key. A refusal switches between
// the two for that peer (certRefused).
func (s *Service) clientCert(peer string) (*tls.Certificate, error) {
	ring := s.ring()
	key := ring.TLSKey(s.Clock.Now())
	if key != nil && !key.Equal(ring.Current) {
		if p, err := s.Store.Peer(context.Background(), peer); err == nil {
			for _, rk := range ring.Retired {
				if rk.Key.Equal(key) && p.AddedAt.After(rk.RetiredAt) {
					key = ring.Current
				}
			}
		}
	}
	s.mu.Lock()
	if s.current[peer] {
		if key.Equal(ring.Current) {
			key = ring.TLSKey(s.Clock.Now())
		} else {
			key = ring.Current
		}
	}
	s.mu.Unlock()
	return s.certOf(key)
}

// certRefused notes that peer refused the certificate this node
// presented, so that the next connection presents the other key's.
func (s *Service) certRefused(peer string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == nil {
		s.current = map[string]bool{}
	}
	s.current[peer] = !s.current[peer]
}

// certOf returns the certificate of one of this node's keys, made once.
func (s *Service) certOf(key ed25519.PrivateKey) (*tls.Certificate, error) {
	id := string(key.Public().(ed25519.PublicKey))
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.certs[id]; ok {
		return c, nil
	}
	c, err := fedtls.Certificate(key, s.Card.ID)
	if err != nil {
		return nil, fmt.Errorf("federation certificate: %w", err)
	}
	if s.certs == nil {
		s.certs = map[string]*tls.Certificate{}
	}
	s.certs[id] = &c
	return &c, nil
}

// retiredKeys returns the keys a known node retired, newest first.
func (s *Service) retiredKeys(origin string) []crossguard.RetiredKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.retired[origin]
}

// peerKeyAccepted returns the check of the key a peer proves when this
// node connects to it: its current key, or one it retired whose grace
// period still runs. It reads the keys at each handshake.
func (s *Service) peerKeyAccepted(id string) func(ed25519.PublicKey) bool {
	return func(pub ed25519.PublicKey) bool {
		s.mu.Lock()
		cur, ok := s.keys[id]
		s.mu.Unlock()
		if !ok {
			return false
		}
		return acceptsOnLink(encodeKey(cur), s.retiredKeys(id), pub, s.Clock.Now())
	}
}

// keysChanged rereads the keys after a key handover was accepted.
func (s *Service) keysChanged(ctx context.Context) {
	if err := s.reloadKeys(ctx); err != nil {
		s.Logger.Error("federation: reload keys after a key handover", "err", err)
	}
}
