package matchfilter

import (
	"fmt"
	"math"
	"strconv"
)

// A month is stored as the number of months since January 1970, in two
// bytes: January 1970 to April 7431.
type month uint16

// parseMonth reads a month YYYY-MM from January 1970 on.
func parseMonth(s string) (month, error) {
	if len(s) != 7 || s[4] != '-' {
		return 0, fmt.Errorf("month %q is not YYYY-MM", s)
	}
	y, err1 := strconv.Atoi(s[:4])
	m, err2 := strconv.Atoi(s[5:])
	if err1 != nil || err2 != nil || s[0] == '+' || s[5] == '+' || m < 1 || m > 12 {
		return 0, fmt.Errorf("month %q is not YYYY-MM", s)
	}
	n := (y-1970)*12 + m - 1
	if n < 0 || n > math.MaxUint16 {
		return 0, fmt.Errorf("month %q is outside 1970-01 to %s", s, month(math.MaxUint16))
	}
	return month(n), nil
}

// String returns the month as YYYY-MM.
func (m month) String() string {
	return fmt.Sprintf("%04d-%02d", 1970+int(m)/12, int(m)%12+1)
}
