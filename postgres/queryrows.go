package postgres

import (
	"context"
	"fmt"

	"crossguard/storekit"

	"github.com/jackc/pgx/v5"
)

// rowsQuerier runs a query: the pool, or a transaction.
type rowsQuerier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// queryRows runs q with args on db and returns what read makes of its
// rows (a storekit reader, such as storekit.All of a scanner); what names
// the query in its errors.
func queryRows[T any](ctx context.Context, db rowsQuerier, what string, read func(storekit.Rows) (T, error), q string, args ...any) (T, error) {
	var zero T
	rows, err := db.Query(ctx, q, args...)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	v, err := read(rows)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", what, err)
	}
	return v, nil
}
