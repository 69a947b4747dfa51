package refdata

import (
	"fmt"
	"strings"
)

// CheckIMO returns nil if number is a valid IMO ship identification number:
// 7 digits, optionally preceded by "IMO" or "IMO " (as in "IMO9074729",
// "IMO 9074729" or "9074729"), whose last digit is the check digit: the sum
// of the first six digits weighted 7, 6, 5, 4, 3 and 2, modulo 10.
// Otherwise the error says what is wrong.
func CheckIMO(number string) error {
	if number == "" {
		return fmt.Errorf("IMO number is empty")
	}
	digits := number
	if rest, ok := strings.CutPrefix(number, "IMO"); ok {
		digits = strings.TrimPrefix(rest, " ")
	} else if len(number) >= 3 && strings.EqualFold(number[:3], "IMO") {
		return fmt.Errorf("%q: write the prefix in upper case, \"IMO\"", number)
	}
	if len(digits) != 7 || !allDigits(digits) {
		return fmt.Errorf("%q must be 7 digits, optionally preceded by \"IMO\", as in \"IMO9074729\"", number)
	}
	if want := imoCheckDigit(digits); int(digits[6]-'0') != want {
		return fmt.Errorf("%q: check digit is %c, expected %d", number, digits[6], want)
	}
	return nil
}

// imoCheckDigit computes the IMO check digit of the first six digits of s.
func imoCheckDigit(s string) int {
	sum := 0
	for i := 0; i < 6; i++ {
		sum += int(s[i]-'0') * (7 - i)
	}
	return sum % 10
}

// CompleteIMO appends the check digit to the first six digits of an IMO
// ship number, giving the number as "IMO9074729".
func CompleteIMO(first6 string) (string, error) {
	if len(first6) != 6 || !allDigits(first6) {
		return "", fmt.Errorf("%q must be 6 digits", first6)
	}
	return fmt.Sprintf("IMO%s%d", first6, imoCheckDigit(first6)), nil
}
