package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"crossguard"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Options tunes Open. The zero value uses the search_path of the URL and
// discards log output.
type Options struct {
	// Schema, if set, is created if missing and becomes the search_path of
	// every pooled connection, so that one database can hold several
	// independent crossguard schemas (tests use one schema each).
	Schema string
	// MaxConns caps the connection pool; 0 keeps pgxpool's default.
	MaxConns int32
	// Logger receives the store's diagnostics; nil discards them.
	Logger *slog.Logger
}

// Store is a crossguard.Store backed by a PostgreSQL connection pool.
type Store struct {
	pool   *pgxpool.Pool
	logger *slog.Logger
}

var _ crossguard.Store = (*Store)(nil)

// Open connects to the PostgreSQL database at url (a postgres:// URL or a
// key=value connection string). It does not migrate: callers call Migrate.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: parse url: %w", err)
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	// Lists are planned with their actual parameters every time: a generic
	// plan cannot know how common a category or a search word is.
	cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	if opts.Schema != "" {
		if err := createSchema(ctx, cfg.ConnConfig.Copy(), opts.Schema); err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		cfg.ConnConfig.RuntimeParams["search_path"] = pgx.Identifier{opts.Schema}.Sanitize()
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return &Store{pool: pool, logger: logger}, nil
}

// createSchema creates the schema if it does not exist yet. It looks first,
// so that a role without the right to create schemas can use one made for
// it; two processes creating it at once may race, and the loser's
// duplicate error is ignored.
func createSchema(ctx context.Context, cfg *pgx.ConnConfig, schema string) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, schema).Scan(&exists); err != nil {
		return fmt.Errorf("look up schema %s: %w", schema, err)
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{schema}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "23505" || pgErr.Code == "42P06") {
		err = nil
	}
	if err != nil {
		return fmt.Errorf("create schema %s: %w", schema, err)
	}
	return nil
}

// Close closes every connection of the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}
