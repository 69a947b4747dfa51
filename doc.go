// Package crossguard holds the domain of a crossguard node: the records that
// border agencies record and share (seizures first), their markings, the
// validation rules that keep them non-nominal and well-formed, the
// application error type, and the small storage interfaces that the
// database packages (sqlite, postgres) implement. Helpers that only those
// stores use live in storekit, not here.
//
// The package depends on nothing but the standard library and four
// packages of this module that do not depend on it: refdata (the embedded
// reference data: countries, currencies, HS codes, UN/LOCODEs),
// personaldata (the screen for personal data in free text), canonjson (the
// canonical JSON that records are signed and compared in), which depend on
// the standard library only, and identifier (the canonical spelling and
// check of every identifier type), which depends on refdata and
// golang.org/x/text besides. So every other package can import it, and it
// imports none of them. TestRootDependencies keeps this statement true.
package crossguard
