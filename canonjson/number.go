package canonjson

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// appendNumber parses the JSON number literal lit as an IEEE 754 double and
// appends its canonical form. Literals beyond the range of a double are
// rejected; those too small to represent round to zero.
func appendNumber(buf []byte, lit string) ([]byte, error) {
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return nil, fmt.Errorf("%w: number %q: %v", ErrInvalidJSON, lit, err)
	}
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, fmt.Errorf("%w: %s", ErrNumberRange, lit)
	}
	return appendFloat(buf, f), nil
}

// appendFloat appends f as ECMAScript's Number.prototype.toString writes it
// (ECMA-262 Number::toString, which RFC 8785 §3.2.2.3 adopts): the shortest
// digits that round-trip, in plain notation when the decimal exponent is in
// [-7, 21) and in exponent notation otherwise. f must be finite.
func appendFloat(buf []byte, f float64) []byte {
	if f == 0 {
		return append(buf, '0') // Both +0 and -0.
	}
	if f < 0 {
		buf = append(buf, '-')
		f = -f
	}
	// FormatFloat's 'e' layout with the shortest precision is
	// "d.ddde±xx"; take the digits and the exponent from it.
	e := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exp, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	x, _ := strconv.Atoi(exp)
	// In ECMA-262 terms the value is digits × 10^(n-k), with k digits.
	k, n := len(digits), x+1
	switch {
	case k <= n && n <= 21:
		buf = append(buf, digits...)
		for range n - k {
			buf = append(buf, '0')
		}
	case 0 < n && n <= 21:
		buf = append(buf, digits[:n]...)
		buf = append(buf, '.')
		buf = append(buf, digits[n:]...)
	case -6 < n && n <= 0:
		buf = append(buf, '0', '.')
		for range -n {
			buf = append(buf, '0')
		}
		buf = append(buf, digits...)
	default:
		buf = append(buf, digits[0])
		if k > 1 {
			buf = append(buf, '.')
			buf = append(buf, digits[1:]...)
		}
		buf = append(buf, 'e')
		if n-1 >= 0 {
			buf = append(buf, '+')
		}
		buf = strconv.AppendInt(buf, int64(n-1), 10)
	}
	return buf
}
