package personaldata

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// corpusCase is one line of testdata/corpus.txt.
type corpusCase struct {
	line int
	want []string // "kind=found text", in order
	text string
}

// readCorpus reads the screening corpus.
func readCorpus(t testing.TB) []corpusCase {
	t.Helper()
	f, err := os.Open("testdata/corpus.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		want, text, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("corpus line %d has no tab", n)
		}
		c := corpusCase{line: n, text: text}
		if want != "-" {
			c.want = strings.Split(want, " | ")
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCorpus checks every text of the corpus: the false positives (HS
// codes, container numbers, LOCODEs, quantities, dates of seizure, IMO
// numbers, flights, air waybills, amounts) find nothing, and each true
// positive finds exactly the identifiers listed, with their offsets
// pointing at them.
func TestCorpus(t *testing.T) {
	cases := readCorpus(t)
	if len(cases) < 50 {
		t.Fatalf("the corpus holds %d texts, fewer than expected", len(cases))
	}
	for _, c := range cases {
		var got []string
		for _, f := range Scan(c.text) {
			got = append(got, string(f.Kind)+"="+c.text[f.Start:f.End])
			runes := []rune(c.text)
			if string(runes[f.RuneStart:f.RuneEnd]) != c.text[f.Start:f.End] {
				t.Errorf("line %d: characters %d-%d are %q, bytes %d-%d are %q", c.line, f.RuneStart, f.RuneEnd,
					string(runes[f.RuneStart:f.RuneEnd]), f.Start, f.End, c.text[f.Start:f.End])
			}
		}
		if strings.Join(got, " | ") != strings.Join(c.want, " | ") {
			t.Errorf("line %d: %q\n found %q\n want  %q", c.line, c.text, got, c.want)
		}
	}
}
