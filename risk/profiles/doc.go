// Package profiles checks risk profiles against the declaration fields
// and compiles them into an index that finds the profiles a declaration
// meets without testing every profile in turn.
//
// Check refuses a profile whose conditions name an unknown field, use an
// operator the field's type does not take, carry a value of the wrong
// shape, or can never all hold (contradictory conditions, values outside
// what the field can take). Compile builds an Index over profiles that
// pass Check: each profile is filed under its most selective condition (a
// hash bucket per field value, a bucket per code prefix, or an interval
// tree per number field), and Match verifies only the profiles whose
// anchor the declaration meets, so that scoring cost grows with the
// number of matching candidates rather than with the number of profiles.
package profiles
