package crossguard

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Record states in the change feed.
const (
	StateLive      = "live"      // the record's current version is held
	StateDeleted   = "deleted"   // the origin deleted it: a tombstone signed by the origin
	StateWithdrawn = "withdrawn" // a copy this node was told it may no longer hold
)

// KindAnnotation is the kind of a comment by one node on another node's
// record. It is a record of its own, owned by the annotating node.
const KindAnnotation = "annotation"

// SignedRecord is a record version exactly as its origin signed it: the
// RFC 8785 canonical JSON of the record and the origin's Ed25519 signature
// over those bytes. Relays pass it on unchanged.
type SignedRecord struct {
	Record    json.RawMessage `json:"record"`
	Signature string          `json:"sig"` // base64 of the 64-byte signature
}

// Change is one record of the change feed, in its state as of its latest
// change sequence number. A record appears in the feed once, at the last
// change that touched it.
type Change struct {
	Seq    int64
	Header Header
	State  string
	// Body is the JSON of an own live record, from which the node signs
	// the envelope it serves; nil otherwise.
	Body json.RawMessage
	// Signed is the origin's signed version of a record received from a
	// peer (live or deleted); nil for own records and withdrawn copies.
	Signed *SignedRecord
	// Via is the peer a received record came from; "" for own records.
	Via string
	// Path is the nodes a live received record passed through to reach
	// this node, origin first and Via last; nil for own records (the feed
	// serves them with the path of this node alone).
	Path []string
}

// Share is a record version served to a peer, which the peer may from then
// on hold, or a withdrawal served to it.
type Share struct {
	ID      string
	Version int64
	// Seq is the change sequence number at which a withdrawal was served;
	// the share stays until the peer has pulled past it (AckServed).
	Seq int64
	// Reason says why a withdrawal was served (the rule that no longer
	// lets the peer hold the record), for its audit entry.
	Reason string
}

// Incoming is one record version received from a peer whose origin, signature
// and policy the federation layer has checked.
type Incoming struct {
	Header  Header
	Deleted bool
	// Seizure is the decoded record when Kind is seizure and not Deleted.
	Seizure *Seizure
	// Target is the id of the record an annotation refers to.
	Target string
	Signed SignedRecord
	// Path is the nodes the version passed through, origin first and the
	// sending peer last. If it holds this node, the sender's copy depends
	// on this node's: a loop, which the store treats as that sender
	// withdrawing its support.
	Path []string
}

// Withdrawal tells a receiver that it may no longer hold its copy of a
// record, for the reason given.
type Withdrawal struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Origin string `json:"origin"`
	Reason string `json:"reason"`
}

// Refusal is an envelope refused, with the reason in words.
type Refusal struct {
	ID     string // the record id, when the envelope had a readable one
	Kind   string
	Origin string
	Reason string
}

// InboundPage is one page of a peer's feed, checked and ready to apply.
type InboundPage struct {
	Peer        string // the peer's node id
	Records     []*Incoming
	Withdrawals []Withdrawal
	// Refused are envelopes the federation layer refused; the store audits
	// them in the same transaction.
	Refused []Refusal
	// AuditHeads are the peer's own signed audit heads, which
	// AuditHeadStore.KeepAuditHeads stores (ApplyPage leaves them).
	AuditHeads []*HeldAuditHead
	Cursor     int64 // the peer's cursor after this page
	RemoteHead int64 // the peer's head as the page reported it
	At         time.Time
}

// ApplyResult counts what applying a page did.
type ApplyResult struct {
	Applied   int       // new versions stored
	Unchanged int       // versions already held (a page delivered twice)
	Withdrawn int       // copies removed on a withdrawal (or a loop that left them without support)
	Looped    int       // offers ignored because their path runs through this node
	Refused   []Refusal // refused by the store: older versions, id of another origin, withdrawal from a peer that did not send the copy
}

// FeedStore is the change feed of a node and the exchange state behind it.
type FeedStore interface {
	// Changes returns up to limit records whose latest change is after
	// the cursor, in change order, and the node's last change sequence
	// number.
	Changes(ctx context.Context, after int64, limit int) ([]*Change, int64, error)
	// SharedWith returns, among ids, the records the peer may hold: with
	// the version last served to it, or 0 when a withdrawal was served but
	// the peer has not yet pulled past it (it may still hold the record).
	SharedWith(ctx context.Context, peer string, ids []string) (map[string]int64, error)
	// SharedIDs returns every record the peer may hold, withdrawals not yet
	// acknowledged included.
	SharedIDs(ctx context.Context, peer string) ([]string, error)
	// RecordServed records, in one transaction, the versions served to a
	// peer (clearing any pending withdrawal of them) and the withdrawals
	// served to it (each marked pending at its Seq, the share kept), counts
	// them in its status, sets its last_served time, and audits the page
	// (one entry for the versions, one per withdrawal).
	//
	// policy is the peer's policy version the page was built with. The
	// store checks in the same transaction, serialised with PutPeer, that
	// it is still the peer's; if not, it records nothing and fails with
	// ECONFLICT, and the feed builds the page again. A page that serves
	// nothing but moves the peer's cursor past changes it does not get is
	// checked too (sent and withdrawn empty): it records nothing, and the
	// check needs no write. ENOTFOUND if the peer is unknown.
	RecordServed(ctx context.Context, peer string, policy int64, sent []Share, withdrawn []Share, at time.Time) error
	// AckServed forgets the peer's shares whose withdrawal was served at
	// or before cursor: the peer asking for changes after cursor has
	// durably applied them.
	AckServed(ctx context.Context, peer string, cursor int64) error
	// Touch gives records the next change sequence numbers so that the feed
	// serves them again, after a policy change, without changing them.
	Touch(ctx context.Context, ids []string) error
	// ApplyPage applies a page in one transaction: stores newer versions
	// (indexing seizures as local writes do, with the signed record and the
	// peer it came via), removes withdrawn copies, refuses older versions,
	// advances the peer's cursor and status, and audits all of it. Every
	// record it stores or removes takes the next change sequence number, so
	// that it flows on to other peers. Applying a page twice changes
	// nothing the second time.
	ApplyPage(ctx context.Context, p *InboundPage) (*ApplyResult, error)
}

// Record is a shareable record of a kind that has no table of its own
// (annotations so far): its header, the record it refers to, and the whole
// record's JSON.
type Record struct {
	Header
	Target string          `json:"-"`
	Body   json.RawMessage `json:"-"`
}

// RecordStore keeps records of kinds without a table of their own.
type RecordStore interface {
	// CreateRecord stores a new own record (version 1) and audits it.
	CreateRecord(ctx context.Context, actor string, r *Record) error
	// Record returns a live record, or ENOTFOUND.
	Record(ctx context.Context, id string) (*Record, error)
	// RecordsAbout lists the live records of a kind that refer to target,
	// oldest first.
	RecordsAbout(ctx context.Context, kind, target string) ([]*Record, error)
}

// RecordEditor changes and lists records of the record store. A store
// gains it with the profiles of risk targeting.
type RecordEditor interface {
	// UpdateRecord replaces an own live record whose stored version is
	// r.Version-1 with r, gives it the next change sequence number and
	// audits it; EPRECONDITIONFAILED if the stored version differs,
	// ENOTFOUND if there is no live record r.ID.
	UpdateRecord(ctx context.Context, actor string, r *Record) error
	// DeleteRecord replaces an own record with a tombstone at version
	// ifVersion+1 (ifVersion 0: whatever is stored), which the change feed
	// carries to every peer that may hold it.
	DeleteRecord(ctx context.Context, actor, id string, ifVersion int64, at time.Time) error
	// RecordsOfKind lists the live records of a kind, oldest first (ties
	// by id), received ones included.
	RecordsOfKind(ctx context.Context, kind string) ([]*Record, error)
}

// RefusalSummary says in words what was refused from a peer, for its
// status: how many envelopes and each distinct reason, e.g. "refused 3
// envelopes from cn-customs/tashkurgan: signed by a key that is not the
// origin's". It returns "" when nothing was refused.
func RefusalSummary(peer string, rs []Refusal) string {
	if len(rs) == 0 {
		return ""
	}
	var reasons []string
	for _, r := range rs {
		if !slices.Contains(reasons, r.Reason) {
			reasons = append(reasons, r.Reason)
		}
	}
	noun := "envelopes"
	if len(rs) == 1 {
		noun = "envelope"
	}
	return fmt.Sprintf("refused %d %s from %s: %s", len(rs), noun, peer, strings.Join(reasons, "; "))
}
