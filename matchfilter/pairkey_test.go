package matchfilter

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

// TestX25519ConversionLibsodiumVector checks the conversion against the
// known answer of libsodium's test ed25519_convert (its seed, used as the
// Ed25519 seed, and the crypto_sign_ed25519_pk_to_curve25519 and
// crypto_sign_ed25519_sk_to_curve25519 results it expects).
func TestX25519ConversionLibsodiumVector(t *testing.T) {
	seed, _ := hex.DecodeString("421151a459faeade3d247115f94aedae42318124095afabe4d1451a559faedee")
	wantPub := "f1814f0e8ff1043d8a44d25babff3cedcae6c22c3edaa48f857ae70de2baae50"
	wantPriv := "8052030376d47112be7f73ed7a019293dd12ad910b654455798b4667d73de166"
	k := ed25519.NewKeyFromSeed(seed)
	pub, err := X25519PublicKey(k.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(pub.Bytes()); got != wantPub {
		t.Errorf("public key = %s, want %s", got, wantPub)
	}
	priv, err := X25519PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(priv.Bytes()); got != wantPriv {
		t.Errorf("private key = %s, want %s", got, wantPriv)
	}
}

// TestX25519ConversionIsAKeyPair checks that converting an Ed25519 key pair
// gives an X25519 key pair: the converted public key is the X25519 public
// key of the converted private key.
func TestX25519ConversionIsAKeyPair(t *testing.T) {
	for i := range 50 {
		seed := sha256.Sum256([]byte{byte(i)})
		k := ed25519.NewKeyFromSeed(seed[:])
		priv, err := X25519PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := X25519PublicKey(k.Public().(ed25519.PublicKey))
		if err != nil {
			t.Fatal(err)
		}
		if !pub.Equal(priv.PublicKey()) {
			t.Fatalf("seed %d: converted public key %x, public key of converted private key %x", i, pub.Bytes(), priv.PublicKey().Bytes())
		}
	}
}

// TestDerivePairKey checks that both nodes of a pair derive the same key,
// whichever derives it, and that another pair derives another key.
func TestDerivePairKey(t *testing.T) {
	a, b, c := "pk-customs/sost", "cn-customs/khunjerab", "af-customs/torkham"
	ab, ba := mustPairKey(t, a, b), mustPairKey(t, b, a)
	if ab != ba {
		t.Fatal("A→B and B→A derive different keys")
	}
	if lo, hi := ab.Nodes(); lo != b || hi != a {
		t.Errorf("Nodes() = %s, %s; want %s, %s", lo, hi, b, a)
	}
	ac, cb := mustPairKey(t, a, c), mustPairKey(t, c, b)
	for name, k := range map[string]PairKey{"A–C": ac, "C–B": cb} {
		if k.secret == ab.secret {
			t.Errorf("%s derives the key of A–B", name)
		}
	}
	if ac.secret == cb.secret {
		t.Error("A–C and C–B derive the same key")
	}
	// The derivation is pinned (a change to it must change Label too). The
	// value was computed independently, with Python's cryptography package:
	// u = (1+y)/(1−y) mod 2^255−19 for the public keys, X25519, and HKDF
	// with the salt and info that DerivePairKey documents.
	const golden = "5f4a27f7d83e151704850543680e150fe7cc1e0045beacb2c75cf9b74302389e"
	if got := hex.EncodeToString(ab.secret[:]); got != golden {
		t.Errorf("pair key of %s and %s = %s, want %s", a, b, got, golden)
	}
}

// TestDerivePairKeyRefuses checks the pairs and keys that give no key.
func TestDerivePairKeyRefuses(t *testing.T) {
	a, b := "pk-customs/sost", "cn-customs/khunjerab"
	identity := append([]byte{1}, make([]byte, 31)...)  // the neutral point: u = 0
	notAPoint := append([]byte{2}, make([]byte, 31)...) // y = 2: no x on the curve
	minusOne := append([]byte{0xec}, bytes.Repeat([]byte{0xff}, 30)...)
	minusOne = append(minusOne, 0x7f) // y = −1, the point of order two: u = 0
	cases := []struct {
		name          string
		self, peer    string
		peerPublicKey []byte
	}{
		{"with itself", a, a, nodeKey(a).Public().(ed25519.PublicKey)},
		{"own id malformed", "sost", b, nodeKey(b).Public().(ed25519.PublicKey)},
		{"peer id malformed", a, "CN/Khunjerab", nodeKey(b).Public().(ed25519.PublicKey)},
		{"peer key short", a, b, make([]byte, 31)},
		{"peer key the neutral point", a, b, identity},
		{"peer key of order two", a, b, minusOne},
		{"peer key not an encoding of a point", a, b, notAPoint},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := DerivePairKey(c.self, nodeKey(c.self), c.peer, c.peerPublicKey); err == nil {
				t.Fatal("derived a key")
			}
		})
	}
}
