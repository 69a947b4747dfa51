package identifier

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"crossguard/refdata"
)

// normalizePlate reads a vehicle registration plate with the country that
// issued it: "PK:LEA-1234", "PK LEA 1234" and "pk:lea1234" are all
// "PK:LEA1234". The plate may be written in any script ("CN:京A12345").
func normalizePlate(v string) (string, string) {
	return countryQualified(v, 16, `"PK:LEA-1234" or "PK LEA-1234"`)
}

// normalizeCompany reads the registration number of a company or other
// legal person with the country of the register: "PK:0012345",
// "GB 01234567". It is never the number of a natural person, such as a sole
// trader's national identity number; the root package's screen for personal
// identifiers still runs on the value.
func normalizeCompany(v string) (string, string) {
	return countryQualified(v, 40, `"PK:0012345" or "GB 01234567"`)
}

// countryQualified reads "CC:VALUE" or "CC VALUE": an ISO 3166-1 alpha-2
// country code, in any case, then a colon or white space, then up to max
// letters, digits and marks of any script once separators are folded. The
// canonical form is "CC:VALUE" with the value as compact writes it.
func countryQualified(v string, max int, example string) (string, string) {
	f := strings.TrimSpace(upper(fold(v)))
	cc, rest := f, ""
	if i := strings.IndexFunc(f, func(r rune) bool { return r == ':' || isSeparator(r) }); i >= 0 {
		cc, rest = f[:i], f[i:]
	}
	if len(cc) != 2 || !letters(cc) || rest == "" || rest[0] != ':' && !isSpaceStart(rest) {
		return "", "write the country code first, then a colon or a space, as in " + example
	}
	if _, ok := refdata.Country(cc); !ok {
		return "", fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 country code", cc)
	}
	value := compact(strings.TrimLeft(rest, ": \t"))
	switch n := utf8.RuneCountInString(value); {
	case n == 0:
		return "", "the value after the country code is empty"
	case n > max:
		return "", fmt.Sprintf("the value after the country code has %d characters, at most %d", n, max)
	case strings.IndexFunc(value, func(r rune) bool { return !wordRune(r) }) >= 0:
		return "", "the value after the country code may hold only letters and digits, with spaces, hyphens, dots or slashes between groups"
	}
	return cc + ":" + value, ""
}

// isSpaceStart reports whether s starts with a separator that is white
// space, the other way to write the country apart from the value.
func isSpaceStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}
