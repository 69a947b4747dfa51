package refdata

import (
	"fmt"
	"strings"
)

// CheckContainer returns nil if number is a valid ISO 6346 freight
// container number in canonical form: 11 characters, upper case, no spaces
// or hyphens, made of a 3-letter owner code, the category identifier U
// (freight container), J (detachable freight container-related equipment)
// or Z (trailer or chassis), a 6-digit serial number and the check digit,
// as in "CSQU3054383". Otherwise the error says what is wrong; for a valid
// number written with separators or in lower case, it gives the canonical
// form.
func CheckContainer(number string) error {
	if number == "" {
		return fmt.Errorf("container number is empty")
	}
	if canon := canonicalContainer(number); canon != number && checkContainer(canon) == nil {
		return fmt.Errorf("%q must be written upper case without spaces or hyphens: %q", number, canon)
	}
	return checkContainer(number)
}

// checkContainer checks a container number without giving hints.
func checkContainer(number string) error {
	if len(number) != 11 {
		return fmt.Errorf("%q must be 11 characters, 4 letters, 6 digits and a check digit, without spaces or hyphens, as in \"CSQU3054383\"", number)
	}
	owner, cat, serial, check := number[:3], number[3], number[4:10], number[10]
	switch {
	case !upperLetters(owner):
		return fmt.Errorf("%q: owner code %q must be 3 upper-case letters A-Z", number, owner)
	case cat != 'U' && cat != 'J' && cat != 'Z':
		return fmt.Errorf("%q: category identifier is %q, expected U, J or Z", number, string(cat))
	case !allDigits(serial):
		return fmt.Errorf("%q: serial number %q must be 6 digits", number, serial)
	case check < '0' || check > '9':
		return fmt.Errorf("%q: check digit %q must be a digit", number, string(check))
	}
	if want := containerCheckDigit(number[:10]); int(check-'0') != want {
		return fmt.Errorf("%q: check digit is %c, expected %d", number, check, want)
	}
	return nil
}

// containerLetterValues are the ISO 6346 values of the letters A-Z: from 10
// upwards, skipping the multiples of 11 (11, 22 and 33).
var containerLetterValues = [26]int{
	10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, // A-K
	23, 24, 25, 26, 27, 28, 29, 30, 31, 32, // L-U
	34, 35, 36, 37, 38, // V-Z
}

// containerCheckDigit computes the ISO 6346 check digit of s, which must be
// 4 letters A-Z and 6 digits: the sum of each character's value (a digit's
// own, a letter's from containerLetterValues) times 2 to the power of its
// position, modulo 11, then modulo 10.
func containerCheckDigit(s string) int {
	sum := 0
	for i := 0; i < 10; i++ {
		v := int(s[i] - '0')
		if i < 4 {
			v = containerLetterValues[s[i]-'A']
		}
		sum += v << i
	}
	return sum % 11 % 10
}

// canonicalContainer returns number with a-z upper-cased and spaces and
// hyphens removed.
func canonicalContainer(number string) string {
	b := make([]byte, 0, len(number))
	for i := 0; i < len(number); i++ {
		switch c := number[i]; {
		case c == ' ' || c == '-':
		case 'a' <= c && c <= 'z':
			b = append(b, c-'a'+'A')
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// CompleteContainer appends the ISO 6346 check digit to owner code,
// category and serial number (4 letters A-Z and 6 digits, e.g.
// "CSQU305438"), giving a full container number such as "CSQU3054383".
func CompleteContainer(first10 string) (string, error) {
	full := first10 + "0"
	if len(first10) != 10 {
		return "", fmt.Errorf("%q must be 10 characters: an owner code, a category and a serial number", first10)
	}
	if err := checkContainer(full); err != nil && !strings.Contains(err.Error(), "check digit is") {
		return "", err
	}
	return first10 + string(rune('0'+containerCheckDigit(first10))), nil
}
