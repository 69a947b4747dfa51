package federation

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"crossguard"
)

// AuditHeadsPath is the endpoint that returns the signed audit heads the
// answering node holds whose origin is the asking peer.
const AuditHeadsPath = "/federation/v1/audit-heads"

// Page sizes of the audit-heads endpoint, in heads.
const (
	DefaultHeadsPage = 500
	MaxHeadsPage     = 2000
)

// HeldHead is a signed audit head as the audit-heads endpoint returns it:
// the signed record as its origin signed it, and when the answering node
// stored it.
type HeldHead struct {
	Signed     crossguard.SignedRecord `json:"signed"`
	ReceivedAt time.Time               `json:"received_at"`
}

// HeadsPage is one page of the audit-heads endpoint, by first entry:
// NextAfter is the after to ask for next, 0 on the last page.
type HeadsPage struct {
	Protocol  int        `json:"protocol"`
	From      string     `json:"from"`
	Heads     []HeldHead `json:"heads"`
	NextAfter int64      `json:"next_after"`
}

// auditHead checks an audit head offered by peer: never a tombstone, and
// only the peer's own (MayShare: heads are not relayed). It returns the
// head ready to keep, or why it is refused.
func (p *Puller) auditHead(peer, me *crossguard.Peer, rec *crossguard.Incoming, at time.Time) (*crossguard.HeldAuditHead, string) {
	if rec.Deleted {
		return nil, "an audit head is never deleted"
	}
	if ok, why := crossguard.MayShare(peer.Card.ID, me, &rec.Header); !ok {
		return nil, "outside the sharing policy: " + why
	}
	h, err := crossguard.DecodeAuditHead(rec.Signed.Record, &rec.Header)
	if err != nil {
		return nil, flattenWrapped(err)
	}
	return &crossguard.HeldAuditHead{Head: h, Signed: rec.Signed, Via: peer.Card.ID, ReceivedAt: at}, ""
}

// serveAuditHeads answers GET AuditHeadsPath for peer: the heads this node
// holds that peer signed, a page at a time (after, limit).
func (h *Handler) serveAuditHeads(w http.ResponseWriter, r *http.Request, peer *crossguard.Peer) error {
	q := r.URL.Query()
	after, limit := int64(0), int64(DefaultHeadsPage)
	for name, dst := range map[string]*int64{"after": &after, "limit": &limit} {
		if s := q.Get(name); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 0 {
				return crossguard.Errorf(crossguard.EINVALID, "%s=%q is not a non-negative integer", name, s)
			}
			*dst = n
		}
	}
	limit = max(1, min(limit, MaxHeadsPage))
	heads, err := h.Feed.Store.AuditHeadsOf(r.Context(), peer.Card.ID, after, int(limit))
	if err != nil {
		return err
	}
	page := HeadsPage{Protocol: crossguard.ProtocolVersion, From: h.Card.ID, Heads: make([]HeldHead, len(heads))}
	for i, hh := range heads {
		page.Heads[i] = HeldHead{Signed: hh.Signed, ReceivedAt: hh.ReceivedAt}
	}
	if len(heads) > 0 {
		page.NextAfter = heads[len(heads)-1].Head.FirstSeq
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// AuditHeads asks the peer for every audit head of this node it holds,
// page by page, over the puller's pinned link.
func (p *Puller) AuditHeads(ctx context.Context, peer *crossguard.Peer) ([]HeldHead, error) {
	var out []HeldHead
	after := int64(0)
	for pages := 0; ; pages++ {
		if pages > 1<<20 {
			return nil, fmt.Errorf("%s: more audit-head pages than any log needs", peer.Card.ID)
		}
		q := url.Values{"after": {strconv.FormatInt(after, 10)}, "limit": {strconv.Itoa(DefaultHeadsPage)}}
		u := strings.TrimRight(peer.Card.URL, "/") + AuditHeadsPath + "?" + q.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, fmt.Errorf("cannot reach %s at %s: %w", peer.Card.ID, peer.Card.URL, err)
		}
		resp, err := p.Client.Do(req)
		if err != nil {
			return nil, fmt.Errorf("cannot reach %s at %s: %s", peer.Card.ID, peer.Card.URL, explainNetError(err))
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, int64(MaxHeadsPage)*(32<<10)))
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("read the audit heads %s holds: %s", peer.Card.ID, explainNetError(err))
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s answered %s: %s", peer.Card.ID, resp.Status, strings.TrimSpace(string(body[:min(len(body), 2048)])))
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		var page HeadsPage
		if err := dec.Decode(&page); err != nil {
			return nil, fmt.Errorf("malformed audit heads from %s: %v", peer.Card.ID, err)
		}
		if page.From != peer.Card.ID {
			return nil, fmt.Errorf("the audit heads from %s say they are from %s", peer.Card.ID, page.From)
		}
		out = append(out, page.Heads...)
		if len(page.Heads) == 0 || page.NextAfter <= after {
			return out, nil
		}
		after = page.NextAfter
	}
}

// OpenAuditHead checks that a held head is signed by key (the node's own)
// and decodes it. It returns a *Refused saying why when it is not a head
// of that key's node, or not a well-formed head.
func OpenAuditHead(sr *crossguard.SignedRecord, self string, key ed25519.PublicKey, retired RetiredKeys) (*crossguard.AuditHead, error) {
	in, err := OpenWithHistory(sr, func(origin string) (ed25519.PublicKey, bool) { return key, origin == self }, retired)
	if err != nil {
		return nil, err
	}
	if in.Header.Kind != crossguard.KindAuditHead || in.Deleted {
		return nil, refuse(&in.Header, "not an audit head but a %s record", in.Header.Kind)
	}
	h, err := crossguard.DecodeAuditHead(in.Signed.Record, &in.Header)
	if err != nil {
		return nil, refuse(&in.Header, "%s", flattenWrapped(err))
	}
	return h, nil
}

// HeadFile is what `crossguard audit head` prints, for a node without
// peers to keep elsewhere: every audit head the node signed. Verifying it
// uses the node's own key, never the one the file names.
type HeadFile struct {
	Node      string     `json:"node"`
	PublicKey string     `json:"public_key"`
	Heads     []HeldHead `json:"heads"`
}
