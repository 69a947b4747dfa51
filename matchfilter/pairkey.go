package matchfilter

import (
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"fmt"

	"filippo.io/edwards25519"
)

// Label names this package's key derivation and filter format. It is the
// HKDF salt of every pair key and is written into every filter, so that a
// later derivation or format gets a new label and old filters are refused
// by name rather than misread.
const Label = "crossguard/matchfilter/v1"

// PairKey is the secret two nodes share for their match filters, and the
// ids of the two nodes it belongs to. Only the two nodes can compute it:
// each needs its own Ed25519 private key and the other's public key. The
// same key serves both directions (A's filter for B and B's for A), since
// the nodes' roles do not enter the derivation.
type PairKey struct {
	secret   [32]byte
	low, hi  string // the two node ids, low < hi in byte order
	hasValue bool
}

// Nodes returns the ids of the two nodes the key belongs to, in byte order.
func (k PairKey) Nodes() (string, string) { return k.low, k.hi }

// belongsTo reports whether the key is the one of the pair a and b, in
// either order.
func (k PairKey) belongsTo(a, b string) bool {
	return k.hasValue && (k.low == a && k.hi == b || k.low == b && k.hi == a)
}

// DerivePairKey derives the pair key of node selfID, whose Ed25519 identity
// key is self, and node peerID, whose Ed25519 public key is peer.
//
// Both Ed25519 keys become X25519 keys as RFC 8032 and RFC 7748 relate
// them: the private scalar is the first 32 bytes of SHA-512 of the seed,
// clamped; the public key is the Montgomery u-coordinate (1+y)/(1-y) of the
// Edwards point. Their X25519 shared secret, refused when all zero (a
// low-order public key), is the HKDF-SHA256 secret; the salt is Label; the
// info is, for each of the two nodes in byte order of their ids, the id's
// length as two big-endian bytes, the id, and the node's 32-byte Ed25519
// public key. So A→B and B→A derive the same key, any other pair or a
// rotated identity key derives another, and the output is 32 bytes.
func DerivePairKey(selfID string, self ed25519.PrivateKey, peerID string, peer ed25519.PublicKey) (PairKey, error) {
	if err := checkNodeID(selfID); err != nil {
		return PairKey{}, fmt.Errorf("derive pair key: own %w", err)
	}
	if err := checkNodeID(peerID); err != nil {
		return PairKey{}, fmt.Errorf("derive pair key: peer %w", err)
	}
	if selfID == peerID {
		return PairKey{}, fmt.Errorf("derive pair key: %s cannot pair with itself", selfID)
	}
	if len(self) != ed25519.PrivateKeySize || len(peer) != ed25519.PublicKeySize {
		return PairKey{}, fmt.Errorf("derive pair key: key of wrong length")
	}
	priv, err := X25519PrivateKey(self)
	if err != nil {
		return PairKey{}, fmt.Errorf("derive pair key: %w", err)
	}
	pub, err := X25519PublicKey(peer)
	if err != nil {
		return PairKey{}, fmt.Errorf("derive pair key: peer %s: %w", peerID, err)
	}
	shared, err := priv.ECDH(pub)
	if err != nil { // all zero: the peer's key is of low order
		return PairKey{}, fmt.Errorf("derive pair key with %s: %w", peerID, err)
	}
	selfPub := self.Public().(ed25519.PublicKey)
	k := PairKey{low: selfID, hi: peerID, hasValue: true}
	lowPub, hiPub := selfPub, peer
	if peerID < selfID {
		k.low, k.hi, lowPub, hiPub = peerID, selfID, peer, selfPub
	}
	info := appendParty(nil, k.low, lowPub)
	info = appendParty(info, k.hi, hiPub)
	okm, err := hkdf.Key(sha256.New, shared, []byte(Label), string(info), len(k.secret))
	if err != nil {
		return PairKey{}, fmt.Errorf("derive pair key: %w", err)
	}
	copy(k.secret[:], okm)
	return k, nil
}

// appendParty appends one node's part of the HKDF info: the id's length as
// two big-endian bytes, the id, and its Ed25519 public key.
func appendParty(b []byte, id string, pub ed25519.PublicKey) []byte {
	b = binary.BigEndian.AppendUint16(b, uint16(len(id)))
	b = append(b, id...)
	return append(b, pub...)
}

// X25519PrivateKey returns the X25519 private key of an Ed25519 private
// key: the first 32 bytes of SHA-512 of its seed, clamped as RFC 7748 says
// (what libsodium's crypto_sign_ed25519_sk_to_curve25519 returns).
func X25519PrivateKey(k ed25519.PrivateKey) (*ecdh.PrivateKey, error) {
	if len(k) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("ed25519 private key of %d bytes", len(k))
	}
	h := sha512.Sum512(k.Seed())
	s := h[:32]
	s[0] &= 248
	s[31] &= 127
	s[31] |= 64
	priv, err := ecdh.X25519().NewPrivateKey(s)
	if err != nil {
		return nil, fmt.Errorf("x25519 private key: %w", err)
	}
	return priv, nil
}

// X25519PublicKey returns the X25519 public key of an Ed25519 public key:
// the u-coordinate of its point on the birationally equivalent Montgomery
// curve. A key that encodes no point of the curve is refused; the
// encodings of low-order points pass here and DerivePairKey refuses their
// all-zero shared secret.
func X25519PublicKey(k ed25519.PublicKey) (*ecdh.PublicKey, error) {
	p, err := new(edwards25519.Point).SetBytes(k)
	if err != nil {
		return nil, fmt.Errorf("ed25519 public key is not a curve point: %w", err)
	}
	pub, err := ecdh.X25519().NewPublicKey(p.BytesMontgomery())
	if err != nil {
		return nil, fmt.Errorf("x25519 public key: %w", err)
	}
	return pub, nil
}
