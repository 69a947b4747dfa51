package personaldata

import (
	"regexp"
)

// What may stand between a cue and the number it announces: punctuation,
// "no."/"number"/"#", and "is"/"was". A weak cue needs the "no", "number",
// "#" or colon.
const (
	strongLead = `^[\s:：#.,\-]*(?:(?:no|nos|number|num|nr)\b\.?[\s:：#.\-]*)?(?:(?:is|was)\s+)?`
	weakLead   = `^[\s.]*(?:(?:no|nos|number|num|nr)\b\.?|#|:|：)[\s:：#.\-]*(?:(?:is|was)\s+)?`
)

// Patterns of what follows a cue.
var (
	// A passport number: letters and digits, at least 6 characters.
	passportAfter     = regexp.MustCompile(`(?i)` + strongLead + `([a-z]{0,3}[0-9][a-z0-9]{4,11})`)
	passportAfterWeak = regexp.MustCompile(`(?i)` + weakLead + `([a-z]{0,3}[0-9][a-z0-9]{4,11})`)
	// A phone number in any grouping, 7 to 15 digits.
	phoneAfter     = regexp.MustCompile(`(?i)` + strongLead + `(\+?\(?[0-9][0-9 ().\-]{5,22}[0-9])`)
	phoneAfterWeak = regexp.MustCompile(`(?i)` + weakLead + `(\+?\(?[0-9][0-9 ().\-]{5,22}[0-9])`)
	// A date, or a year, after "born", "DOB", "date of birth"...
	birthAfter = regexp.MustCompile(`(?i)^[\s:：,.\-]*(?:(?:on|in|is|was|date|of|日期|于|於|是|日)\s*[:：]?\s*){0,3}(` +
		`[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}` +
		`|[0-9]{1,2}[-/. ][0-9]{1,2}[-/. ][0-9]{2,4}` +
		`|[0-9]{1,2}(?:st|nd|rd|th)?[\s\-]*(?:of\s+)?` + months + `[a-z]*\.?,?[\s\-]*[0-9]{2,4}` +
		`|` + months + `[a-z]*\.?[\s\-]*[0-9]{1,2}(?:st|nd|rd|th)?,?\s*[0-9]{4}` +
		`|` + months + `[a-z]*\.?,?\s*[0-9]{4}` +
		`|[0-9]{4}\s*年\s*[0-9]{1,2}\s*月(?:\s*[0-9]{1,2}\s*日)?` +
		`|(?:19|20)[0-9]{2})`)
)

// months matches the English month names and their abbreviations.
const months = `(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)`

// cueReach is how far after a cue its number is looked for, in bytes.
const cueReach = 48

// afterCue reports the identifier that the cue m announces, if one
// follows it closely: a passport number after "passport" or "PP No", a
// phone number after "tel", "mobile" or "phone", a date after "born",
// "DOB" or "date of birth".
func (sc *scanner) afterCue(m mark) {
	var re *regexp.Regexp
	var k Kind
	switch m.cue {
	case cuePassport:
		re, k = passportAfter, Passport
	case cuePassportWeak:
		re, k = passportAfterWeak, Passport
	case cuePhone:
		re, k = phoneAfter, Phone
	case cuePhoneWeak:
		re, k = phoneAfterWeak, Phone
	case cueBirth:
		re, k = birthAfter, DateOfBirth
	default:
		return
	}
	window := sc.s[m.end:min(len(sc.s), m.end+cueReach)]
	loc := re.FindStringSubmatchIndex(window)
	if loc == nil {
		return
	}
	start, end := m.end+loc[2], m.end+loc[3]
	if end < len(sc.s) && isAlnum(sc.s[end]) && k != DateOfBirth {
		return // the token goes on: not the number the cue announces
	}
	switch k {
	case Passport:
		if countDigits(sc.s[start:end]) < 5 {
			return
		}
	case Phone:
		if n := countDigits(sc.s[start:end]); n < 7 || n > 15 {
			return
		}
	}
	sc.add(k, start, end)
}

// countDigits returns the number of ASCII digits in s.
func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			n++
		}
	}
	return n
}
