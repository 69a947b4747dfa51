package crossguard

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"crossguard/canonjson"
)

// KindKeyHandover is the kind of a node's key handover: the statement,
// signed by the node's old key and by its new one, that the new key
// replaces the old. It travels in the change feed to every peer whatever
// its sharing policy (see MayShare) and is relayed, like a network record,
// so that nodes that know the origin only from relayed records learn it
// too. It is not among ShareableKinds: no peer policy names it.
const KindKeyHandover = "key_handover"

// KeyHandover is a key handover record. The envelope's signature, by the
// old key, covers all of it; NewKeySignature, by the new key, covers
// Statement and proves that the node holds the new key.
type KeyHandover struct {
	Header
	OldKey string `json:"old_key"` // base64 of the retired Ed25519 public key
	NewKey string `json:"new_key"` // base64 of the Ed25519 public key that replaces it
	// GraceUntil ends the grace period during which the node still
	// presents its old key's certificate on federation links, and its
	// peers accept either key there.
	GraceUntil      time.Time `json:"grace_until"`
	NewKeySignature string    `json:"new_key_sig"` // base64 of the new key's signature over Statement
}

// handoverStatement is what the new key signs.
type handoverStatement struct {
	Statement  string    `json:"statement"`
	Node       string    `json:"node"`
	OldKey     string    `json:"old_key"`
	NewKey     string    `json:"new_key"`
	At         time.Time `json:"at"`
	GraceUntil time.Time `json:"grace_until"`
}

// Statement returns the bytes the new key signs: the RFC 8785 canonical
// JSON of {statement: "crossguard key handover", node, old_key, new_key,
// at, grace_until}, at being the handover's time (its updated_at).
func (k *KeyHandover) Statement() []byte {
	b, err := json.Marshal(handoverStatement{Statement: "crossguard key handover", Node: k.Origin, OldKey: k.OldKey,
		NewKey: k.NewKey, At: k.UpdatedAt.UTC(), GraceUntil: k.GraceUntil.UTC()})
	if err != nil {
		panic(err) // strings and times always encode
	}
	canon, err := canonjson.Canonicalize(b)
	if err != nil {
		panic(err)
	}
	return canon
}

// NewKeyHandover returns the handover, at time at, of node from old to
// new, with the grace period ending at graceUntil, signed by new (the
// envelope's signature by old is made where the record is served).
func NewKeyHandover(id, node string, old, new ed25519.PrivateKey, at, graceUntil time.Time) *KeyHandover {
	k := &KeyHandover{
		Header: Header{ID: id, Kind: KindKeyHandover, Origin: node, Version: 1, CreatedAt: at, UpdatedAt: at,
			Distribution: DistNetwork, Marking: Marking{TLP: TLPClear, Handling: HandlingH0}},
		OldKey:     base64.StdEncoding.EncodeToString(old.Public().(ed25519.PublicKey)),
		NewKey:     base64.StdEncoding.EncodeToString(new.Public().(ed25519.PublicKey)),
		GraceUntil: graceUntil,
	}
	k.NewKeySignature = base64.StdEncoding.EncodeToString(ed25519.Sign(new, k.Statement()))
	return k
}

// Validate checks a handover as every receiver does before it looks at
// the keys it holds: a first version, network distribution, two distinct
// well-formed keys, a grace period that does not end before the handover,
// and the new key's signature over the statement.
func (k *KeyHandover) Validate() error {
	v := &validator{}
	if k.Version != 1 {
		v.addf("version", "a key handover has a single version (1), not %d", k.Version)
	}
	if k.Distribution != DistNetwork || k.Marking.TLP != TLPClear {
		v.addf("distribution", "a key handover is network and TLP:CLEAR")
	}
	old, errOld := decodeKey(k.OldKey)
	if errOld != nil {
		v.addf("old_key", "%s", errOld)
	}
	nk, errNew := decodeKey(k.NewKey)
	if errNew != nil {
		v.addf("new_key", "%s", errNew)
	}
	if errOld == nil && errNew == nil && old.Equal(nk) {
		v.addf("new_key", "is the old key")
	}
	if k.GraceUntil.Before(k.UpdatedAt) {
		v.addf("grace_until", "ends before the handover")
	}
	sig, err := base64.StdEncoding.DecodeString(k.NewKeySignature)
	if errNew == nil && (err != nil || !ed25519.Verify(nk, k.Statement(), sig)) {
		v.addf("new_key_sig", "is not the new key's signature of the handover statement")
	}
	return v.err("key handover")
}

// decodeKey reads a base64 Ed25519 public key.
func decodeKey(b64 string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.Strict().DecodeString(b64)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("is not the base64 of a %d-byte Ed25519 public key", ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(b), nil
}

func init() {
	RegisterRecordKind(KindKeyHandover, RecordKind{Check: func(body []byte, h *Header) (string, error) {
		_, err := CheckRecordBody(body, h, func(k *KeyHandover) error { return k.Validate() })
		return "", err
	}})
}

// mayShareHandover is the rule of key handovers, which MayShare follows
// for them: every holder, relays included, passes them to every peer it
// exchanges with except the origin, whatever the peer's kinds and TLP
// ceiling, so that every node that verifies the origin's records learns
// its new key. A handover carries nothing but the two public keys.
func mayShareHandover(p *Peer, h *Header) (bool, string) {
	switch {
	case p.OriginOnly:
		return false, "the peer is known only as an origin of relayed records"
	case p.Card.ID == h.Origin:
		return false, "the peer is the key handover's origin"
	}
	return true, ""
}

// RetiredKey is a key a node used before a key handover replaced it.
type RetiredKey struct {
	Node      string    `json:"node"`
	PublicKey string    `json:"public_key"` // base64 of the Ed25519 public key
	RetiredAt time.Time `json:"retired_at"` // the handover's time
	// GraceUntil is when the node stops presenting this key on federation
	// links; until then peers accept it there.
	GraceUntil time.Time `json:"grace_until"`
	Handover   string    `json:"handover"` // the id of the key_handover record
	// Successor is the key that replaced it.
	Successor string `json:"successor"`
}

// KeyStore keeps the key history of nodes: this node's own and its
// peers' (origin-only peers included).
type KeyStore interface {
	// RotateNodeKey records this node's own handover k in one
	// transaction: the node's public key becomes k.NewKey, k.OldKey joins
	// the node's key history, k is stored as an own record (so that the
	// change feed carries it) and the rotation is audited. ECONFLICT if
	// the node's key is not k.OldKey.
	RotateNodeKey(ctx context.Context, actor string, k *KeyHandover, body json.RawMessage) error
	// AcceptKeyHandover records a peer's handover received from via, in
	// one transaction: the peer's key becomes k.NewKey, k.OldKey joins its
	// key history, and the acceptance is audited; cursors and status are
	// untouched. It changes nothing and returns false if the peer's key is
	// already k.NewKey with k.OldKey in its history by k. If the peer's key
	// is already k.NewKey (its card was added after the rotation), it only
	// adds k.OldKey to the history. ECONFLICT if the peer's key is neither
	// key; ENOTFOUND for an unknown peer.
	AcceptKeyHandover(ctx context.Context, k *KeyHandover, via string, at time.Time) (bool, error)
	// RetiredKeys returns the retired keys of every node, this node
	// included, each node's newest first.
	RetiredKeys(ctx context.Context) (map[string][]RetiredKey, error)
}
