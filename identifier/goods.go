package identifier

import (
	"fmt"
	"strings"

	"crossguard/refdata"
)

// maxTokenBytes is the longest goods token indexed; longer runs of letters
// are not words anyone searches for.
const maxTokenBytes = 64

// stopWords are the English words of goods descriptions that say nothing
// about the goods, left out of the index. Descriptions in other languages
// keep all their words.
var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "at": true,
	"be": true, "by": true, "for": true, "from": true, "in": true, "into": true,
	"is": true, "it": true, "its": true, "of": true, "on": true, "or": true,
	"other": true, "than": true, "that": true, "the": true, "their": true,
	"this": true, "to": true, "was": true, "were": true, "which": true,
	"with": true, "without": true,
}

// GoodsTokens returns the tokens to index for a line of goods: the words of
// its description, folded (NFKC and Unicode case folding, so "HEROIN" and
// "Heroin" are "heroin"), without English stop words, numbers (quantities
// such as "25" are not goods) and words over 64 bytes; then "hs:" and the
// chapter, heading and subheading of its HS code ("hs:29", "hs:2939",
// "hs:293911"), so that a search for a heading finds every subheading in
// it. The digits of a national tariff code after the sixth are not tokens,
// since they mean different things in different countries. An empty code
// gives no HS token; an invalid one is an error. Each token appears once,
// in the order first seen, and each is a canonical goods value.
func GoodsTokens(description, hs string) ([]string, error) {
	var tokens []string
	seen := map[string]bool{}
	add := func(t string) {
		if !seen[t] {
			seen[t] = true
			tokens = append(tokens, t)
		}
	}
	for _, w := range goodsWords(description) {
		add(w)
	}
	if hs == "" {
		return tokens, nil
	}
	if err := refdata.CheckHS(hs); err != nil {
		return nil, &Error{Type: Goods, Value: hs, Reason: err.Error()}
	}
	hs2, hs4, hs6 := refdata.HSPrefixes(hs)
	for _, p := range []string{hs2, hs4, hs6} {
		if p != "" {
			add("hs:" + p)
		}
	}
	return tokens, nil
}

// goodsWords returns the indexable words of text: folded runs of letters,
// digits and marks that are neither stop words, nor numbers, nor too long.
func goodsWords(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(fold(text), func(r rune) bool { return !wordRune(r) }) {
		if !stopWords[w] && !digits(w) && len(w) <= maxTokenBytes {
			out = append(out, w)
		}
	}
	return out
}

// normalizeGoods reads one goods token: a word, which becomes its folded
// form, or "hs:" and an HS 2022 chapter, heading or subheading.
func normalizeGoods(v string) (string, string) {
	f := strings.TrimSpace(fold(v))
	if code, ok := strings.CutPrefix(f, "hs:"); ok {
		code = strings.TrimSpace(code)
		if len(code) != 2 && len(code) != 4 && len(code) != 6 {
			return "", fmt.Sprintf("an HS token is \"hs:\" and a chapter, heading or subheading of 2, 4 or 6 digits, not %q", code)
		}
		if err := refdata.CheckHS(code); err != nil {
			return "", err.Error()
		}
		return "hs:" + code, ""
	}
	words := goodsWords(f)
	if len(words) != 1 || words[0] != f {
		return "", `a goods token is one word of letters and digits that is not a number or a stop word, or "hs:" and an HS code, as in "heroin" or "hs:2939"`
	}
	return f, ""
}
