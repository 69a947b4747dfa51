package crossguard

// IsRecordID reports whether s is a record id as nodes write them: a UUID
// in its canonical form, 36 characters of lower-case hexadecimal digits
// grouped 8-4-4-4-12 by hyphens (nodes make UUIDv7s, but any version and
// variant is accepted, as ids have always been).
//
// It is the one check of a record id: the federation layer applies it to
// the ids of received records and withdrawals, and Validate to the records
// a record refers to (an agreement, an operation, a warning, a seizure, an
// annotation's target). Upper case, braces, a "urn:uuid:" prefix and
// hyphenless forms are refused even though they name the same UUID: the
// node compares ids as text, so such a reference would never match the
// record it names, and a peer must not be able to store one.
func IsRecordID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return false
			}
		}
	}
	return true
}
