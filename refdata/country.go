package refdata

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

//go:embed countries.csv
var countriesCSV []byte

// CountryEntry is one officially assigned ISO 3166-1 alpha-2 country code
// and the country's English short name.
type CountryEntry struct {
	Code string `json:"code"` // "PK"
	Name string `json:"name"` // "Pakistan"
}

// codeTable is a parsed code,name file: the entries in code order and an
// index from code to name.
type codeTable[E any] struct {
	list  []E
	names map[string]string
}

// countryData parses the embedded country list on first use.
var countryData = sync.OnceValue(func() codeTable[CountryEntry] {
	list, names := parseCodes("countries.csv", countriesCSV, 2,
		func(code, name string) CountryEntry { return CountryEntry{Code: code, Name: name} })
	return codeTable[CountryEntry]{list, names}
})

// parseCodes reads an embedded code,name file whose codes are n upper-case
// letters A-Z, unique and in ascending order. It panics on any defect.
func parseCodes[E any](file string, data []byte, n int, entry func(code, name string) E) ([]E, map[string]string) {
	rows := readCSV(file, data, "code", "name")
	list := make([]E, 0, len(rows))
	names := make(map[string]string, len(rows))
	prev := ""
	for i, rec := range rows {
		code, name := rec[0], strings.TrimSpace(rec[1])
		switch {
		case len(code) != n || !upperLetters(code):
			csvPanic(file, i+2, "code %q is not %d letters A-Z", code, n)
		case code <= prev:
			csvPanic(file, i+2, "code %s is out of order or repeated (after %s)", code, prev)
		case name == "":
			csvPanic(file, i+2, "code %s has no name", code)
		}
		prev = code
		list = append(list, entry(code, name))
		names[code] = name
	}
	if len(list) == 0 {
		panic("refdata: embedded " + file + " has no codes")
	}
	return list, names
}

// Country returns the English short name of the country with this
// ISO 3166-1 alpha-2 code, and whether the code is officially assigned.
// Codes must be upper case; user-assigned codes such as "XK" are not found.
func Country(code string) (name string, ok bool) {
	name, ok = countryData().names[code]
	return name, ok
}

// Countries returns all 249 officially assigned ISO 3166-1 alpha-2 codes
// with their names, sorted by code. The slice is a fresh copy.
func Countries() []CountryEntry {
	return append([]CountryEntry(nil), countryData().list...)
}

// CheckCountry returns nil if code is an officially assigned ISO 3166-1
// alpha-2 country code written in upper case, and otherwise an error saying
// why; if code is only in the wrong case, the error gives the right form.
func CheckCountry(code string) error {
	return checkCode(code, "country code", "ISO 3166-1 alpha-2 country code", 2, Country)
}

// checkCode validates an upper-case letter code of length n against lookup.
// what names the code in an empty-input message, std in the others.
func checkCode(code, what, std string, n int, lookup func(string) (string, bool)) error {
	if code == "" {
		return fmt.Errorf("%s is empty", what)
	}
	if _, ok := lookup(code); ok {
		return nil
	}
	if upper := asciiUpper(code); upper != code {
		if _, ok := lookup(upper); ok {
			return fmt.Errorf("%q is not an %s: use upper case: %q", code, std, upper)
		}
	}
	if len(code) != n || !upperLetters(asciiUpper(code)) {
		return fmt.Errorf("%q is not an %s: it must be %d letters", code, std, n)
	}
	return fmt.Errorf("%q is not an %s", code, std)
}

// upperLetters reports whether s is made of the letters A-Z only.
func upperLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// asciiUpper returns s with the letters a-z changed to A-Z and nothing else
// changed, so that a hint never maps some other script onto a code.
func asciiUpper(s string) string {
	return strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
}
