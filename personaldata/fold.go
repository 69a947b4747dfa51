package personaldata

import (
	"strings"
	"unicode/utf8"
)

// fold returns text with what would hide an identifier from an ASCII
// pattern made ASCII: the digits of other scripts (Arabic-Indic, the
// Extended Arabic-Indic digits that Urdu is written with, Devanagari,
// fullwidth), fullwidth forms of ASCII characters ('＋', '＠', fullwidth
// letters), Unicode dashes and wide spaces. It also returns, for each byte
// of the folded text and one past its end, the offset in text it came
// from; the map is nil when text needs no folding, which is the case for
// ASCII text.
func fold(text string) (string, []int) {
	i := 0
	for i < len(text) && text[i] < utf8.RuneSelf {
		i++
	}
	if i == len(text) {
		return text, nil
	}
	needs := false
	for _, r := range text[i:] {
		if _, ok := foldRune(r); ok {
			needs = true
			break
		}
	}
	if !needs {
		return text, nil
	}
	var b strings.Builder
	b.Grow(len(text))
	orig := make([]int, 0, len(text)+1)
	for at := 0; at < len(text); {
		r, n := utf8.DecodeRuneInString(text[at:])
		if f, ok := foldRune(r); ok {
			b.WriteByte(f)
			orig = append(orig, at)
		} else {
			b.WriteString(text[at : at+n])
			for k := 0; k < n; k++ {
				orig = append(orig, at+k)
			}
		}
		at += n
	}
	orig = append(orig, len(text))
	return b.String(), orig
}

// foldRune returns the ASCII character that r stands for, if fold folds
// it.
func foldRune(r rune) (byte, bool) {
	switch {
	case r < utf8.RuneSelf:
		return 0, false
	case r >= 0x0660 && r <= 0x0669: // Arabic-Indic digits
		return byte('0' + r - 0x0660), true
	case r >= 0x06F0 && r <= 0x06F9: // Extended Arabic-Indic digits (Urdu, Persian)
		return byte('0' + r - 0x06F0), true
	case r >= 0x0966 && r <= 0x096F: // Devanagari digits
		return byte('0' + r - 0x0966), true
	case r >= 0xFF01 && r <= 0xFF5E: // fullwidth ASCII
		return byte(r - 0xFEE0), true
	case r >= 0x2010 && r <= 0x2015, r == 0x2212: // hyphens, dashes, minus sign
		return '-', true
	case r == 0x00A0, r == 0x2007, r == 0x202F, r == 0x3000: // no-break and wide spaces
		return ' ', true
	}
	return 0, false
}
