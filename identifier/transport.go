package identifier

import (
	"fmt"
	"strings"

	"crossguard/refdata"
)

// normalizeContainer reads an ISO 6346 container number in any case and
// with any separators, and checks it with refdata.CheckContainer.
func normalizeContainer(v string) (string, string) {
	s := compact(v)
	if err := refdata.CheckContainer(s); err != nil {
		return "", err.Error()
	}
	return s, ""
}

// normalizeIMO reads an IMO ship identification number, with or without the
// "IMO" prefix, and checks it with refdata.CheckIMO. The canonical form
// carries the prefix, as the IMO scheme writes the number: "IMO9074729".
func normalizeIMO(v string) (string, string) {
	s := strings.TrimPrefix(compact(v), "IMO")
	if len(s) != 7 || !digits(s) {
		return "", `must be 7 digits, optionally preceded by "IMO", as in "IMO 9074729"`
	}
	if err := refdata.CheckIMO(s); err != nil {
		return "", err.Error()
	}
	return "IMO" + s, ""
}

// normalizeWaybill reads an air waybill number: a 3-digit airline prefix and
// an 8-digit serial number whose last digit is the remainder of the first
// seven divided by 7 (IATA's modulus-7 check), as in "176-12345675".
func normalizeWaybill(v string) (string, string) {
	s := compact(v)
	if len(s) != 11 || !digits(s) {
		return "", `must be 11 digits, a 3-digit airline prefix and an 8-digit serial number, as in "176-12345675"`
	}
	serial, check := s[3:10], int(s[10]-'0')
	if want := atoi(serial) % 7; check != want {
		return "", fmt.Sprintf("check digit is %d, expected %d (the remainder of %s divided by 7)", check, want, serial)
	}
	return s, ""
}

// s10Weights are the UPU S10 weights of the eight serial digits.
var s10Weights = [8]int{8, 6, 4, 2, 3, 5, 9, 7}

// s10CheckDigit returns the UPU S10 check digit of eight digits: 11 less
// the weighted sum modulo 11, where 10 becomes 0 and 11 becomes 5.
func s10CheckDigit(serial string) int {
	sum := 0
	for i, w := range s10Weights {
		sum += int(serial[i]-'0') * w
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 0
	case 11:
		return 5
	default:
		return c
	}
}

// normalizePostalItem reads a UPU S10 postal item identifier: a 2-letter
// service indicator, an 8-digit serial number, a check digit and the ISO
// 3166-1 alpha-2 code of the issuing country, as in "RR 473 124 829 GB".
func normalizePostalItem(v string) (string, string) {
	s := compact(v)
	const format = `must be 13 characters, 2 letters, 8 digits, a check digit and a 2-letter country code, as in "RR473124829GB"`
	if len(s) != 13 || !letters(s[:2]) || !digits(s[2:11]) || !letters(s[11:]) {
		return "", format
	}
	if _, ok := refdata.Country(s[11:]); !ok {
		return "", fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 country code", s[11:])
	}
	if check, want := int(s[10]-'0'), s10CheckDigit(s[2:10]); check != want {
		return "", fmt.Sprintf("check digit is %d, expected %d", check, want)
	}
	return s, ""
}

// normalizeBillOfLading reads a bill of lading number. No standard fixes
// its form (carriers write a code of their own and a serial, such as
// "MAEU 123456789" or "COSU6123456780"), so the canonical form is the
// letters A-Z and digits left when case and separators are folded: 4 to 35
// characters (the UN/EDIFACT document number length), at least one a digit.
func normalizeBillOfLading(v string) (string, string) {
	s := compact(v)
	if len(s) < 4 || len(s) > 35 || !asciiAlnum(s) || !strings.ContainsAny(s, "0123456789") {
		return "", "must be 4 to 35 letters A-Z and digits, at least one a digit, as in \"MAEU123456789\""
	}
	return s, ""
}

// atoi returns the value of a short string of digits 0-9.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
