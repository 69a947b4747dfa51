package federation

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"crossguard"
	"crossguard/federation/fedtls"
)

// Puller pulls one peer's change feed into this node's store.
type Puller struct {
	Self   crossguard.NodeCard // this node
	PeerID string
	Store  Store
	Client *http.Client // pinned to the peer's key (see fedtls.ClientConfig)
	Keys   Keys         // public keys of known origins
	// Retired finds the keys known origins retired by key handovers; nil
	// for none.
	Retired RetiredKeys
	// KeysChanged, if set, is called after a key handover was accepted,
	// so that Keys and Retired answer with the new keys.
	KeysChanged func(ctx context.Context)
	// CertRefused, if set, is called when the peer refused the certificate
	// this node presented (see Service.clientCert).
	CertRefused func()
	Clock       crossguard.Clock
	Items       int // items asked per page; 0 means DefaultPageItems
	Bytes       int // page size asked; 0 means DefaultPageBytes
}

// PullResult says what one pull did.
type PullResult struct {
	Items      int   // items the page held
	Applied    int   // versions stored
	Withdrawn  int   // copies removed
	Refused    int   // envelopes refused
	Cursor     int64 // the cursor after the pull
	RemoteHead int64
}

// CaughtUp reports whether the pull reached the peer's head.
func (r *PullResult) CaughtUp() bool { return r.Cursor >= r.RemoteHead }

// PullOnce asks the peer for the page after the stored cursor, checks it
// and applies it. wait is the long-poll wait to ask for. A page that
// cannot be read or decoded is refused whole: nothing of it is stored,
// and the peer's status and the audit log say why.
func (p *Puller) PullOnce(ctx context.Context, wait time.Duration) (*PullResult, error) {
	peer, err := p.Store.Peer(ctx, p.PeerID)
	if err != nil {
		return nil, fmt.Errorf("pull from %s: %w", p.PeerID, err)
	}
	cursor := peer.Status.Cursor
	page, err := p.Fetch(ctx, peer, cursor, cursor, wait)
	if err != nil {
		return nil, err
	}
	return p.Apply(ctx, peer, cursor, page)
}

// Fetch asks the peer for the page after cursor, telling it that this
// node has durably applied everything up to ack (at most cursor; less
// when the page before is still being applied), and decodes it. Failures
// are recorded in the peer's status; a page that arrived but is wrong is
// refused whole, in the audit log too.
func (p *Puller) Fetch(ctx context.Context, peer *crossguard.Peer, cursor, ack int64, wait time.Duration) (*Page, error) {
	body, err := p.fetch(ctx, peer, cursor, ack, wait)
	if err != nil {
		return nil, p.fail(ctx, err)
	}
	defer body.Close()
	page, err := DecodePage(body, ReadLimit(p.pageBytes()))
	var rerr *ReadError
	if errors.As(err, &rerr) {
		// The link failed while the page arrived: a transport failure,
		// not a page to refuse.
		return nil, p.fail(ctx, fmt.Errorf("lost the link to %s while reading a page: %s", peer.Card.ID, explainNetError(rerr.Err)))
	}
	if err == nil && page.From != peer.Card.ID {
		err = fmt.Errorf("the page says it is from %s", page.From)
	}
	if err == nil && page.NextCursor < cursor {
		err = fmt.Errorf("the page moves the cursor back from %d to %d", cursor, page.NextCursor)
	}
	if err != nil {
		return nil, p.refusePage(ctx, peer, err)
	}
	return page, nil
}

// Apply checks every item of a page fetched after cursor and applies the
// page, with its new cursor, in one transaction.
func (p *Puller) Apply(ctx context.Context, peer *crossguard.Peer, cursor int64, page *Page) (*PullResult, error) {
	in, handovers := p.check(peer, page)
	if err := p.acceptHandovers(ctx, handovers, in.At); err != nil {
		return nil, p.fail(ctx, fmt.Errorf("apply the key handovers of the page after %d: %w", cursor, err))
	}
	if len(page.Items) == 0 && page.NextCursor == cursor {
		// Nothing new: note the exchange without an audit entry, so that
		// an idle link does not grow the audit log.
		if err := p.Store.NotePeerPulled(ctx, p.PeerID, page.Head, in.At); err != nil {
			return nil, fmt.Errorf("pull from %s: %w", p.PeerID, err)
		}
		return &PullResult{Cursor: cursor, RemoteHead: page.Head}, nil
	}
	if len(in.AuditHeads) > 0 {
		// A page that brings nothing but audit heads moves the cursor
		// without an audit entry, as an idle pull does: otherwise each
		// node's head would anchor the receipt of the other's, forever.
		alone := len(in.Records) == 0 && len(in.Withdrawals) == 0 && len(in.Refused) == 0
		if err := p.Store.KeepAuditHeads(ctx, in, alone); err != nil {
			return nil, p.fail(ctx, fmt.Errorf("keep the audit heads of the page after %d: %w", cursor, err))
		}
		if alone {
			return &PullResult{Items: len(page.Items), Cursor: page.NextCursor, RemoteHead: page.Head}, nil
		}
	}
	res, err := p.Store.ApplyPage(ctx, in)
	if err != nil {
		return nil, p.fail(ctx, fmt.Errorf("apply the page after %d: %w", cursor, err))
	}
	return &PullResult{Items: len(page.Items), Applied: res.Applied, Withdrawn: res.Withdrawn,
		Refused: len(in.Refused) + len(res.Refused), Cursor: page.NextCursor, RemoteHead: page.Head}, nil
}

// pageBytes is the page size asked for.
func (p *Puller) pageBytes() int { return clamp(p.Bytes, DefaultPageBytes, MaxPageBytes) }

// fetch sends the pull request and returns the body of a 200 answer.
func (p *Puller) fetch(ctx context.Context, peer *crossguard.Peer, cursor, ack int64, wait time.Duration) (io.ReadCloser, error) {
	q := url.Values{}
	q.Set("after", strconv.FormatInt(cursor, 10))
	if ack != cursor {
		q.Set("ack", strconv.FormatInt(ack, 10))
	}
	// The key this node holds for the peer, so that it signs its own
	// records with a key this node can verify (see KeyRing.KeyFor).
	q.Set("key", peer.Card.PublicKey)
	q.Set("limit", strconv.Itoa(clamp(p.Items, DefaultPageItems, MaxPageItems)))
	q.Set("max_bytes", strconv.Itoa(p.pageBytes()))
	q.Set("wait", strconv.FormatInt(wait.Milliseconds(), 10)+"ms")
	u := strings.TrimRight(peer.Card.URL, "/") + ChangesPath + "?" + q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("cannot reach %s at %s: %w", peer.Card.ID, peer.Card.URL, err)
	}
	resp, err := p.Client.Do(req)
	if err != nil && p.CertRefused != nil && fedtls.CertificateRefused(err) {
		p.CertRefused()
	}
	if err != nil {
		return nil, fmt.Errorf("cannot reach %s at %s: %s", peer.Card.ID, peer.Card.URL, explainNetError(err))
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
		return nil, fmt.Errorf("%s answered %s: %s", peer.Card.ID, resp.Status, strings.TrimSpace(string(msg)))
	}
	return resp.Body, nil
}

// check opens every item of the page and returns the page ready to apply,
// with what it refused and why, and the key handovers to accept before
// it is applied.
func (p *Puller) check(peer *crossguard.Peer, page *Page) (*crossguard.InboundPage, []*crossguard.KeyHandover) {
	in := &crossguard.InboundPage{Peer: peer.Card.ID, Cursor: page.NextCursor, RemoteHead: page.Head, At: p.Clock.Now().UTC()}
	me := p.asPeer(peer)
	// This node's own key verifies versions of its own records, so that
	// they are refused for what they are rather than for an unknown origin.
	ho := newHandoverOverlay(p)
	keys := func(origin string) (ed25519.PublicKey, bool) {
		if k, ok := ho.current[origin]; ok {
			return k, true
		}
		if origin == p.Self.ID {
			k, err := fedtls.ParsePublicKey(p.Self.PublicKey)
			return k, err == nil
		}
		return p.Keys(origin)
	}
	for _, it := range page.Items {
		if it.Withdrawal != nil {
			w := *it.Withdrawal
			if !crossguard.IsRecordID(w.ID) {
				in.Refused = append(in.Refused, crossguard.Refusal{ID: w.ID, Kind: w.Kind, Origin: w.Origin, Reason: "malformed withdrawal: the id is not a UUID"})
				continue
			}
			in.Withdrawals = append(in.Withdrawals, w)
			continue
		}
		rec, err := OpenWithHistory(it.Signed, keys, ho.retired)
		if err != nil {
			rec, err = ho.reopen(it.Signed, err, keys)
		}
		var r *Refused
		switch {
		case errors.As(err, &r):
			if !ho.ignore(r, keys) {
				in.Refused = append(in.Refused, r.Refusal)
			}
			continue
		case err != nil:
			in.Refused = append(in.Refused, crossguard.Refusal{Reason: err.Error()})
			continue
		}
		if rec.Header.Origin == p.Self.ID {
			in.Refused = append(in.Refused, refuse(&rec.Header, "a version of this node's own record").Refusal)
			continue
		}
		if why := checkPath(it.Path, rec.Header.Origin, peer.Card.ID, rec.Deleted); why != "" {
			in.Refused = append(in.Refused, refuse(&rec.Header, "malformed path: %s", why).Refusal)
			continue
		}
		rec.Path = it.Path
		if rec.Header.Kind == crossguard.KindAuditHead {
			if h, why := p.auditHead(peer, me, rec, in.At); why != "" {
				in.Refused = append(in.Refused, refuse(&rec.Header, "%s", why).Refusal)
			} else {
				in.AuditHeads = append(in.AuditHeads, h)
			}
			continue
		}
		if rec.Header.Kind == crossguard.KindKeyHandover {
			if why := ho.take(rec, keys); why != "" {
				in.Refused = append(in.Refused, refuse(&rec.Header, "%s", why).Refusal)
				continue
			}
		}
		if !rec.Deleted && !slices.Contains(it.Path, p.Self.ID) {
			// A looped offer (its path runs through this node) stores no
			// content: the store only drops the sender's support.
			if ok, why := crossguard.MayShare(peer.Card.ID, me, &rec.Header); !ok {
				in.Refused = append(in.Refused, refuse(&rec.Header, "outside the sharing policy: %s", why).Refusal)
				continue
			}
		}
		in.Records = append(in.Records, rec)
	}
	return in, ho.accepted
}

// asPeer describes this node as the peer sees it, for checking that what
// the peer sent was its to send: the record's own rules (distribution,
// recipients, TLP) decide, whatever the peer's kinds and ceiling.
func (p *Puller) asPeer(peer *crossguard.Peer) *crossguard.Peer {
	rel := crossguard.RelPartner
	if peer.Card.Agency == p.Self.Agency {
		rel = crossguard.RelAgency
	}
	return &crossguard.Peer{Card: p.Self, Relationship: rel, Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPRed}
}

// refusePage records a page refused whole, in the audit log and the
// peer's status (as its last error and as a refusal kept until an
// operator acknowledges it), without moving the cursor: nothing of it is
// stored and it is not a successful exchange.
func (p *Puller) refusePage(ctx context.Context, peer *crossguard.Peer, cause error) error {
	at := p.Clock.Now().UTC()
	msg := fmt.Sprintf("page refused: %v (from %s, after cursor %d; nothing of it was stored)", cause, peer.Card.ID, peer.Status.Cursor)
	e := &crossguard.AuditEntry{At: at, Actor: peer.Card.ID, Action: crossguard.ActionFedRefuse,
		Outcome: crossguard.OutcomeDenied, Detail: msg}
	if err := p.Store.AppendAudit(ctx, e); err != nil {
		return fmt.Errorf("%s; and auditing it failed: %w", msg, err)
	}
	if err := p.Store.NotePeerError(ctx, p.PeerID, msg, at); err != nil {
		return fmt.Errorf("%s; and recording it failed: %w", msg, err)
	}
	if err := p.Store.NotePeerRefusal(ctx, p.PeerID, crossguard.Refusal{Reason: msg}, at); err != nil {
		return fmt.Errorf("%s; and recording it failed: %w", msg, err)
	}
	return errors.New(msg)
}

// fail records a failed exchange in the peer's status and returns err.
func (p *Puller) fail(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return err
	}
	if nerr := p.Store.NotePeerError(ctx, p.PeerID, err.Error(), p.Clock.Now().UTC()); nerr != nil {
		return fmt.Errorf("%w (and recording it failed: %v)", err, nerr)
	}
	return err
}

// checkPath checks the path of an offered record version: origin first,
// the sending peer last, no node twice, every entry a node id, at most
// MaxPathLength long. Tombstones may come without one. It returns what is
// wrong, or "".
func checkPath(path []string, origin, sender string, deleted bool) string {
	switch {
	case len(path) == 0 && deleted:
		return ""
	case len(path) == 0:
		return "none given"
	case len(path) > MaxPathLength:
		return fmt.Sprintf("%d nodes, more than %d", len(path), MaxPathLength)
	case path[0] != origin:
		return fmt.Sprintf("starts at %s, not at the origin %s", path[0], origin)
	case path[len(path)-1] != sender:
		return fmt.Sprintf("ends at %s, not at the sender %s", path[len(path)-1], sender)
	}
	seen := make(map[string]bool, len(path))
	for _, n := range path {
		if !nodeIDPattern.MatchString(n) || seen[n] {
			return fmt.Sprintf("%q is not a node id or appears twice", n)
		}
		seen[n] = true
	}
	return ""
}
