package identifier

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// caseFold applies Unicode full case folding without the Turkic special
// cases, so that the same text folds alike whatever the reader's language.
// A cases.Caser keeps state and must not be shared between goroutines, so
// each call makes its own.
func caseFold(s string) string {
	return cases.Fold().String(s)
}

// fold returns s in NFKC with full Unicode case folding (the NFKC_Casefold
// idea), repeated until it no longer changes, and with every decimal digit
// of any script written as the ASCII digit of the same value. Fullwidth
// "ＣＳＱＵ" and "csqu" both become "csqu"; Urdu "۱۲۳" and Arabic "١٢٣"
// become "123", which NFKC alone leaves alone.
func fold(s string) string {
	if ascii(s) {
		return strings.ToLower(s) // NFKC leaves ASCII as it is
	}
	for range 4 {
		next := norm.NFKC.String(caseFold(norm.NFKC.String(s)))
		if next == s {
			break
		}
		s = next
	}
	return strings.Map(asciiDigit, s)
}

// asciiDigit returns the ASCII digit of a decimal digit r of any script, and
// r itself for anything else. Unicode encodes every set of decimal digits as
// ten consecutive code points from zero to nine, so the value of r is its
// distance, modulo ten, from the start of its range in the Nd table.
func asciiDigit(r rune) rune {
	if r < 0x80 || !unicode.IsDigit(r) {
		return r
	}
	for _, rg := range unicode.Nd.R16 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r >= lo && r <= hi && rg.Stride == 1 {
			return '0' + (r-lo)%10
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r >= lo && r <= hi && rg.Stride == 1 {
			return '0' + (r-lo)%10
		}
	}
	return r
}

// upper returns folded text (the result of fold) with each letter in upper
// case where folding that upper-case letter gives the letter back, so that
// fold(upper(s)) == s and the canonical form stays one fold away from any
// spelling. Letters without case (Han, Arabic script) are unchanged.
func upper(s string) string {
	return strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		if r < 0x80 {
			return r
		}
		if u := unicode.ToUpper(r); u != r && caseFold(string(u)) == string(r) {
			return u
		}
		return r
	}, s)
}

// isSeparator reports whether r is one of the characters people put between
// the groups of an identifier and that no identifier type counts as part of
// its value: white space, dashes and the minus sign, full stops and middle
// dots, slashes, invisible format characters (such as the right-to-left mark
// that copying Urdu or Pashto text brings along) and the Arabic tatweel,
// which only stretches a word.
func isSeparator(r rune) bool {
	switch r {
	case '.', '/', '\\', '\u00b7', '\u30fb', '\u2022', '\u2212', '\u0640':
		return true
	}
	return unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) || unicode.Is(unicode.Cf, r)
}

// compact returns fold(s) without separators and with letters in upper case:
// the canonical spelling of a value whose groups carry no meaning. Folding
// and dropping separators repeat until neither changes anything, because
// each can undo the other: NFKC writes "¨" as a space and a combining mark,
// and dropping the space leaves a mark that NFKC then composes with the
// letter before it.
func compact(s string) string {
	s = fold(s)
	for range 4 {
		next := fold(strings.Map(func(r rune) rune {
			if isSeparator(r) {
				return -1
			}
			return r
		}, s))
		if next == s {
			break
		}
		s = next
	}
	return upper(s)
}

// wordRune reports whether r can be part of a value written in any script:
// a letter, a digit or a combining mark.
func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// ascii reports whether s is made of ASCII characters only.
func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// asciiAlnum reports whether s is non-empty and made of A-Z and 0-9 only.
func asciiAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return s != ""
}

// digits reports whether s is non-empty and made of the digits 0-9 only.
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// letters reports whether s is non-empty and made of A-Z only.
func letters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return s != ""
}
