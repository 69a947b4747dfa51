package federation

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"crossguard"
	"crossguard/federation/fedtls"
)

// Service is a node's side of the federation: the listener that serves its
// change feed to peers over mutual TLS, and one puller per peer.
type Service struct {
	Card crossguard.NodeCard
	Key  ed25519.PrivateKey
	// Ring, if set, returns this node's keys, current and retired; it is
	// asked at each page and handshake, so that a key rotated while the
	// node serves (crossguard node rotate-key) takes effect at once.
	// Without it, Key is the only key.
	Ring   func() *KeyRing
	Store  Store
	Clock  crossguard.Clock
	Logger *slog.Logger
	// Wait is the long-poll wait a caught-up puller asks for.
	Wait time.Duration
	// Reload is how often the service rereads its peers.
	Reload time.Duration
	// MaxBackoff bounds the pause after a failed pull.
	MaxBackoff time.Duration
	// Items and Bytes bound the pages pulled (0: defaults).
	Items, Bytes int
	// ServeOnly serves peers without pulling from them (tests drive
	// pulls themselves with NewPuller).
	ServeOnly bool

	once    sync.Once
	initErr error
	mu      sync.Mutex
	keys    map[string]ed25519.PublicKey       // node id → key, every known peer
	retired map[string][]crossguard.RetiredKey // node id → keys it retired, newest first
	certs   map[string]*tls.Certificate        // certificates of this node's keys, by public key
	current map[string]bool                    // peers to which this node presents its current key during a grace period
}

// defaults fills the zero settings.
func (s *Service) defaults() {
	if s.Clock == nil {
		s.Clock = crossguard.SystemClock{}
	}
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	s.Logger = s.Logger.With("node", s.Card.ID)
	if s.Wait == 0 {
		s.Wait = 20 * time.Second
	}
	if s.Reload == 0 {
		s.Reload = 2 * time.Second
	}
	if s.MaxBackoff == 0 {
		s.MaxBackoff = 10 * time.Second
	}
}

// Run serves peers on ln and pulls from every peer until ctx ends, then
// shuts the listener down gracefully.
func (s *Service) Run(ctx context.Context, ln net.Listener) error {
	if err := s.init(ctx); err != nil {
		return err
	}
	known := s.knownKey(ctx)
	feed := &Feed{Self: s.Card.ID, Key: s.Key, Ring: s.ring, Store: s.Store, Clock: s.Clock}
	h := &Handler{Feed: feed, Card: s.Card, PeerOf: fedtls.PeerID, Logger: s.Logger}
	srv := &http.Server{
		Handler:           fedtls.RequirePeer(known, h),
		TLSConfig:         fedtls.RotatingServerConfig(s.serverCert, known),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.Logger.Handler(), slog.LevelDebug),
	}
	// Long-polls end when shutdown starts (answering an empty page the
	// peer simply asks again for), so that stopping never waits for them.
	reqCtx, endRequests := context.WithCancel(context.WithoutCancel(ctx))
	defer endRequests()
	srv.BaseContext = func(net.Listener) context.Context { return reqCtx }
	srv.RegisterOnShutdown(endRequests)
	var wg sync.WaitGroup
	if !s.ServeOnly {
		wg.Go(func() { s.managePullers(ctx) })
	}
	wg.Go(func() { s.reconcilePending(ctx) })
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.ServeTLS(ln, "", "") }()
	var err error
	select {
	case err = <-serveErr:
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = srv.Shutdown(sctx)
		cancel()
	}
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// reconcilePending reconciles, until ctx ends, the peers whose policy
// changed and was not reconciled: at once when the service starts, then
// those still pending one Reload later (the process that changed the
// policy died before reconciling, or is slow to).
func (s *Service) reconcilePending(ctx context.Context) {
	var r pendingReconciles
	for first := true; ; first = false {
		if err := r.run(ctx, s, first); err != nil && ctx.Err() == nil {
			s.Logger.Error("federation: reconcile pending policy changes", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(s.Reload):
		}
	}
}

// init fills the defaults, makes the certificate and reads the keys of
// known nodes; Run and NewPuller call it once.
func (s *Service) init(ctx context.Context) error {
	s.once.Do(func() {
		s.defaults()
		_, s.initErr = s.certOf(s.ring().Current)
	})
	if s.initErr != nil {
		return s.initErr
	}
	return s.reloadKeys(ctx)
}

// knownKey recognises the key of a peer this node exchanges with. It reads
// the store at each handshake, so a peer added or removed counts at once.
func (s *Service) knownKey(ctx context.Context) func(ed25519.PublicKey) (string, bool) {
	return func(pub ed25519.PublicKey) (string, bool) {
		peers, err := s.Store.Peers(ctx)
		if err != nil {
			s.Logger.Error("federation: read peers", "err", err)
			return "", false
		}
		now := s.Clock.Now()
		for _, p := range peers {
			if !p.OriginOnly && acceptsOnLink(p.Card.PublicKey, s.retiredKeys(p.Card.ID), pub, now) {
				return p.Card.ID, true
			}
		}
		return "", false
	}
}

// reloadKeys rereads the keys of every known node.
func (s *Service) reloadKeys(ctx context.Context) error {
	peers, err := s.Store.Peers(ctx)
	if err != nil {
		return fmt.Errorf("read peers: %w", err)
	}
	retired, err := s.Store.RetiredKeys(ctx)
	if err != nil {
		return fmt.Errorf("read retired keys: %w", err)
	}
	keys := keysOfPeers(peers)
	s.mu.Lock()
	s.keys, s.retired = keys, retired
	s.mu.Unlock()
	return nil
}

// Keys returns the public key of a known origin node. On a miss it rereads
// the peers once, so a card added a moment ago counts at once.
func (s *Service) Keys(origin string) (ed25519.PublicKey, bool) {
	if k, ok := s.cachedKey(origin); ok {
		return k, true
	}
	if err := s.reloadKeys(context.Background()); err != nil {
		s.Logger.Error("federation: reload peers", "err", err)
		return nil, false
	}
	return s.cachedKey(origin)
}

// cachedKey looks a key up in the cache.
func (s *Service) cachedKey(origin string) (ed25519.PublicKey, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[origin]
	return k, ok
}
