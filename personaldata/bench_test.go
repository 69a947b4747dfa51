package personaldata

import (
	"strings"
	"testing"
)

// benchText returns about n bytes of text like a seizure narrative:
// the corpus's texts that must not trip the screen, repeated.
func benchText(b *testing.B, n int) string {
	var sb strings.Builder
	cases := readCorpus(b)
	for sb.Len() < n {
		for _, c := range cases {
			if c.want == nil && sb.Len() < n {
				sb.WriteString(c.text)
				sb.WriteByte(' ')
			}
		}
	}
	return sb.String()[:n]
}

// BenchmarkScan measures the screen over 1 KB of narrative (SetBytes
// makes the MB/s column its throughput); BenchmarkToLower is the yardstick
// of the same run: strings.ToLower over the same text.
func BenchmarkScan(b *testing.B) {
	text := benchText(b, 1024)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Scan(text)
	}
}

// BenchmarkScanASCII is BenchmarkScan over ASCII text only, the common
// case, which needs no folding.
func BenchmarkScanASCII(b *testing.B) {
	text := strings.Map(func(r rune) rune {
		if r > 127 {
			return 'x'
		}
		return r
	}, benchText(b, 1024))
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Scan(text)
	}
}

// BenchmarkScanFindings is BenchmarkScan over the corpus's texts that do
// trip the screen, the worst case.
func BenchmarkScanFindings(b *testing.B) {
	var sb strings.Builder
	for sb.Len() < 1024 {
		for _, c := range readCorpus(b) {
			if c.want != nil {
				sb.WriteString(c.text + " ")
			}
		}
	}
	text := sb.String()[:1024]
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Scan(text)
	}
}

// BenchmarkToLower is the yardstick: strings.ToLower over the same
// kilobyte as BenchmarkScan.
func BenchmarkToLower(b *testing.B) {
	text := benchText(b, 1024)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		_ = strings.ToLower(text)
	}
}
