package personaldata

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzScan checks, for any text, that Scan does not panic and that its
// findings are well formed: in order, not overlapping, inside the text,
// on character boundaries, with character offsets that count the same
// place, and masked so that the found text is not repeated whole. Its
// seed corpus is testdata/fuzz/FuzzScan plus the screening corpus.
func FuzzScan(f *testing.F) {
	for _, c := range readCorpus(f) {
		f.Add(c.text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		fs := Scan(text)
		if len(fs) > MaxFindings {
			t.Fatalf("%d findings, at most %d", len(fs), MaxFindings)
		}
		prevEnd := 0
		for _, fd := range fs {
			if fd.Start < prevEnd || fd.End <= fd.Start || fd.End > len(text) {
				t.Fatalf("finding %+v out of order or out of the text (%d bytes, previous end %d)", fd, len(text), prevEnd)
			}
			prevEnd = fd.End
			if utf8.ValidString(text) {
				if !utf8.RuneStart(text[fd.Start]) || fd.End < len(text) && !utf8.RuneStart(text[fd.End]) {
					t.Fatalf("finding %+v splits a character", fd)
				}
				if fd.RuneStart != utf8.RuneCountInString(text[:fd.Start]) || fd.RuneEnd != utf8.RuneCountInString(text[:fd.End]) {
					t.Fatalf("finding %+v: character offsets do not match the bytes", fd)
				}
			}
			found := text[fd.Start:fd.End]
			if utf8.RuneCountInString(fd.Masked) != utf8.RuneCountInString(strings.ToValidUTF8(found, "\uFFFD")) && utf8.ValidString(found) {
				t.Fatalf("masked %q does not have the shape of %q", fd.Masked, found)
			}
			if countDigits(found) > 1 && fd.Masked == found {
				t.Fatalf("masked %q repeats the finding", fd.Masked)
			}
		}
	})
}
