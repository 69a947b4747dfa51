package federation

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"time"

	"crossguard"
	"crossguard/federation/fedtls"
)

// refusalPause is the pause after a page with refused envelopes.
const refusalPause = time.Second

// running is a puller loop and what it was started for.
type running struct {
	url, key string
	stop     context.CancelFunc
	done     chan struct{}
}

// managePullers keeps one puller running per direct peer, restarting it
// when the peer's card changes, until ctx ends.
func (s *Service) managePullers(ctx context.Context) {
	loops := map[string]*running{}
	defer func() {
		for _, r := range loops {
			r.stop()
			<-r.done
		}
	}()
	for {
		if err := s.reloadKeys(ctx); err != nil && ctx.Err() == nil {
			s.Logger.Error("federation: reload peers", "err", err)
		}
		peers, err := s.Store.Peers(ctx)
		if err == nil {
			seen := map[string]bool{}
			for _, p := range peers {
				if p.OriginOnly {
					continue
				}
				seen[p.Card.ID] = true
				r := loops[p.Card.ID]
				if r != nil && r.url == p.Card.URL && r.key == p.Card.PublicKey {
					continue
				}
				if r != nil {
					r.stop()
					<-r.done
				}
				if loops[p.Card.ID], err = s.startPuller(ctx, p); err != nil {
					s.Logger.Error("federation: start pulling", "peer", p.Card.ID, "err", err)
					delete(loops, p.Card.ID)
				}
			}
			for id, r := range loops {
				if !seen[id] {
					r.stop()
					<-r.done
					delete(loops, id)
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(s.Reload):
		}
	}
}

// startPuller starts the pull loop of one peer.
func (s *Service) startPuller(ctx context.Context, p *crossguard.Peer) (*running, error) {
	pl, err := s.NewPuller(ctx, p)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithCancel(ctx)
	r := &running{url: p.Card.URL, key: p.Card.PublicKey, stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		defer pl.Client.CloseIdleConnections()
		s.pullLoop(pctx, pl)
	}()
	return r, nil
}

// NewPuller returns a puller of peer p over mutual TLS, pinned to the key
// on its card.
func (s *Service) NewPuller(ctx context.Context, p *crossguard.Peer) (*Puller, error) {
	if err := s.init(ctx); err != nil {
		return nil, err
	}
	key, err := fedtls.ParsePublicKey(p.Card.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("card of %s: %w", p.Card.ID, err)
	}
	id := p.Card.ID
	tr := &http.Transport{
		TLSClientConfig:       fedtls.RotatingClientConfig(func() (*tls.Certificate, error) { return s.clientCert(id) }, key, s.peerKeyAccepted(id), id),
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 15 * time.Second}).DialContext,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: s.Wait + 15*time.Second,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &Puller{Self: s.Card, PeerID: p.Card.ID, Store: s.Store, Keys: s.Keys, Retired: s.retiredKeys,
		KeysChanged: func(ctx context.Context) { s.keysChanged(ctx) }, CertRefused: func() { s.certRefused(id) }, Clock: s.Clock,
		Client: &http.Client{Transport: tr, Timeout: s.Wait + 2*time.Minute}, Items: s.Items, Bytes: s.Bytes}, nil
}

// pullLoop pulls from one peer until ctx ends: at once while behind,
// long-polling when caught up, and backing off (up to MaxBackoff) after a
// failure so that a link that comes back is used again within seconds.
// While behind, it fetches the next page while it applies the current
// one; the next request tells the peer only the cursor already durable.
func (s *Service) pullLoop(ctx context.Context, pl *Puller) {
	backoff := time.Duration(0)
	wait := time.Duration(0)
	var ahead *prefetch
	defer func() { ahead.discard() }()
	for ctx.Err() == nil {
		res, next, err := s.pullStep(ctx, pl, ahead, wait)
		ahead = next
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			backoff = min(max(2*backoff, 500*time.Millisecond), s.MaxBackoff)
			s.Logger.Warn("federation: pull failed", "peer", pl.PeerID, "err", err, "retry_in", backoff)
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			wait = 0
			continue
		}
		backoff = 0
		if res.Applied > 0 || res.Withdrawn > 0 || res.Refused > 0 {
			s.Logger.Info("federation: pulled", "peer", pl.PeerID, "applied", res.Applied, "withdrawn", res.Withdrawn,
				"refused", res.Refused, "cursor", res.Cursor, "head", res.RemoteHead)
		}
		wait = 0
		if res.CaughtUp() {
			wait = s.Wait
		}
		if res.Refused > 0 {
			// A peer that sends what this node refuses does not get to
			// grow the audit log as fast as it can answer.
			ahead.discard()
			ahead = nil
			select {
			case <-ctx.Done():
				return
			case <-time.After(refusalPause):
			}
		}
	}
}

// prefetch is a page being fetched ahead, after cursor.
type prefetch struct {
	cursor int64
	done   chan struct{}
	page   *Page
	err    error
	cancel context.CancelFunc
}

// discard abandons a prefetch and waits for it to end.
func (f *prefetch) discard() {
	if f != nil {
		f.cancel()
		<-f.done
	}
}

// pullStep applies one page: the prefetched one if it follows the stored
// cursor, else one fetched now. It starts fetching the page after it
// when the peer has more, and returns that prefetch.
func (s *Service) pullStep(ctx context.Context, pl *Puller, ahead *prefetch, wait time.Duration) (*PullResult, *prefetch, error) {
	peer, err := pl.Store.Peer(ctx, pl.PeerID)
	if err != nil {
		ahead.discard()
		return nil, nil, fmt.Errorf("pull from %s: %w", pl.PeerID, err)
	}
	cursor := peer.Status.Cursor
	var page *Page
	if ahead != nil && ahead.cursor == cursor {
		<-ahead.done
		page, err = ahead.page, ahead.err
		ahead.cancel()
	} else {
		ahead.discard()
		page, err = pl.Fetch(ctx, peer, cursor, cursor, wait)
	}
	if err != nil {
		return nil, nil, err
	}
	var next *prefetch
	if page.NextCursor > cursor && page.NextCursor < page.Head {
		fctx, cancel := context.WithCancel(ctx)
		next = &prefetch{cursor: page.NextCursor, done: make(chan struct{}), cancel: cancel}
		go func() {
			defer close(next.done)
			next.page, next.err = pl.Fetch(fctx, peer, next.cursor, cursor, 0)
		}()
	}
	res, err := pl.Apply(ctx, peer, cursor, page)
	if err != nil {
		next.discard()
		return nil, nil, err
	}
	return res, next, nil
}
