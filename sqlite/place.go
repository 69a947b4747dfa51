package sqlite

import (
	"database/sql/driver"
	"strings"

	msqlite "modernc.org/sqlite"
)

// foldFunc is the SQL function that lower-cases text as foldCase does.
// SQLite's own lower() folds ASCII letters only, and the place filter must
// agree with PostgreSQL's lower(), which folds every letter.
const foldFunc = "crossguard_fold"

func init() {
	msqlite.MustRegisterDeterministicScalarFunction(foldFunc, 1, func(_ *msqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return foldCase(v), nil
		case []byte:
			return foldCase(string(v)), nil
		}
		return args[0], nil
	})
}

// foldCase returns s in lower case, for comparisons that ignore case.
func foldCase(s string) string { return strings.ToLower(s) }

// placeCondition keeps the seizures whose UN/LOCODE is the first argument
// (in upper case) or whose place name contains the second (folded). The
// place lives only in the body, so the condition is checked on the rows
// that the walk of an index meets.
const placeCondition = "(json_extract(s.body, '$.place.locode') = ? OR instr(" + foldFunc + "(json_extract(s.body, '$.place.name')), ?) > 0)"
