package refdata

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Result-count bounds of SearchHS.
const (
	// DefaultSearchLimit is the number of results SearchHS returns when
	// asked for limit <= 0.
	DefaultSearchLimit = 20
	// MaxSearchLimit is the most results SearchHS ever returns.
	MaxSearchLimit = 200
)

// SearchHS finds HS 2022 chapters, headings and subheadings, returning at
// most limit of them (DefaultSearchLimit if limit <= 0, never more than
// MaxSearchLimit).
//
// If q, trimmed, is all digits (dots are ignored, so "2939.11" works), the
// result is every entry whose code starts with those digits, in code order.
//
// Otherwise q is split into words at every character that is not a letter
// or digit, and the result is every entry whose description contains each
// word, ignoring case. Entries in which each word is a whole word of the
// description ("opium" in "of opium") come before those where some word is
// only part of one ("opium" in "opiumlike"); within each group chapters come
// before headings and headings before subheadings, then code order applies.
//
// A q with no letters or digits finds nothing. The entries returned are
// copies and may be changed freely.
func SearchHS(q string, limit int) []HSEntry {
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	limit = min(limit, MaxSearchLimit)
	q = strings.TrimSpace(q)
	if digits := strings.ReplaceAll(q, ".", ""); allDigits(digits) {
		return searchHSCode(digits, limit)
	}
	return searchHSWords(splitWords(strings.ToLower(q)), limit)
}

// searchHSCode returns the entries whose code starts with prefix.
func searchHSCode(prefix string, limit int) []HSEntry {
	t := hsData()
	var out []HSEntry
	i := sort.Search(len(t.entries), func(i int) bool { return t.entries[i].Code >= prefix })
	for ; i < len(t.entries) && len(out) < limit && strings.HasPrefix(t.entries[i].Code, prefix); i++ {
		out = append(out, t.entries[i])
	}
	return out
}

// searchHSWords returns the entries whose description contains every one of
// the lower-case words, ranked as SearchHS describes.
func searchHSWords(words []string, limit int) []HSEntry {
	if len(words) == 0 {
		return nil
	}
	type hit struct {
		i     int
		exact bool
	}
	t := hsData()
	var hits []hit
	for i, desc := range t.lower {
		if !containsAll(desc, words) {
			continue
		}
		hits = append(hits, hit{i, containsAllWords(desc, words)})
	}
	// Entries are in code order, so a stable sort on (exact, level) leaves
	// code order within each rank.
	slices.SortStableFunc(hits, func(a, b hit) int {
		if a.exact != b.exact {
			if a.exact {
				return -1
			}
			return 1
		}
		return t.entries[a.i].Level - t.entries[b.i].Level
	})
	out := make([]HSEntry, 0, min(len(hits), limit))
	for _, h := range hits[:min(len(hits), limit)] {
		out = append(out, t.entries[h.i])
	}
	return out
}

// splitWords splits s at every character that is not a letter or digit.
func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) })
}

// containsAll reports whether s contains every one of words.
func containsAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

// containsAllWords reports whether every one of words occurs in s as a
// whole word, that is, not next to another letter or digit.
func containsAllWords(s string, words []string) bool {
	for _, w := range words {
		if !containsWord(s, w) {
			return false
		}
	}
	return true
}

// containsWord reports whether w occurs in s as a whole word.
func containsWord(s, w string) bool {
	for from := 0; from < len(s); {
		j := strings.Index(s[from:], w)
		if j < 0 {
			return false
		}
		start, end := from+j, from+j+len(w)
		before, _ := utf8.DecodeLastRuneInString(s[:start])
		after, _ := utf8.DecodeRuneInString(s[end:])
		if !isWordRune(before) && !isWordRune(after) {
			return true
		}
		from = start + 1
	}
	return false
}

// isWordRune reports whether r is part of a word: a letter or digit.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
