package refdata

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:embed hs2022/harmonized-system.csv
var hsCSV []byte

//go:embed hs2022/sections.csv
var hsSectionsCSV []byte

// HSEntry is one line of the HS 2022 nomenclature.
type HSEntry struct {
	Code        string `json:"code"` // "29", "2939", "293911"
	Description string `json:"description"`
	Parent      string `json:"parent"`  // "" for chapters (the CSV says TOTAL)
	Level       int    `json:"level"`   // 2, 4 or 6
	Section     string `json:"section"` // roman numeral "VI"
	SectionName string `json:"section_name"`
}

// hsTable is the parsed nomenclature.
type hsTable struct {
	entries []HSEntry      // in code order, so each code follows its parent
	lower   []string       // lower-case descriptions, parallel to entries
	index   map[string]int // code to position in entries
}

// hsData parses the embedded nomenclature on first use.
var hsData = sync.OnceValue(func() *hsTable {
	return parseHS(hsCSV, hsSectionsCSV)
})

// parseHS builds the table from the nomenclature and sections files. Rows
// of the TOTAL section (the grand total and chapter 99, "commodities not
// specified according to kind") are statistical conventions of the data
// package, not HS codes, and are skipped. It panics on any defect.
func parseHS(nomenclature, sections []byte) *hsTable {
	const secFile, hsFile = "hs2022/sections.csv", "hs2022/harmonized-system.csv"

	secNames := make(map[string]string)
	for i, rec := range readCSV(secFile, sections, "section", "name") {
		sec, name := rec[0], strings.TrimSpace(rec[1])
		switch {
		case sec == "" || strings.Trim(sec, "IVXL") != "":
			csvPanic(secFile, i+2, "section %q is not a roman numeral", sec)
		case name == "":
			csvPanic(secFile, i+2, "section %s has no name", sec)
		case secNames[sec] != "":
			csvPanic(secFile, i+2, "section %s appears twice", sec)
		}
		// The data package spells section I "live animals; ...".
		r, size := utf8.DecodeRuneInString(name)
		secNames[sec] = string(unicode.ToUpper(r)) + name[size:]
	}

	t := &hsTable{index: make(map[string]int)}
	for i, rec := range readCSV(hsFile, nomenclature, "section", "hscode", "description", "parent", "level") {
		row := i + 2
		sec, code, desc, parent := rec[0], rec[1], strings.TrimSpace(rec[2]), rec[3]
		if sec == "TOTAL" {
			continue
		}
		level, err := strconv.Atoi(rec[4])
		switch {
		case err != nil || (level != 2 && level != 4 && level != 6):
			csvPanic(hsFile, row, "level %q is not 2, 4 or 6", rec[4])
		case len(code) != level || !allDigits(code):
			csvPanic(hsFile, row, "code %q is not %d digits", code, level)
		case level == 2 && parent != "TOTAL":
			csvPanic(hsFile, row, "chapter %s has parent %q, expected TOTAL", code, parent)
		case level > 2 && parent != code[:level-2]:
			csvPanic(hsFile, row, "code %s has parent %q, expected %q", code, parent, code[:level-2])
		case secNames[sec] == "":
			csvPanic(hsFile, row, "code %s is in unknown section %q", code, sec)
		case desc == "":
			csvPanic(hsFile, row, "code %s has no description", code)
		}
		if _, dup := t.index[code]; dup {
			csvPanic(hsFile, row, "code %s appears twice", code)
		}
		if level == 2 {
			parent = ""
		}
		t.index[code] = len(t.entries)
		t.entries = append(t.entries, HSEntry{
			Code: code, Description: desc, Parent: parent, Level: level,
			Section: sec, SectionName: secNames[sec],
		})
	}
	if len(t.entries) == 0 {
		panic("refdata: embedded " + hsFile + " has no HS codes")
	}

	slices.SortFunc(t.entries, func(a, b HSEntry) int { return strings.Compare(a.Code, b.Code) })
	t.lower = make([]string, len(t.entries))
	for i, e := range t.entries {
		t.index[e.Code] = i
		t.lower[i] = strings.ToLower(e.Description)
		if _, ok := t.index[e.Parent]; e.Parent != "" && !ok {
			panic(fmt.Sprintf("refdata: embedded %s: code %s has parent %s, which is missing", hsFile, e.Code, e.Parent))
		}
	}
	return t
}

// HS returns the chapter (2 digits), heading (4 digits) or subheading
// (6 digits) with exactly this code, and whether it exists in HS 2022.
// National codes longer than 6 digits are not found; look up their
// HSPrefixes instead.
func HS(code string) (HSEntry, bool) {
	t := hsData()
	i, ok := t.index[code]
	if !ok {
		return HSEntry{}, false
	}
	return t.entries[i], true
}

// CheckHS returns nil if code is a valid commodity code: a chapter, heading
// or subheading (2, 4 or 6 digits) that exists in HS 2022, or a national
// tariff code of 8 to 12 digits whose first 6 digits are an existing HS 2022
// subheading. The digits after the sixth are national and are not checked.
// Otherwise the error says what is wrong.
func CheckHS(code string) error {
	n := len(code)
	switch {
	case code == "":
		return fmt.Errorf("HS code is empty")
	case !allDigits(code):
		return fmt.Errorf("%q must contain digits only", code)
	case n != 2 && n != 4 && n != 6 && (n < 8 || n > 12):
		return fmt.Errorf("%q must have 2, 4, 6 or 8 to 12 digits", code)
	case n > 6:
		if _, ok := HS(code[:6]); !ok {
			return fmt.Errorf("national code %q: subheading %q is not in HS 2022", code, code[:6])
		}
	default:
		if _, ok := HS(code); !ok {
			return fmt.Errorf("%q is not an HS 2022 code", code)
		}
	}
	return nil
}

// HSPrefixes returns the chapter, heading and subheading parts of code: its
// first 2, 4 and 6 digits, each "" where code is shorter. It does not check
// that they exist (use CheckHS); if code contains anything but the digits
// 0-9, all three are "".
func HSPrefixes(code string) (hs2, hs4, hs6 string) {
	if !allDigits(code) {
		return "", "", ""
	}
	if len(code) >= 2 {
		hs2 = code[:2]
	}
	if len(code) >= 4 {
		hs4 = code[:4]
	}
	if len(code) >= 6 {
		hs6 = code[:6]
	}
	return hs2, hs4, hs6
}

// allDigits reports whether s is non-empty and made of the digits 0-9 only.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
