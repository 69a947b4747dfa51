package refdata

import "fmt"

// CheckLOCODE returns nil if code has the format of a UN/LOCODE: an
// officially assigned ISO 3166-1 alpha-2 country code followed by a
// 3-character location code of letters A-Z and digits 2-9, upper case, with
// or without one space between them ("PKKHI" or "PK KHI"). Only the format
// and the country are checked, not that the location is in the UN/LOCODE
// list. Otherwise the error says what is wrong.
func CheckLOCODE(code string) error {
	_, err := NormalizeLOCODE(code)
	return err
}

// NormalizeLOCODE checks code as CheckLOCODE does and returns it in the
// 5-character form without the space ("PK KHI" becomes "PKKHI").
func NormalizeLOCODE(code string) (string, error) {
	if code == "" {
		return "", fmt.Errorf("UN/LOCODE is empty")
	}
	if upper := asciiUpper(code); upper != code {
		if _, err := normalizeLOCODE(upper); err == nil {
			return "", fmt.Errorf("%q must be written in upper case: %q", code, upper)
		}
	}
	return normalizeLOCODE(code)
}

// normalizeLOCODE is NormalizeLOCODE without the upper-case hint.
func normalizeLOCODE(code string) (string, error) {
	s := code
	if len(s) == 6 && s[2] == ' ' {
		s = s[:2] + s[3:]
	}
	if len(s) != 5 {
		return "", fmt.Errorf("%q must be 5 characters, a country code and a 3-character location code, optionally separated by one space, as in \"PKKHI\" or \"PK KHI\"", code)
	}
	country, loc := s[:2], s[2:]
	if _, ok := Country(country); !ok {
		return "", fmt.Errorf("%q: %q is not an ISO 3166-1 alpha-2 country code", code, country)
	}
	for i := 0; i < len(loc); i++ {
		if c := loc[i]; (c < 'A' || c > 'Z') && (c < '2' || c > '9') {
			return "", fmt.Errorf("%q: location code %q may contain only letters A-Z and digits 2-9", code, loc)
		}
	}
	return s, nil
}
