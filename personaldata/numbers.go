package personaldata

// group is a run of digits in a number written in groups, such as the
// three of "35202-1234567-1". x is set when the run ends in the letter X,
// which a Chinese resident identity number may end with.
type group struct {
	start, end int // the digits (and the X), s[start:end]
	x          bool
	sep        string // the separator before the group; "" for the first
}

// digits returns the number of digits of the group.
func (g group) digits() int {
	if g.x {
		return g.end - g.start - 1
	}
	return g.end - g.start
}

// maxGroups bounds the groups of one number.
const maxGroups = 12

// number handles a number that starts at start (a '+' or its first
// digit) with its first digit at at: digit groups separated by at most
// two of space, hyphen, dot, slash and parentheses. It reports the
// identifiers the groups form and returns the end of the number.
func (sc *scanner) number(start, at int) int {
	s := sc.s
	var gs [maxGroups]group
	n := 0
	i := at
	for n < maxGroups {
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		g := group{start: i, end: j}
		if j < len(s) && (s[j] == 'X' || s[j] == 'x') && (j+1 == len(s) || !isAlnum(s[j+1])) {
			g.end, g.x = j+1, true
		}
		if n > 0 {
			g.sep = s[gs[n-1].end:i]
		}
		gs[n] = g
		n++
		i = g.end
		if g.x || i < len(s) && isLetter(s[i]) {
			break
		}
		k := i
		for k < len(s) && k-i < 2 && isSeparator(s[k]) {
			k++
		}
		if k == i || k == len(s) || !isDigit(s[k]) {
			break
		}
		i = k
	}
	end := gs[n-1].end
	if n == maxGroups { // skip the rest of an overlong number
		for end < len(s) && (isDigit(s[end]) || isSeparator(s[end])) {
			end++
		}
	}
	// A number glued to letters after it ("123456789CN") is a code, not
	// an identifier of a person; only its other groups are looked at.
	last := n
	if gs[n-1].end < len(s) && isLetter(s[gs[n-1].end]) {
		last = n - 1
	}
	first := 0
	if start < at {
		first = sc.international(start, gs[:last])
	}
	for k := first; k < last; {
		k += sc.identifier(gs[k:last])
	}
	return end
}

// isSeparator reports whether c may separate the groups of a number.
func isSeparator(c byte) bool {
	return c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')'
}

// international reports a phone number written with its '+' at start:
// the groups after it, as many as hold at most 15 digits (E.164's
// longest), when they hold at least 8. It returns how many groups it
// used.
func (sc *scanner) international(start int, gs []group) int {
	total, k := 0, 0
	for k < len(gs) && total+gs[k].digits() <= 15 && !gs[k].x {
		total += gs[k].digits()
		k++
	}
	if total < 8 {
		return 0
	}
	sc.add(Phone, start, gs[k-1].end)
	return k
}

// identifier reports the identifier that starts with the first group of
// gs, if any, and returns how many groups it used (at least one). A group
// after a dot is a decimal fraction (4915.6799999999985) when it stands
// alone, never an identifier.
func (sc *scanner) identifier(gs []group) int {
	s, g := sc.s, gs[0]
	d := g.digits()
	if g.sep == "." && (len(gs) == 1 || gs[1].sep != ".") {
		return 1
	}
	// CNIC: 5-7-1, with hyphens or spaces, or 13 digits together. The
	// first digit is the province (1 to 7).
	if len(gs) >= 3 && d == 5 && gs[1].digits() == 7 && gs[2].digits() == 1 && !gs[1].x && !gs[2].x &&
		gs[1].sep == gs[2].sep && (gs[1].sep == "-" || gs[1].sep == " ") && s[g.start] >= '1' && s[g.start] <= '7' {
		sc.add(CNIC, g.start, gs[2].end)
		return 3
	}
	if d == 13 && !g.x && s[g.start] >= '1' && s[g.start] <= '7' && !cuedBefore(sc.marks, g.start, cueBarcode) {
		sc.add(CNIC, g.start, g.end)
		return 1
	}
	// Chinese resident identity number: 18 characters, or 6-8-4 in groups.
	if g.end-g.start == 18 && chineseID(s[g.start:g.end]) {
		sc.add(ChineseID, g.start, g.end)
		return 1
	}
	if len(gs) >= 3 && d == 6 && gs[1].digits() == 8 && gs[2].end-gs[2].start == 4 && gs[1].sep == " " && gs[2].sep == " " &&
		chineseID(s[g.start:g.end]+s[gs[1].start:gs[1].end]+s[gs[2].start:gs[2].end]) {
		sc.add(ChineseID, g.start, gs[2].end)
		return 3
	}
	if g.x {
		return 1
	}
	if n := sc.localPhone(gs); n > 0 {
		return n
	}
	return 1
}

// localPhone reports a phone number written without '+' that starts
// with the first group: a Pakistani or Chinese mobile number, with or
// without its country code (92, 86, or 00 and any country code), grouped
// as people write them. An air waybill (3-8, "176-12345675") is not
// grouped so, and an 11-digit number after "AWB" or "waybill" is taken for
// one. It returns how many groups it used.
func (sc *scanner) localPhone(gs []group) int {
	s := sc.s
	var digits [16]byte
	total := 0
	for k := 0; k < len(gs) && k < 5; k++ {
		g := gs[k]
		if g.x || total+g.digits() > len(digits) {
			return 0
		}
		total += copy(digits[total:], s[g.start:g.end])
		if phoneShape(string(digits[:total]), gs[:k+1]) && !(k == 0 && total == 11 && cuedBefore(sc.marks, g.start, cueWaybill)) {
			sc.add(Phone, gs[0].start, g.end)
			return k + 1
		}
	}
	return 0
}

// phoneShape reports whether the digits d, written in the groups gs, are
// a phone number.
func phoneShape(d string, gs []group) bool {
	first := gs[0].digits()
	one := len(gs) == 1
	switch {
	case len(d) == 11 && d[0] == '0' && d[1] == '3' && d[2] >= '0' && d[2] <= '5':
		// Pakistani mobile 03XX-XXXXXXX.
		return one || first == 4
	case len(d) == 12 && d[:3] == "923" && d[3] >= '0' && d[3] <= '5':
		// Pakistani mobile with country code, 92 300 1234567.
		return one || first == 2 || first == 5
	case len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9':
		// Chinese mobile 138 0013 8000.
		return one || first == 3 && len(gs) == 3 && gs[1].digits() == 4
	case len(d) == 13 && d[:2] == "86" && d[2] == '1' && d[3] >= '3' && d[3] <= '9':
		// Chinese mobile with country code, 86 138 0013 8000.
		return one || first == 2 || first == 5
	case len(d) >= 11 && len(d) <= 17 && d[0] == '0' && d[1] == '0' && d[2] != '0' && !one:
		// 00 and a country code, as dialled from Pakistan or China.
		return first == 4 || first == 5
	}
	return false
}

// chineseID reports whether s (18 characters) is a Chinese resident
// identity number: a province code, a birth date that exists, a sequence
// number and the ISO 7064 MOD 11-2 check character.
func chineseID(s string) bool {
	if len(s) != 18 {
		return false
	}
	for i := 0; i < 17; i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	if !chineseProvince(int(s[0]-'0')*10 + int(s[1]-'0')) {
		return false
	}
	year := atoi(s[6:10])
	month, day := atoi(s[10:12]), atoi(s[12:14])
	if year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return false
	}
	return s[17] == checkMod112(s[:17]) || s[17] == 'x' && checkMod112(s[:17]) == 'X'
}

// checkMod112 returns the ISO 7064 MOD 11-2 check character of digits.
func checkMod112(digits string) byte {
	sum := 0
	for i := 0; i < len(digits); i++ {
		sum = (sum + int(digits[i]-'0')) * 2 % 11
	}
	c := (12 - sum%11) % 11
	if c == 10 {
		return 'X'
	}
	return byte('0' + c)
}

// chineseProvince reports whether p is the code of a province-level
// division of China in GB/T 2260, as the first two digits of a resident
// identity number give it.
func chineseProvince(p int) bool {
	switch {
	case p >= 11 && p <= 15, p >= 21 && p <= 23, p >= 31 && p <= 37, p >= 41 && p <= 46,
		p >= 50 && p <= 54, p >= 61 && p <= 65, p == 71, p == 81, p == 82, p == 83:
		return true
	}
	return false
}

// atoi returns the value of a string of ASCII digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// daysIn returns the number of days of month in year.
func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
