package model

import (
	"bytes"
	"testing"

	"crossguard"
)

// FuzzRead feeds arbitrary bytes to the model file reader and, since a
// random file rarely passes the checksum, to the payload decoder behind
// it. Neither may panic, and whatever they accept must score a
// declaration and write a file that reads back the same. The seed corpus
// in testdata/fuzz/FuzzRead holds a small model's file and payload.
func FuzzRead(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("CGRISKM\x00"))
	d := &crossguard.Declaration{DeclarationID: "1", HS6Code: "851712", OfficeID: "30", NetMass: 10, ItemPrice: 100}
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(m *Model) {
			m.Score(d)
			m.Explain(d, 3)
			m.Info()
			var b bytes.Buffer
			if _, err := m.WriteTo(&b); err != nil {
				t.Fatal(err)
			}
			again, err := Read(bytes.NewReader(b.Bytes()))
			if err != nil {
				t.Fatalf("a model that decoded does not read back: %v", err)
			}
			if a, b := m.Score(d), again.Score(d); a != b && a == a {
				t.Fatalf("score %v before writing, %v after", a, b)
			}
		}
		if m, err := Read(bytes.NewReader(data)); err == nil {
			check(m)
		}
		if m, err := unmarshal(data); err == nil {
			check(m)
		}
	})
}
