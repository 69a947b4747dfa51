package sqlite

import (
	"encoding/hex"
	"slices"
	"strings"
	"unicode"

	"crossguard"
)

// ftsRow is the full-text row of a live seizure.
type ftsRow struct {
	key       int64 // seizures.fts_key, the rowid in seizure_fts
	goods     string
	narrative string
	facets    string
}

// Facet tokens code a seizure's categories, country and HS code prefixes
// as words of the facets column: a prefix and the hexadecimal of the
// value, so that any value becomes exactly one token of letters and digits
// that the tokenizer keeps whole and no narrative word can equal.
const (
	facetCategory = "ct"
	facetCountry  = "cy"
	facetHS       = "hp" // every prefix of every HS code, 1 digit and up
)

// facetToken returns the token of a facet value.
func facetToken(facet, value string) string { return facet + hex.EncodeToString([]byte(value)) }

// textOf returns the full-text row of s under FTS key key: its goods
// descriptions, one a line, its narrative and its facet tokens.
func textOf(key int64, s *crossguard.Seizure) ftsRow {
	var goods strings.Builder
	facets := []string{facetToken(facetCountry, s.Country)}
	for i, g := range s.Goods {
		if i > 0 {
			goods.WriteByte('\n')
		}
		goods.WriteString(g.Description)
		facets = append(facets, facetToken(facetCategory, g.Category))
		for n := 1; n <= len(g.HS); n++ {
			facets = append(facets, facetToken(facetHS, g.HS[:n]))
		}
	}
	slices.Sort(facets)
	return ftsRow{key: key, goods: goods.String(), narrative: s.Narrative, facets: strings.Join(slices.Compact(facets), " ")}
}

// queryWords splits a search query into words: runs of letters, digits and
// combining marks. Everything else, FTS5 syntax included, separates words.
func queryWords(q string) []string {
	return strings.FieldsFunc(q, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r)
	})
}

// ftsMatch returns the FTS5 query that requires every word of q in the
// goods descriptions or narrative, each quoted so that no character of q
// is read as FTS5 syntax, and the facet tokens of the other filters given.
// It returns "" if q has no words.
func ftsMatch(q, category, country, hs string) string {
	words := queryWords(q)
	if len(words) == 0 {
		return ""
	}
	for i, w := range words {
		words[i] = `"` + w + `"` // words hold no quotes
	}
	match := "{goods narrative} : (" + strings.Join(words, " AND ") + ")"
	for _, f := range [][2]string{{facetCategory, category}, {facetCountry, country}, {facetHS, hs}} {
		if f[1] != "" {
			match += ` AND facets : "` + facetToken(f[0], f[1]) + `"`
		}
	}
	return match
}
