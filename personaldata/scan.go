package personaldata

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// MaxFindings bounds the findings Scan returns for one text: enough to
// show a person every problem of a field, not so many that a hostile text
// makes an answer large.
const MaxFindings = 20

// Scan returns the personal identifiers found in text, in order of their
// place in it. Finds that overlap are merged into one, of the kind found
// first. Text that is not valid UTF-8 is scanned as far as it can be;
// offsets then count each invalid byte as one character.
func Scan(text string) []Finding {
	s, orig := fold(text)
	sc := &scanner{s: s}
	sc.run()
	if len(sc.found) == 0 {
		return nil
	}
	fs := merge(sc.found)
	if orig != nil {
		for i := range fs {
			fs[i].Start, fs[i].End = orig[fs[i].Start], orig[fs[i].End]
		}
	}
	if len(fs) > MaxFindings {
		fs = fs[:MaxFindings]
	}
	finish(text, fs)
	return fs
}

// scanner holds one scan's text, the cues seen so far and the finds.
type scanner struct {
	s     string
	marks []mark
	found []Finding
}

// add records a find of kind k over s[start:end].
func (sc *scanner) add(k Kind, start, end int) {
	sc.found = append(sc.found, Finding{Kind: k, Start: start, End: end})
}

// run scans the text once, left to right: words (for cues and names),
// numbers, tokens of letters and digits, and e-mail addresses.
func (sc *scanner) run() {
	s := sc.s
	if !isASCII(s) {
		sc.marks = wideMarks(s)
		for _, m := range sc.marks {
			sc.afterCue(m)
		}
		sc.wideNames()
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case isLetter(c):
			i = sc.token(i)
		case isDigit(c):
			i = sc.number(i, i)
		case c == '+' && i+1 < len(s) && (isDigit(s[i+1]) || s[i+1] == '(' && i+2 < len(s) && isDigit(s[i+2])):
			j := i + 1
			if s[j] == '(' {
				j++
			}
			i = sc.number(i, j)
		case c == '@':
			sc.email(i)
			i++
		default:
			i++
		}
	}
}

// token handles the maximal run of ASCII letters and digits that starts
// with a letter at i: a word that may be a cue or a name's marker, or a
// token of letters and digits that may be a passport number. It returns
// the end of the run.
func (sc *scanner) token(i int) int {
	s := sc.s
	j := i
	for j < len(s) && isLetter(s[j]) {
		j++
	}
	k := j
	for k < len(s) && (isLetter(s[k]) || isDigit(s[k])) {
		k++
	}
	if k > j { // letters then digits (and maybe more letters)
		sc.passportShape(i, k)
		return k
	}
	word := s[i:j]
	if c := lookupWord(word); c != cueNone {
		m := mark{c, i, j}
		sc.marks = append(sc.marks, m)
		sc.afterCue(m)
	} else if len(word) == 1 && (word == "d" || word == "D") && hasPrefixFold(s[j:], ".o.b") {
		m := mark{cueBirth, i, j + 4}
		if j+4 < len(s) && s[j+4] == '.' {
			m.end++
		}
		sc.marks = append(sc.marks, m)
		sc.afterCue(m)
		return m.end
	}
	sc.name(i, j)
	return j
}

// merge sorts finds by place and merges those that overlap.
func merge(fs []Finding) []Finding {
	slices.SortStableFunc(fs, func(a, b Finding) int { return a.Start - b.Start })
	out := fs[:1]
	for _, f := range fs[1:] {
		last := &out[len(out)-1]
		if f.Start < last.End {
			last.End = max(last.End, f.End)
			continue
		}
		out = append(out, f)
	}
	return out
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isUpper(c byte) bool  { return 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isAlnum(c byte) bool  { return isLetter(c) || isDigit(c) }

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// hasPrefixFold reports whether s starts with prefix, compared without
// ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
