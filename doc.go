// Package crossguard holds the domain of a crossguard node: the records that
// border agencies record and share (seizures first), their markings, the
// validation rules that keep them non-nominal and well-formed, the
// application error type, and the small storage interfaces that the
// database packages (sqlite, postgres) implement.
//
// The package depends on nothing but the standard library and the embedded
// reference data in refdata, so that every other package can import it.
package crossguard
