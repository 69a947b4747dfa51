package canonjson

import (
	"errors"
	"fmt"
)

// hexDigits are the lower-case digits RFC 8785 requires in \u00xx escapes.
const hexDigits = "0123456789abcdef"

// appendString appends s as a canonical JSON string literal: only the
// quotation mark, the reverse solidus and control characters are escaped,
// using the two-character forms where JSON has them and \u00xx otherwise.
// Everything else, including '<', '>', '&', U+2028 and U+2029, is written
// literally. s must be valid UTF-8.
func appendString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		buf = append(buf, s[start:i]...)
		switch c {
		case '"':
			buf = append(buf, '\\', '"')
		case '\\':
			buf = append(buf, '\\', '\\')
		case '\b':
			buf = append(buf, '\\', 'b')
		case '\f':
			buf = append(buf, '\\', 'f')
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		case '\t':
			buf = append(buf, '\\', 't')
		default:
			buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

// errLoneSurrogate is wrapped into ErrInvalidString by checkSurrogates.
var errLoneSurrogate = errors.New("lone surrogate")

// checkSurrogates scans the string literals of the JSON text in for \u
// escapes of UTF-16 surrogates and reports one that is not half of a
// high-low pair. encoding/json would silently replace such an escape with
// U+FFFD, which would make two different inputs canonicalize alike.
// Malformed escapes are left for the decoder to report.
func checkSurrogates(in []byte) error {
	inString := false
	for i := 0; i < len(in); i++ {
		c := in[i]
		if !inString {
			inString = c == '"'
			continue
		}
		switch c {
		case '"':
			inString = false
		case '\\':
			if i+1 < len(in) && in[i+1] == 'u' {
				u, ok := hex4(in, i+2)
				switch {
				case !ok:
				case u >= 0xdc00 && u <= 0xdfff:
					return fmt.Errorf("%w: %w \\u%04x at offset %d", ErrInvalidString, errLoneSurrogate, u, i)
				case u >= 0xd800 && u <= 0xdbff:
					low, ok := uint16(0), false
					if i+7 < len(in) && in[i+6] == '\\' && in[i+7] == 'u' {
						low, ok = hex4(in, i+8)
					}
					if !ok || low < 0xdc00 || low > 0xdfff {
						return fmt.Errorf("%w: %w \\u%04x at offset %d", ErrInvalidString, errLoneSurrogate, u, i)
					}
					i += 6 // Step onto the low half's backslash; the i++ below steps past it.
				}
			}
			i++ // Skip the escaped character.
		}
	}
	return nil
}

// hex4 decodes the four hexadecimal digits of in starting at offset i.
func hex4(in []byte, i int) (uint16, bool) {
	if i+4 > len(in) {
		return 0, false
	}
	var u uint16
	for _, c := range in[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		u = u<<4 | uint16(c)
	}
	return u, true
}
