package matchfilter

import (
	"bytes"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"
)

// sampleFilter returns the encoding of a small filter of sost's for
// khunjerab, with three entries.
func sampleFilter(t testing.TB) []byte {
	t.Helper()
	return mustEncode(t, mustFilter(t, "pk-customs/sost", "cn-customs/khunjerab",
		rec("2025-03", "tobacco", "container", "MSCU1234565", "plate", "PK:LEA1234"),
		rec("2024-11", "narcotics", "container", "MSCU1234565", "imo", "9074729"),
	))
}

// TestDecodeFilterRoundTrip checks that a decoded filter is the one encoded.
func TestDecodeFilterRoundTrip(t *testing.T) {
	f := mustFilter(t, "pk-customs/sost", "cn-customs/khunjerab",
		rec("2025-03", "tobacco", "container", "MSCU1234565", "plate", "PK:LEA1234"),
		rec("2024-11", "narcotics", "container", "MSCU1234565"))
	data := mustEncode(t, f)
	got, err := DecodeFilter(data, decodeOpts("pk-customs/sost", "cn-customs/khunjerab"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Holder != f.Holder || got.Recipient != f.Recipient || got.Generation != 7 ||
		!got.CreatedAt.Equal(testCreated) || got.Label != Label || got.Len() != f.Len() {
		t.Fatalf("decoded %+v, encoded %+v", got, f)
	}
	for i := range f.Len() {
		if got.Entry(i) != f.Entry(i) {
			t.Errorf("entry %d: decoded %+v, encoded %+v", i, got.Entry(i), f.Entry(i))
		}
	}
	if again := mustEncode(t, got); !bytes.Equal(again, data) {
		t.Fatalf("re-encoded differently:\n%s\n%s", again, data)
	}
	empty := mustEncode(t, mustFilter(t, "pk-customs/sost", "cn-customs/khunjerab"))
	if f, err := DecodeFilter(empty, decodeOpts("pk-customs/sost", "cn-customs/khunjerab")); err != nil || f.Len() != 0 {
		t.Fatalf("empty filter: %v, %v", f, err)
	}
}

// TestDecodeFilterRefuses checks each way a filter is refused, and the
// error it wraps.
func TestDecodeFilterRefuses(t *testing.T) {
	const holder, recipient = "pk-customs/sost", "cn-customs/khunjerab"
	good := sampleFilter(t)
	tags := func(change func(b []byte) []byte) func(w *wireFilter) {
		return func(w *wireFilter) {
			b, _ := base64.StdEncoding.DecodeString(w.Tags)
			w.Tags = base64.StdEncoding.EncodeToString(change(b))
		}
	}
	metas := func(change func(b []byte)) func(w *wireFilter) {
		return func(w *wireFilter) {
			b, _ := base64.StdEncoding.DecodeString(w.Meta)
			change(b)
			w.Meta = base64.StdEncoding.EncodeToString(b)
		}
	}
	cases := []struct {
		name string
		data []byte
		opt  DecodeOptions
		want error
		says string
	}{
		{"for another recipient", good, decodeOpts(holder, "af-customs/torkham"), ErrWrongPair, "not for this node"},
		{"from an unexpected holder", good, decodeOpts("af-customs/torkham", recipient), ErrWrongPair, "not of af-customs/torkham"},
		{"holder is recipient", tamper(t, good, func(w *wireFilter) { w.Holder = recipient }), decodeOpts(recipient, recipient), ErrWrongPair, "both"},
		{"more entries than the limit", good, DecodeOptions{Holder: holder, Recipient: recipient, Vocabulary: testVocab, MaxEntries: 2}, ErrTooLarge, "3 entries, more than 2"},
		{"more bytes than the limit takes", append(good, bytes.Repeat([]byte(" "), 70000)...), DecodeOptions{Holder: holder, Recipient: recipient, Vocabulary: testVocab, MaxEntries: 2}, ErrTooLarge, "bytes"},
		{"unknown member", bytes.Replace(good, []byte(`{`), []byte(`{"comment":"x",`), 1), decodeOpts(holder, recipient), ErrMalformed, "unknown field"},
		{"member twice", bytes.Replace(good, []byte(`{`), []byte(`{"entries":3,`), 1), decodeOpts(holder, recipient), ErrMalformed, "canonical"},
		{"member in capitals", bytes.Replace(good, []byte(`"tags"`), []byte(`"Tags"`), 1), decodeOpts(holder, recipient), ErrMalformed, "canonical"},
		{"types null", bytes.Replace(good, []byte(`"types":["container","imo","plate"]`), []byte(`"types":null`), 1), decodeOpts(holder, recipient), ErrMalformed, ""},
		{"whitespace", bytes.Replace(good, []byte(`,`), []byte(`, `), 1), decodeOpts(holder, recipient), ErrMalformed, "canonical"},
		{"data after it", append(append([]byte{}, good...), "{}"...), decodeOpts(holder, recipient), ErrMalformed, "after"},
		{"not JSON", []byte("tags"), decodeOpts(holder, recipient), ErrMalformed, ""},
		{"another label", tamper(t, good, func(w *wireFilter) { w.Label = "crossguard/matchfilter/v0" }), decodeOpts(holder, recipient), ErrMalformed, "label"},
		{"created_at not UTC", tamper(t, good, func(w *wireFilter) { w.CreatedAt = "2026-12-01T10:30:00+01:00" }), decodeOpts(holder, recipient), ErrMalformed, "canonical"},
		{"created_at not a time", tamper(t, good, func(w *wireFilter) { w.CreatedAt = "yesterday" }), decodeOpts(holder, recipient), ErrMalformed, "created_at"},
		{"generation too large", tamper(t, good, func(w *wireFilter) { w.Generation = 1 << 60 }), decodeOpts(holder, recipient), ErrMalformed, "generation"},
		{"negative entries", tamper(t, good, func(w *wireFilter) { w.Entries = -1 }), decodeOpts(holder, recipient), ErrMalformed, "-1 entries"},
		{"entries disagree with tags", tamper(t, good, func(w *wireFilter) { w.Entries = 2 }), decodeOpts(holder, recipient), ErrMalformed, "tags are not"},
		{"tag short", tamper(t, good, tags(func(b []byte) []byte { return b[:len(b)-1] })), decodeOpts(holder, recipient), ErrMalformed, "tags are not"},
		{"tags not base64", tamper(t, good, func(w *wireFilter) { w.Tags = "!" + w.Tags[1:] }), decodeOpts(holder, recipient), ErrMalformed, "tags are not"},
		{"tags unsorted", tamper(t, good, tags(func(b []byte) []byte {
			return append(append(append([]byte{}, b[16:32]...), b[:16]...), b[32:]...)
		})), decodeOpts(holder, recipient), ErrMalformed, "increasing order"},
		{"tag repeated", tamper(t, good, tags(func(b []byte) []byte { copy(b[16:32], b[:16]); return b })), decodeOpts(holder, recipient), ErrMalformed, "increasing order"},
		{"meta short", tamper(t, good, func(w *wireFilter) { w.Meta = w.Meta[:len(w.Meta)-4] }), decodeOpts(holder, recipient), ErrMalformed, "meta is not"},
		{"type index out of range", tamper(t, good, metas(func(b []byte) { b[0] = 9 })), decodeOpts(holder, recipient), ErrMalformed, "out of range"},
		{"category index out of range", tamper(t, good, metas(func(b []byte) { b[1] = 9 })), decodeOpts(holder, recipient), ErrMalformed, "out of range"},
		{"count zero", tamper(t, good, metas(func(b []byte) { copy(b[2:6], []byte{0, 0, 0, 0}) })), decodeOpts(holder, recipient), ErrMalformed, "count 0"},
		{"first month after last", tamper(t, good, metas(func(b []byte) { b[6], b[7] = 0xff, 0xff })), decodeOpts(holder, recipient), ErrMalformed, "first month after last"},
		{"type not in vocabulary", tamper(t, good, func(w *wireFilter) { w.Types[0] = "passport" }), decodeOpts(holder, recipient), ErrMalformed, "not in the vocabulary"},
		{"types unsorted", tamper(t, good, func(w *wireFilter) { w.Types[0], w.Types[1] = w.Types[1], w.Types[0] }), decodeOpts(holder, recipient), ErrMalformed, "not sorted"},
		{"category no entry names", tamper(t, good, func(w *wireFilter) { w.Categories = append(w.Categories, "wildlife") }), decodeOpts(holder, recipient), ErrMalformed, "no entry names"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := DecodeFilter(c.data, c.opt)
			if err == nil {
				t.Fatalf("decoded %+v", f)
			}
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("err = %v, want %v saying %q", err, c.want, c.says)
			}
		})
	}
}

// TestLookupBuckets checks that Lookup finds every tag and no other,
// however the tags fall into buckets: all in one, at both ends, or spread.
func TestLookupBuckets(t *testing.T) {
	tag := func(first byte, last byte) Tag { var t Tag; t[0], t[15] = first, last; return t }
	cases := map[string][]Tag{
		"one bucket": {tag(0, 1), tag(0, 2), tag(0, 3), tag(0, 4), tag(0, 5), tag(0, 6), tag(0, 7), tag(0, 8), tag(0, 9)},
		"both ends":  {tag(0, 0), tag(0, 1), tag(0xff, 0xfe), tag(0xff, 0xff)},
		"spread":     {tag(0x10, 0), tag(0x30, 0), tag(0x50, 0), tag(0x70, 0), tag(0x90, 0), tag(0xb0, 0), tag(0xd0, 0), tag(0xf0, 0)},
		"single":     {tag(0x42, 0x42)},
		"none":       nil,
	}
	absent := []Tag{tag(0, 0x80), tag(0x7f, 0xff), tag(0xff, 0xfd), tag(0x20, 0)}
	for name, tags := range cases {
		t.Run(name, func(t *testing.T) {
			f := &Filter{types: []string{"container"}, categories: []string{"tobacco"}, tags: tags, meta: make([]meta, len(tags))}
			for i := range f.meta {
				f.meta[i] = meta{count: uint32(i + 1)}
			}
			f.index()
			for i, tg := range tags {
				if e, ok := f.Lookup(tg); !ok || e.Count != i+1 {
					t.Errorf("tag %x: %+v, %v; want entry %d", tg, e, ok, i)
				}
			}
			for _, tg := range absent {
				if slices.Contains(tags, tg) {
					continue
				}
				if _, ok := f.Lookup(tg); ok {
					t.Errorf("found absent tag %x", tg)
				}
			}
		})
	}
}
