package matchfilter

import (
	"bytes"
	"testing"
)

// FuzzDecodeFilter checks, for every input DecodeFilter accepts, that it
// is within the limit, that it is the canonical encoding of what was
// decoded, and that every entry is found by its own tag. Its seed corpus
// is in testdata/fuzz/FuzzDecodeFilter, besides the filters added here.
func FuzzDecodeFilter(f *testing.F) {
	f.Add(sampleFilter(f))
	f.Add(mustEncode(f, mustFilter(f, "pk-customs/sost", "cn-customs/khunjerab")))
	opt := decodeOpts("pk-customs/sost", "cn-customs/khunjerab")
	opt.MaxEntries = 64
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := DecodeFilter(data, opt)
		if err != nil {
			return
		}
		if got.Len() > opt.MaxEntries {
			t.Fatalf("accepted %d entries, over the limit of %d", got.Len(), opt.MaxEntries)
		}
		again, err := got.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, data) {
			t.Fatalf("accepted %q, which encodes as %q", data, again)
		}
		for i := range got.Len() {
			e := got.Entry(i)
			if found, ok := got.Lookup(e.Tag); !ok || found != e {
				t.Fatalf("entry %d not found by its tag", i)
			}
		}
	})
}
