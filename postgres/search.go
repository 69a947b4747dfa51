package postgres

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"crossguard"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Full-text search works on words: runs of letters, numbers and marks, in
// lower case and without diacritics (é becomes e, as the SQLite backend's
// unicode61 tokenizer does with remove_diacritics 2). Everything else
// separates words. The words are computed here rather than by a PostgreSQL
// text search parser, so that both backends agree on what a word is and no
// character of a query can act as an operator: the seizure's words become
// its tsvector with array_to_tsvector, and a query's words are joined with
// & into a tsquery of quoted lexemes.

// maxWordBytes is the longest word indexed; PostgreSQL refuses lexemes of
// 2 KiB and more. No real word of goods or narratives comes near it.
const maxWordBytes = 1000

// searchWords returns the words of text for the seizures.fts column, joined
// by single spaces (split again by string_to_array in SQL): the goods
// descriptions and the narrative of s.
func searchWords(s *crossguard.Seizure) string {
	var b strings.Builder
	for _, g := range s.Goods {
		b.WriteString(g.Description)
		b.WriteByte(' ')
	}
	b.WriteString(s.Narrative)
	var out strings.Builder
	for _, w := range words(b.String()) {
		if len(w) > maxWordBytes {
			continue
		}
		if out.Len() > 0 {
			out.WriteByte(' ')
		}
		out.WriteString(w)
	}
	return out.String()
}

// searchQuery returns the tsquery that requires every word of q, or "" if
// q has no word that an indexed text can hold (then nothing matches).
func searchQuery(q string) string {
	ws := words(q)
	if len(ws) == 0 {
		return ""
	}
	parts := make([]string, len(ws))
	for i, w := range ws {
		if len(w) > maxWordBytes {
			return ""
		}
		parts[i] = "'" + w + "'" // words hold no quote, backslash or space
	}
	return strings.Join(parts, " & ")
}

// words splits text into lower-case words without diacritics: runs of
// letters, numbers and (spacing) marks, the characters SQLite's unicode61
// tokenizer keeps in a token.
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(foldDiacritics(text)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r)
	})
}

// foldDiacritics removes combining marks after canonical decomposition, so
// that "café" and "cafe" are the same word.
func foldDiacritics(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return folded
}
