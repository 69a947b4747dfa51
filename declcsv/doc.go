// Package declcsv reads cargo declarations from CSV files in the column
// layout of the customs declaration files (testdata/customs-declarations):
//
//	Declaration ID,Date,Office ID,Process Type,Import Type,Import Use,
//	Payment Type,Mode of Transport,Declarant ID,Importer ID,Seller ID,
//	Courier ID,HS6 Code,Country of Departure,Country of Origin,Tax Rate,
//	Tax Type,Country of Origin Indicator,Net Mass,Item Price[,Fraud,
//	Critical Fraud]
//
// The header row names the columns exactly as above, in any order. The
// twenty declared columns are required; Fraud (0 or 1) and Critical Fraud
// (0, 1 or 2) are the known outcome of a declaration (crossguard.Label),
// and may be left out, but only together. Any other column is refused,
// with the name it was probably meant to be. A UTF-8 byte-order mark is
// skipped.
//
// Each column holds the field of crossguard.Declaration named by the
// snake_case of its header ("HS6 Code" holds hs6_code). Cells are trimmed
// of surrounding spaces. An empty cell is an empty code; Net Mass and
// Item Price are required, an empty Tax Rate is 0. Numbers are read
// strictly: digits with an optional minus sign, decimal point and
// exponent (1234.5, 1.2e3), without thousands separators. Every row is
// checked with crossguard.Declaration.Validate.
//
// The Reader streams a file: memory does not grow with its size. A bad
// row comes back as a Row with a RowError naming its line and every field
// at fault by its column, and reading goes on with the next row.
package declcsv
