package personaldata

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// honorifics are the titles that come before a person's name, as written
// (a ship's "MS" and "MV" are not among them).
var honorifics = map[string]bool{"Mr": true, "MR": true, "Mrs": true, "MRS": true, "Ms": true, "Mst": true, "MST": true, "Miss": true,
	"alias": true, "Alias": true, "ALIAS": true}

// name reports a person's name recognised by what comes before or
// between its words: an honorific ("Mr Khan", "Mst. Bibi") or "alias",
// or, as police
// reports in Pakistan write parentage, "s/o", "d/o" or "w/o" between two
// names ("Ali s/o Ahmed"). The word s[i:j] is the honorific or the "s" of
// "s/o"; a capitalised word must follow. Names without such a marker
// cannot be told by their shape from the names of places, companies and
// ships, and are not found.
func (sc *scanner) name(i, j int) {
	s := sc.s
	w := s[i:j]
	switch {
	case honorifics[w]:
		k := j
		if k < len(s) && s[k] == '.' {
			k++
		}
		if end := capitalisedWords(s, k); end > k {
			sc.add(Name, i, end)
		}
	case len(w) == 1 && strings.ContainsRune("sdwSDW", rune(w[0])) && j+1 < len(s) && s[j] == '/' && (s[j+1] == 'o' || s[j+1] == 'O') &&
		(j+2 == len(s) || !isAlnum(s[j+2])):
		end := capitalisedWords(s, j+2)
		if end == j+2 {
			return
		}
		start := i
		if b := capitalisedBefore(s, i); b < i {
			start = b
		}
		sc.add(Name, start, end)
	}
}

// capitalisedWords returns the end of the one to three capitalised ASCII
// words that follow s[k:] after a space, or k if none does.
func capitalisedWords(s string, k int) int {
	end := k
	for n := 0; n < 3; n++ {
		p := end
		if p >= len(s) || s[p] != ' ' {
			break
		}
		p++
		if p+1 >= len(s) || !isUpper(s[p]) || !isLetter(s[p+1]) {
			break
		}
		for p < len(s) && isLetter(s[p]) {
			p++
		}
		end = p
	}
	return end
}

// capitalisedBefore returns the start of the capitalised ASCII word that
// ends one space before i, or i if there is none.
func capitalisedBefore(s string, i int) int {
	if i < 3 || s[i-1] != ' ' {
		return i
	}
	b := i - 1
	for b > 0 && isLetter(s[b-1]) {
		b--
	}
	if b < i-2 && isUpper(s[b]) && (b == 0 || !isAlnum(s[b-1])) {
		return b
	}
	return i
}

// wideParentage are the Urdu words of parentage that police reports
// write between two names: son of, daughter of, wife of.
var wideParentage = []string{"ولد", "بنت", "زوجہ"}

// chineseNameCue is the Chinese word for a person's full name, as forms
// and reports write it before the name ("姓名：张伟").
const chineseNameCue = "姓名"

// wideNames reports the Urdu parentage markers and the word after each,
// and a name of two to four Chinese characters after 姓名 and a colon,
// 为 or 是.
func (sc *scanner) wideNames() {
	s := sc.s
	for from := 0; ; {
		i := strings.Index(s[from:], chineseNameCue)
		if i < 0 {
			break
		}
		start := from + i
		from = start + len(chineseNameCue)
		k := from
		for k < len(s) && (s[k] == ' ' || s[k] == ':') {
			k++
		}
		for _, sep := range []string{"：", "为", "是"} {
			if strings.HasPrefix(s[k:], sep) {
				k += len(sep)
				break
			}
		}
		if k == from {
			continue // "姓名不详": the name is unknown, not given
		}
		end, n := k, 0
		for end < len(s) && n < 4 {
			r, size := utf8.DecodeRuneInString(s[end:])
			if !unicode.Is(unicode.Han, r) {
				break
			}
			end += size
			n++
		}
		if n >= 2 {
			sc.add(Name, start, end)
		}
	}
	for _, w := range wideParentage {
		for from := 0; ; {
			i := strings.Index(s[from:], w)
			if i < 0 {
				break
			}
			start := from + i
			from = start + len(w)
			if start > 0 {
				if r, _ := utf8.DecodeLastRuneInString(s[:start]); unicode.IsLetter(r) {
					continue // inside a longer word
				}
			}
			end := from
			if r, _ := utf8.DecodeRuneInString(s[end:]); unicode.IsLetter(r) {
				continue
			}
			rest := strings.TrimLeft(s[end:], " ")
			next := len(s) - len(rest)
			wordEnd := next
			for wordEnd < len(s) {
				r, n := utf8.DecodeRuneInString(s[wordEnd:])
				if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) {
					break
				}
				wordEnd += n
			}
			if wordEnd > next {
				sc.add(Name, start, wordEnd)
			}
		}
	}
}
