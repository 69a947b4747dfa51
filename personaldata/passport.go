package personaldata

// passportShape reports the token s[i:k] (letters, then digits, maybe
// more letters) if it has the shape of a Pakistani or Chinese passport
// number: two capital letters and seven digits (Pakistan); E and eight
// digits, E, a capital letter and seven digits, or G, D, S or P and eight
// digits (China). Other shapes are passport numbers only after a cue such
// as "passport" (see afterCue). A word before the token saying it is a
// seal, an invoice, a lot or another thing's number keeps it from being
// taken for a passport.
//
// Container numbers (four letters, seven digits), flight numbers (two
// characters, up to four digits), UN/LOCODEs (five letters) and UPU
// postal item numbers (two letters, nine digits, two letters) have other
// shapes.
func (sc *scanner) passportShape(i, k int) {
	t := sc.s[i:k]
	if !passportToken(t) || cuedBefore(sc.marks, i, cueNotPerson) {
		return
	}
	sc.add(Passport, i, k)
}

// passportToken reports whether t has one of the passport shapes that
// passportShape looks for.
func passportToken(t string) bool {
	switch len(t) {
	case 9:
		if isUpper(t[0]) && isUpper(t[1]) && allDigits(t[2:]) {
			return true // AB1234567 (Pakistan), EA1234567 (China)
		}
		if (t[0] == 'E' || t[0] == 'G' || t[0] == 'D' || t[0] == 'S' || t[0] == 'P') && allDigits(t[1:]) {
			return true // E12345678 (China)
		}
	}
	return false
}

// allDigits reports whether s is a non-empty string of ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
