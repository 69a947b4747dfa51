package personaldata

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is a kind of personal identifier.
type Kind string

// The kinds of personal identifier that Scan finds.
const (
	CNIC        Kind = "cnic"           // Pakistani computerised national identity card number
	ChineseID   Kind = "cn_resident_id" // Chinese resident identity card number
	Passport    Kind = "passport"       // passport number
	Phone       Kind = "phone"          // telephone number
	Email       Kind = "email"          // e-mail address
	DateOfBirth Kind = "date_of_birth"  // a date given as someone's birth date
	Name        Kind = "name"           // a person's name, recognised by an honorific or parentage marker
)

// Kinds lists every kind Scan can report.
var Kinds = []Kind{CNIC, ChineseID, Passport, Phone, Email, DateOfBirth, Name}

// Describe returns the kind in words, as in "found a Pakistani CNIC
// number".
func (k Kind) Describe() string {
	switch k {
	case CNIC:
		return "a Pakistani CNIC number"
	case ChineseID:
		return "a Chinese resident identity number"
	case Passport:
		return "a passport number"
	case Phone:
		return "a phone number"
	case Email:
		return "an e-mail address"
	case DateOfBirth:
		return "a date of birth"
	case Name:
		return "a person's name"
	}
	return "a personal identifier"
}

// Instead returns what to write in place of an identifier of the kind:
// words that keep what matters for the record without pointing at a
// person.
func (k Kind) Instead() string {
	switch k {
	case CNIC:
		return `"a Pakistani national"`
	case ChineseID:
		return `"a Chinese national"`
	case Passport:
		return `the passport's issuing country, e.g. "a holder of an Afghan passport"`
	case Phone:
		return `"a mobile phone" (the device, not its number; an air waybill is written 176-12345675)`
	case Email:
		return `"an e-mail account" and, if it matters, the provider`
	case DateOfBirth:
		return `"an adult" or "a minor"`
	case Name:
		return `the person's role, e.g. "the driver" or "the passenger"`
	}
	return `the person's role, e.g. "the driver"`
}

// Finding is one personal identifier found in a text. Start and End are
// byte offsets into the text (End excluded); RuneStart and RuneEnd are the
// same place counted in characters (Unicode code points), as a person or
// a form counts them.
type Finding struct {
	Kind      Kind
	Start     int
	End       int
	RuneStart int
	RuneEnd   int
	Masked    string
}

// Mask returns s with every letter and digit but the first replaced by
// '*', keeping separators, so that a message can show the shape of what
// was found without repeating it.
func Mask(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	first := true
	for _, r := range s {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			b.WriteRune(r)
		case first:
			b.WriteRune(r)
			first = false
		default:
			b.WriteByte('*')
		}
	}
	return b.String()
}

// finish fills the character offsets and the masked form of findings,
// which hold byte offsets into text, in order of their start.
func finish(text string, fs []Finding) {
	pos, runes := 0, 0
	count := func(to int) int {
		runes += utf8.RuneCountInString(text[pos:to])
		pos = to
		return runes
	}
	for i := range fs {
		f := &fs[i]
		if f.Start < pos { // overlapping findings are merged before, so never
			pos, runes = 0, 0
		}
		f.RuneStart = count(f.Start)
		f.RuneEnd = f.RuneStart + utf8.RuneCountInString(text[f.Start:f.End])
		f.Masked = Mask(text[f.Start:f.End])
	}
}
