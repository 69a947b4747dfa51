package identifier

import "strings"

// normalizeFlight reads a flight designator: the airline's designator, two
// IATA characters (letters or digits, not both digits) or three ICAO
// letters, then a flight number of 1 to 4 digits and an optional one-letter
// operational suffix. Leading zeros of the number are dropped and a
// separator between designator and number is removed, so "PK 0301",
// "pk-301" and "PK301" are all "PK301". Without a separator, three leading
// letters are an ICAO designator ("PIA301") and otherwise the first two
// characters are an IATA one ("U21234" is U2 1234).
func normalizeFlight(v string) (string, string) {
	const format = `must be an airline designator and a flight number, as in "PK301", "PK 0301" or "PIA301"`
	parts := strings.FieldsFunc(upper(fold(v)), isSeparator)
	var airline, number string
	switch {
	case len(parts) == 2:
		airline, number = parts[0], parts[1]
	case len(parts) == 1 && len(parts[0]) > 3 && letters(parts[0][:3]):
		airline, number = parts[0][:3], parts[0][3:]
	case len(parts) == 1 && len(parts[0]) > 2:
		airline, number = parts[0][:2], parts[0][2:]
	default:
		return "", format
	}
	if !(len(airline) == 2 && asciiAlnum(airline) && !digits(airline)) && !(len(airline) == 3 && letters(airline)) {
		return "", `airline designator must be 2 letters or digits (not both digits) or 3 letters, as in "PK" or "PIA"`
	}
	suffix := ""
	if n := len(number); n > 1 && letters(number[n-1:]) {
		number, suffix = number[:n-1], number[n-1:]
	}
	number = strings.TrimLeft(number, "0")
	if !digits(number) || len(number) > 4 {
		if strings.Trim(number, "0123456789") == "" && len(number) <= 4 {
			return "", "flight number must be 1 to 9999"
		}
		return "", format
	}
	return airline + number + suffix, ""
}
