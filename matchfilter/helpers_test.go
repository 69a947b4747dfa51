package matchfilter

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"testing"
	"time"
)

// testVocab is the vocabulary the tests build and decode with.
var testVocab = Vocabulary{
	Types:      []string{"container", "plate", "imo", "awb"},
	Categories: []string{"narcotics", "tobacco", "wildlife", "currency"},
}

// testCreated is the creation time of the tests' filters.
var testCreated = time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)

// nodeKey returns a fixed Ed25519 key pair for the node id, made from a
// seed that is the SHA-256 of the id, so that tests are repeatable.
func nodeKey(id string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte(id))
	return ed25519.NewKeyFromSeed(seed[:])
}

// mustPairKey returns the pair key node self derives with node peer.
func mustPairKey(t testing.TB, self, peer string) PairKey {
	t.Helper()
	k, err := DerivePairKey(self, nodeKey(self), peer, nodeKey(peer).Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// mustFilter builds holder's filter for recipient from records.
func mustFilter(t testing.TB, holder, recipient string, records ...Record) *Filter {
	t.Helper()
	b, err := NewBuilder(mustPairKey(t, holder, recipient), holder, recipient, testVocab)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range records {
		if err := b.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	f, err := b.Filter(7, testCreated)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// mustEncode returns f's encoding.
func mustEncode(t testing.TB, f *Filter) []byte {
	t.Helper()
	b, err := f.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decodeOpts returns the options with which recipient decodes holder's
// filter.
func decodeOpts(holder, recipient string) DecodeOptions {
	return DecodeOptions{Holder: holder, Recipient: recipient, Vocabulary: testVocab}
}

// tamper decodes an encoded filter, lets change alter it, and encodes it
// again with encoding/json (so still in canonical form unless change makes
// it otherwise).
func tamper(t testing.TB, data []byte, change func(w *wireFilter)) []byte {
	t.Helper()
	var w wireFilter
	if err := json.Unmarshal(data, &w); err != nil {
		t.Fatal(err)
	}
	change(&w)
	out, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// rec returns a record of the month and category with identifiers given as
// type, value, type, value, ….
func rec(month, category string, typeValues ...string) Record {
	r := Record{Month: month, Category: category}
	for i := 0; i+1 < len(typeValues); i += 2 {
		r.Identifiers = append(r.Identifiers, Identifier{Type: typeValues[i], Value: typeValues[i+1]})
	}
	return r
}
