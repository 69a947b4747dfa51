package federation

import (
	"encoding/json"
	"testing"
)

// BenchmarkOpenSeizure measures opening one signed seizure: the per-record
// cost of a pull.
func BenchmarkOpenSeizure(b *testing.B) {
	pub, key := newKey(b)
	const origin = "pk-customs/sost"
	s := testSeizure(b, origin)
	s.Narrative = "Heroin in a false floor of the trailer, found by the X-ray scanner at the inbound lane."
	body, _ := json.Marshal(s)
	sr, err := Sign(key, body)
	if err != nil {
		b.Fatal(err)
	}
	keys := keysOf(origin, pub)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Open(sr, keys); err != nil {
			b.Fatal(err)
		}
	}
}
