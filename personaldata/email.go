package personaldata

import "strings"

// email reports the e-mail address around the '@' at i: a local part of
// letters, digits and ._%+- before it, and after it a domain of at least
// two labels whose last is two letters or more.
func (sc *scanner) email(i int) {
	s := sc.s
	start := i
	for start > 0 && isLocalPart(s[start-1]) {
		start--
	}
	for start < i && s[start] == '.' {
		start++
	}
	if start == i {
		return
	}
	end := i + 1
	for end < len(s) && (isAlnum(s[end]) || s[end] == '-' || s[end] == '.') {
		end++
	}
	for end > i+1 && (s[end-1] == '.' || s[end-1] == '-') {
		end--
	}
	domain := s[i+1 : end]
	dot := strings.LastIndexByte(domain, '.')
	if dot <= 0 || len(domain)-dot-1 < 2 {
		return
	}
	for _, c := range []byte(domain[dot+1:]) {
		if !isLetter(c) {
			return
		}
	}
	sc.add(Email, start, end)
}

// isLocalPart reports whether c may be part of an address's local part.
func isLocalPart(c byte) bool {
	return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}
