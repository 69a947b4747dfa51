package federation

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"crossguard"
)

// DefaultAnchorInterval is how often a serving node signs its audit head
// when the log has moved.
const DefaultAnchorInterval = time.Minute

// Anchor signs this node's audit heads (see crossguard.AuditHead) and
// stores them, so that the change feed gives them to every direct peer.
type Anchor struct {
	Self  string
	Key   ed25519.PrivateKey
	Store Store
	Clock crossguard.Clock
	NewID func() string
	// Interval is the least time between two signings by Tick.
	Interval time.Duration
	Logger   *slog.Logger

	last time.Time // when Tick last signed or found nothing to sign
}

// Tick signs what the log holds beyond the last own head if Interval has
// passed, by the clock, since the last Tick that did so (the first Tick
// always does). It returns the heads it stored.
func (a *Anchor) Tick(ctx context.Context) ([]*crossguard.HeldAuditHead, error) {
	now := a.Clock.Now()
	if !a.last.IsZero() && now.Sub(a.last) < a.interval() {
		return nil, nil
	}
	a.last = now
	return a.SignPending(ctx)
}

// interval returns Interval or its default.
func (a *Anchor) interval() time.Duration {
	if a.Interval <= 0 {
		return DefaultAnchorInterval
	}
	return a.Interval
}

// Run calls Tick on every tick until ctx ends, then signs what is pending
// one last time, so that a node shutting down leaves its last entries
// anchored for its peers to fetch when it comes back.
func (a *Anchor) Run(ctx context.Context, ticks <-chan time.Time) {
	for {
		select {
		case <-ctx.Done():
			if _, err := a.SignPending(context.WithoutCancel(ctx)); err != nil {
				a.logger().Error("audit heads: sign on shutdown", "err", err)
			}
			return
		case <-ticks:
			if _, err := a.Tick(ctx); err != nil && ctx.Err() == nil {
				a.logger().Error("audit heads: sign", "err", err)
			}
		}
	}
}

// logger returns the logger or a discarding one.
func (a *Anchor) logger() *slog.Logger {
	if a.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return a.Logger
}

// SignPending signs and stores heads of the entries after the last own
// head, at most crossguard.MaxHeadEntries per head, and returns them. It
// first checks that those entries continue the chain from the last own
// head and match their hashes: a log already broken is not anchored, and
// the error says where it breaks. Another process that signed the same
// entries first makes it stop without error.
func (a *Anchor) SignPending(ctx context.Context) ([]*crossguard.HeldAuditHead, error) {
	last, err := a.Store.LastOwnAuditHead(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the last audit head: %w", err)
	}
	prevSeq, prevHash := int64(0), crossguard.GenesisHash
	if last != nil {
		prevSeq, prevHash = last.Head.Seq, last.Head.Hash
	}
	var out []*crossguard.HeldAuditHead
	var run []*crossguard.AuditEntry
	flush := func() error {
		for _, h := range crossguard.HeadsOf(run) {
			held, err := a.sign(h)
			if err != nil {
				return err
			}
			if err := a.Store.AddOwnAuditHead(ctx, held); err != nil {
				return err
			}
			out = append(out, held)
		}
		run = run[:0]
		return nil
	}
	err = a.Store.WalkAuditAfter(ctx, prevSeq, func(e *crossguard.AuditEntry) error {
		switch {
		case e.Seq != prevSeq+1:
			return &crossguard.AuditBreak{Seq: prevSeq + 1, Reason: "missing from the log (not anchored)"}
		case e.PrevHash != prevHash || e.ComputeHash() != e.Hash:
			return &crossguard.AuditBreak{Seq: e.Seq, Reason: "does not continue the chain from the last audit head (not anchored)"}
		}
		prevSeq, prevHash = e.Seq, e.Hash
		run = append(run, e)
		if len(run) == crossguard.MaxHeadEntries {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if crossguard.ErrorCode(err) == crossguard.ECONFLICT {
		return out, nil
	}
	if err != nil {
		return out, fmt.Errorf("sign audit heads: %w", err)
	}
	return out, nil
}

// sign stamps and signs a head.
func (a *Anchor) sign(h *crossguard.AuditHead) (*crossguard.HeldAuditHead, error) {
	now := a.Clock.Now().UTC()
	crossguard.StampHead(h, a.NewID(), a.Self, now)
	body, err := json.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("encode audit head: %w", err)
	}
	sr, err := Sign(a.Key, body)
	if err != nil {
		return nil, err
	}
	return &crossguard.HeldAuditHead{Head: h, Signed: *sr, ReceivedAt: h.CreatedAt}, nil
}
