package federation

import (
	"encoding/json"
	"errors"
	"testing"

	"crossguard"
)

// FuzzOpen checks that no signed record makes the envelope decoder panic,
// that it refuses with a reason rather than failing otherwise, and that
// what it accepts is signed by the one key it knows.
func FuzzOpen(f *testing.F) {
	pub, key := newKey(f)
	const origin = "pk-customs/sost"
	s := testSeizure(f, origin)
	body, _ := json.Marshal(s)
	sr, _ := Sign(key, body)
	tomb, _ := TombstoneJSON(s.Header)
	tsr, _ := Sign(key, tomb)
	f.Add([]byte(sr.Record), sr.Signature)
	f.Add([]byte(tsr.Record), tsr.Signature)
	f.Add([]byte(`{"id":"0193f1f2-7b1c-7cc0-9a4e-3c1d2e4f5a6b","kind":"annotation","origin":"pk-customs/sost","version":1}`), sr.Signature)
	f.Add([]byte(`[1e400]`), "")
	keys := keysOf(origin, pub)
	f.Fuzz(func(t *testing.T, record []byte, sig string) {
		in, err := Open(&crossguard.SignedRecord{Record: record, Signature: sig}, keys)
		if err != nil {
			var r *Refused
			if !errors.As(err, &r) || r.Reason == "" {
				t.Fatalf("error without a reason: %v", err)
			}
			return
		}
		if in.Header.Origin != origin {
			t.Fatalf("accepted a record of origin %q", in.Header.Origin)
		}
		if !in.Deleted && in.Header.Kind == "seizure" && in.Seizure == nil {
			t.Fatal("accepted a live seizure without decoding it")
		}
	})
}
