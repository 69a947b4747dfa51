package personaldata

import "strings"

// cue is what a word near a number says about it.
type cue uint8

// Cues. A strong cue makes the number that follows it an identifier of
// its kind; a weak one (an abbreviation such as "ph" or "pp" that means
// other things too) does only when "no", "number", "#" or ":" follows it.
// The negative cues keep a number of a shape that people's identifiers
// share from being taken for one when the text says what it is.
const (
	cueNone cue = iota
	cuePassport
	cuePassportWeak
	cuePhone
	cuePhoneWeak
	cueBirth
	cueWaybill   // an air waybill: an 11-digit number is not a phone
	cueBarcode   // an EAN/GTIN: a 13-digit number is not a CNIC
	cueNotPerson // a seal, invoice, lot...: a passport-shaped token is not one
)

// asciiCues maps lower-case ASCII words to their cue.
var asciiCues = map[string]cue{
	"passport": cuePassport, "passports": cuePassport, "passportno": cuePassport,
	"pp": cuePassportWeak, "ppt": cuePassportWeak, "ppno": cuePassport,
	"phone": cuePhone, "telephone": cuePhone, "tel": cuePhone, "mobile": cuePhone,
	"whatsapp": cuePhone, "fax": cuePhone, "cellphone": cuePhone, "telno": cuePhone,
	"ph": cuePhoneWeak, "mob": cuePhoneWeak, "cell": cuePhoneWeak, "contact": cuePhoneWeak,
	"born": cueBirth, "dob": cueBirth, "birth": cueBirth, "birthdate": cueBirth, "birthday": cueBirth,
	"awb": cueWaybill, "mawb": cueWaybill, "hawb": cueWaybill, "waybill": cueWaybill, "airwaybill": cueWaybill,
	"ean": cueBarcode, "gtin": cueBarcode, "barcode": cueBarcode, "upc": cueBarcode,
	"seal": cueNotPerson, "seals": cueNotPerson, "container": cueNotPerson, "cntr": cueNotPerson,
	"invoice": cueNotPerson, "inv": cueNotPerson, "bl": cueNotPerson, "lading": cueNotPerson,
	"booking": cueNotPerson, "ref": cueNotPerson, "reference": cueNotPerson, "lot": cueNotPerson,
	"batch": cueNotPerson, "serial": cueNotPerson, "model": cueNotPerson, "part": cueNotPerson,
	"order": cueNotPerson, "plate": cueNotPerson, "imo": cueNotPerson, "item": cueNotPerson,
	"tracking": cueNotPerson, "consignment": cueNotPerson, "gd": cueNotPerson, "declaration": cueNotPerson,
	"registration": cueNotPerson, "ntn": cueNotPerson, "vin": cueNotPerson, "chassis": cueNotPerson,
}

// wideCues are cues in other scripts, found by substring since Chinese
// does not separate words: Chinese and Urdu words for passport, phone,
// mobile and birth.
var wideCues = []struct {
	word string
	cue  cue
}{
	{"护照", cuePassport}, {"護照", cuePassport}, {"پاسپورٹ", cuePassport},
	{"电话", cuePhone}, {"電話", cuePhone}, {"手机", cuePhone}, {"手機", cuePhone}, {"فون", cuePhone}, {"موبائل", cuePhone},
	{"出生", cueBirth}, {"生日", cueBirth}, {"پیدائش", cueBirth},
}

// mark is a cue found in the text, ending at byte end.
type mark struct {
	cue        cue
	start, end int
}

// cueWindow is how far (in bytes) a cue reaches to the number after it.
const cueWindow = 24

// cuedBefore reports whether a mark of cue c ends at most cueWindow bytes
// before position at.
func cuedBefore(marks []mark, at int, c cue) bool {
	for _, m := range marks {
		if m.cue == c && m.end <= at && at-m.end <= cueWindow {
			return true
		}
	}
	return false
}

// lookupWord returns the cue of an ASCII word, compared without case.
func lookupWord(w string) cue {
	if len(w) > 16 {
		return cueNone
	}
	var buf [16]byte
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return asciiCues[string(buf[:len(w)])]
}

// wideMarks returns the marks of the cues of other scripts in s.
func wideMarks(s string) []mark {
	var out []mark
	for _, w := range wideCues {
		for from := 0; ; {
			i := strings.Index(s[from:], w.word)
			if i < 0 {
				break
			}
			start := from + i
			out = append(out, mark{w.cue, start, start + len(w.word)})
			from = start + len(w.word)
		}
	}
	return out
}
