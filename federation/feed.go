package federation

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"crossguard"
)

// Feed serves this node's change feed to its peers, each filtered by the
// sharing policy for that peer.
type Feed struct {
	Self string // this node's id
	Key  ed25519.PrivateKey
	// Ring, if set, returns this node's keys at each page, so that a key
	// rotated while the node serves signs at once; otherwise Key signs.
	Ring  func() *KeyRing
	Store Store
	Clock crossguard.Clock
	// Poll is how often a long-polling request looks for new changes.
	Poll time.Duration
}

// PageRequest is what a peer asks for: changes after a cursor, at most
// Items of them and about Bytes of page, waiting up to Wait for a change
// when there is none.
type PageRequest struct {
	After int64
	// Ack is the cursor up to which the peer has durably applied the
	// feed: After, unless it asks for the next page while still applying
	// the one before.
	Ack int64
	// Holds is the key the peer holds for this node (base64, as on
	// cards), which its own records are signed with for it; "" if unsaid.
	Holds string
	Items int
	Bytes int
	Wait  time.Duration
}

// scanFactor bounds how many changes one page reads, as a multiple of its
// item budget, so that a peer allowed few records still gets an answer
// (with an advanced cursor) in bounded time.
const scanFactor = 10

// maxPolicyRebuilds bounds how many times Page builds a page again because
// the peer's policy changed while it was built; after that the peer gets
// an error and asks again.
const maxPolicyRebuilds = 5

// Page returns the encoded page of changes after req.After for the peer
// id, waiting up to req.Wait when there are none, and records what it
// serves in the peer's shares before returning it.
//
// Each build reads the peer's policy afresh, so a policy changed during a
// long-poll takes effect on the very next page; and RecordServed checks,
// in the transaction that records the page, that the policy is still the
// one the page was built with, or the page is built again (see
// docs/federation.md, "When a policy changes"). A page that moves the
// cursor without serving anything is checked the same way: the records it
// passed over may be ones the new policy sends.
func (f *Feed) Page(ctx context.Context, id string, req PageRequest) ([]byte, error) {
	req.Items = clamp(req.Items, DefaultPageItems, MaxPageItems)
	req.Bytes = clamp(req.Bytes, DefaultPageBytes, MaxPageBytes)
	poll := f.Poll
	if poll <= 0 {
		poll = 200 * time.Millisecond
	}
	// The peer has durably applied every change up to req.Ack,
	// withdrawals included.
	if err := f.Store.AckServed(ctx, id, min(req.Ack, req.After)); err != nil {
		return nil, fmt.Errorf("acknowledge what %s applied: %w", id, err)
	}
	deadline := f.Clock.Now().Add(req.Wait)
	for rebuilds := 0; ; {
		peer, err := ServedPeer(ctx, f.Store, f.Self, id)
		if err != nil {
			return nil, err
		}
		page, err := f.build(ctx, peer, req)
		if code := crossguard.ErrorCode(err); code == crossguard.ECONFLICT && rebuilds < maxPolicyRebuilds {
			rebuilds++
			continue
		}
		if err != nil {
			return nil, err
		}
		if page.items > 0 || page.next > req.After || !f.Clock.Now().Before(deadline) {
			return page.encode(f.Self), nil
		}
		select {
		case <-ctx.Done():
			return page.encode(f.Self), nil
		case <-time.After(min(poll, time.Until(deadline))):
		}
	}
}

// ServedPeer reads the peer id that asks this node (self) for its feed,
// failing with EFORBIDDEN if it is not, or no longer, a peer this node
// serves.
func ServedPeer(ctx context.Context, store crossguard.PeerStore, self, id string) (*crossguard.Peer, error) {
	peer, err := store.Peer(ctx, id)
	if crossguard.ErrorCode(err) == crossguard.ENOTFOUND {
		return nil, crossguard.Errorf(crossguard.EFORBIDDEN, "%s is no longer a peer of %s", id, self)
	}
	if err != nil {
		return nil, err
	}
	if peer.OriginOnly {
		return nil, crossguard.Errorf(crossguard.EFORBIDDEN, "%s knows %s only as an origin of relayed records and does not exchange with it directly", self, id)
	}
	return peer, nil
}

// clamp returns v bounded to [1, hi], or def if v is not positive.
func clamp(v, def, hi int) int {
	if v <= 0 {
		return def
	}
	return min(v, hi)
}

// builtPage is a page being encoded.
type builtPage struct {
	body  []byte // the items, comma-separated
	items int
	next  int64
	head  int64
}

// encode frames the items as a page.
func (p *builtPage) encode(from string) []byte {
	id, _ := json.Marshal(from)
	out := make([]byte, 0, len(p.body)+128)
	out = fmt.Appendf(out, `{"protocol":%d,"from":%s,"items":[`, crossguard.ProtocolVersion, id)
	out = append(out, p.body...)
	out = append(out, `],"next_cursor":`...)
	out = strconv.AppendInt(out, p.next, 10)
	out = append(out, `,"head":`...)
	out = strconv.AppendInt(out, p.head, 10)
	return append(out, '}')
}

// build reads changes after req.After and keeps those the peer gets: the
// versions the policy lets it have, tombstones of records it may hold, and
// withdrawals of records it may hold but no longer may.
func (f *Feed) build(ctx context.Context, peer *crossguard.Peer, req PageRequest) (*builtPage, error) {
	if err := f.checkRing(ctx); err != nil {
		return nil, err
	}
	p := &builtPage{next: req.After}
	var sent, withdrawn []crossguard.Share
	batch := min(req.Items, MaxPageItems)
	for scanned := 0; scanned < scanFactor*req.Items && p.items < req.Items; {
		changes, head, err := f.Store.Changes(ctx, p.next, batch)
		if err != nil {
			return nil, fmt.Errorf("read the change feed after %d: %w", p.next, err)
		}
		p.head = head
		if len(changes) == 0 {
			break
		}
		scanned += len(changes)
		ids := make([]string, len(changes))
		for i, c := range changes {
			ids[i] = c.Header.ID
		}
		shared, err := f.Store.SharedWith(ctx, peer.Card.ID, ids)
		if err != nil {
			return nil, fmt.Errorf("read what %s may hold: %w", peer.Card.ID, err)
		}
		full := false
		for _, c := range changes {
			item, sh, share, err := f.item(peer, c, shared, req.Holds)
			if err != nil {
				return nil, err
			}
			if item != nil {
				if p.items > 0 && len(p.body)+len(item)+1 > req.Bytes || p.items == req.Items {
					full = true
					break
				}
				if p.items > 0 {
					p.body = append(p.body, ',')
				}
				p.body = append(p.body, item...)
				p.items++
				if share && c.Header.Kind != crossguard.KindAuditHead {
					// Audit heads are never withdrawn nor deleted, so a
					// peer's share of them need not be kept, and serving
					// them is not audited (see crossguard.AuditHeadStore).
					sent = append(sent, sh)
				} else if !share {
					withdrawn = append(withdrawn, sh)
				}
			}
			p.next = c.Seq
		}
		if full || len(changes) < batch {
			break
		}
	}
	// A page that serves nothing and leaves the cursor where it was needs
	// no check: the peer asks for the same changes again.
	if p.items > 0 || p.next > req.After {
		err := f.Store.RecordServed(ctx, peer.Card.ID, peer.PolicyVersion, sent, withdrawn, f.Clock.Now().UTC())
		if err != nil {
			return nil, fmt.Errorf("record what was served to %s: %w", peer.Card.ID, err)
		}
	}
	return p, nil
}

// item returns the encoded page item for change c, if the peer gets one;
// the share it gives the peer, and whether it is a version the peer may
// hold (rather than a withdrawal, whose share says why).
func (f *Feed) item(peer *crossguard.Peer, c *crossguard.Change, shared map[string]int64, holds string) ([]byte, crossguard.Share, bool, error) {
	var none crossguard.Share
	_, held := shared[c.Header.ID]
	if f.skipHandover(c, holds) {
		return nil, none, false, nil
	}
	it := Item{Seq: c.Seq, Type: ItemRecord}
	ok, why := crossguard.MayShare(f.Self, peer, &c.Header)
	if ok && slices.Contains(c.Path, peer.Card.ID) {
		// This node's copy came through the peer: offering it back would
		// make each copy support the other.
		ok, why = false, "this node's copy came through "+peer.Card.ID
	}
	switch {
	case c.State == crossguard.StateLive && ok:
		s, err := f.signed(c, holds)
		if err != nil || s == nil {
			return nil, none, false, err
		}
		it.Signed = s
		it.Path = append(slices.Clip(c.Path), f.Self)
	case c.State == crossguard.StateDeleted && held:
		s, err := f.signed(c, holds)
		if err != nil || s == nil {
			return nil, none, false, err
		}
		it.Signed = s
	case held:
		if c.State == crossguard.StateWithdrawn {
			why = "this node no longer holds it"
		}
		it.Type = ItemWithdrawal
		it.Withdrawal = &crossguard.Withdrawal{ID: c.Header.ID, Kind: c.Header.Kind, Origin: c.Header.Origin, Reason: why}
	default:
		return nil, none, false, nil
	}
	if it.Type == ItemRecord {
		return encodeRecordItem(&it), crossguard.Share{ID: c.Header.ID, Version: c.Header.Version}, true, nil
	}
	b, err := json.Marshal(it)
	if err != nil {
		return nil, none, false, fmt.Errorf("encode change %d: %w", c.Seq, err)
	}
	return b, crossguard.Share{ID: c.Header.ID, Seq: c.Seq, Reason: why}, false, nil
}

// encodeRecordItem writes a record item by hand: json.Marshal would check
// and compact the signed record again, which is canonical JSON already.
func encodeRecordItem(it *Item) []byte {
	b := make([]byte, 0, len(it.Signed.Record)+len(it.Signed.Signature)+64+32*len(it.Path))
	b = append(b, `{"seq":`...)
	b = strconv.AppendInt(b, it.Seq, 10)
	b = append(b, `,"type":"record","signed":{"record":`...)
	b = append(b, it.Signed.Record...)
	b = append(b, `,"sig":`...)
	b = strconv.AppendQuote(b, it.Signed.Signature)
	b = append(b, '}')
	if len(it.Path) > 0 {
		b = append(b, `,"path":[`...)
		for i, n := range it.Path {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendQuote(b, n)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// signed returns the signed version of a change: the stored origin's
// signature for a received record, a fresh signature for an own one. A
// received record without its signature (which a store should never
// return) is skipped rather than served unsigned. holds is the key the
// peer holds for this node (see KeyRing.KeyFor).
func (f *Feed) signed(c *crossguard.Change, holds string) (*crossguard.SignedRecord, error) {
	if c.Header.Origin != f.Self {
		return c.Signed, nil
	}
	body := []byte(c.Body)
	if c.State == crossguard.StateDeleted {
		var err error
		if body, err = TombstoneJSON(c.Header); err != nil {
			return nil, err
		}
	}
	if len(body) == 0 {
		return nil, fmt.Errorf("change %d: own record %s has no body", c.Seq, c.Header.ID)
	}
	return Sign(f.signingKey(holds, &c.Header), body)
}
