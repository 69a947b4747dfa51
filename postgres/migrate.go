package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"crossguard"

	"github.com/jackc/pgx/v5"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one embedded schema change, numbered like the sqlite
// backend's so that version N means the same schema in both.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in version order. It panics on
// a badly named or duplicate file, which is a build defect.
func migrations() []migration {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		panic(err)
	}
	var ms []migration
	for _, p := range names {
		base := strings.TrimSuffix(path.Base(p), ".sql")
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			panic(fmt.Sprintf("postgres: migration file %s is not named NNNN_name.sql", p))
		}
		b, err := migrationFS.ReadFile(p)
		if err != nil {
			panic(err)
		}
		ms = append(ms, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			panic(fmt.Sprintf("postgres: migration %04d_%s should be number %d", m.version, m.name, i+1))
		}
	}
	return ms
}

// migrationLock is the SQL that takes the transaction-scoped advisory lock
// under which migrations run, one per schema, so that two processes
// migrating the same schema at once apply each migration exactly once.
const migrationLock = `SELECT pg_advisory_xact_lock(hashtext('crossguard.migrate.' || current_schema()))`

// createMigrationsTable creates the table that records applied migrations.
const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL
)`

// SchemaVersion returns the version the database is at and the latest
// version this binary knows.
func (s *Store) SchemaVersion(ctx context.Context) (current, latest int, err error) {
	latest = len(migrations())
	current, err = schemaVersion(ctx, s.pool)
	if err != nil {
		return 0, 0, fmt.Errorf("schema version: %w", err)
	}
	return current, latest, nil
}

// querier is what both a pool and a transaction offer.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// schemaVersion reads the highest applied migration, 0 on a new database.
func schemaVersion(ctx context.Context, q querier) (int, error) {
	var exists bool
	if err := q.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists); err != nil {
		return 0, err
	}
	if !exists {
		return 0, nil
	}
	var v int
	if err := q.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, err
	}
	return v, nil
}

// Migrate applies every pending migration, each in its own transaction under
// an advisory lock, and returns how many it applied. It refuses a database
// whose schema is ahead of this binary.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	ms := migrations()
	applied := 0
	for _, m := range ms {
		done, err := s.applyMigration(ctx, m, len(ms))
		if err != nil {
			return applied, err
		}
		if done {
			applied++
			s.logger.Info("applied migration", "version", m.version, "name", m.name)
		}
	}
	return applied, nil
}

// applyMigration applies m unless the database already has it, reporting
// whether it did.
func (s *Store) applyMigration(ctx context.Context, m migration, latest int) (bool, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return false, fmt.Errorf("migrate: begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, migrationLock); err != nil {
		return false, fmt.Errorf("migrate: lock: %w", err)
	}
	if _, err := tx.Exec(ctx, createMigrationsTable); err != nil {
		return false, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	current, err := schemaVersion(ctx, tx)
	if err != nil {
		return false, fmt.Errorf("migrate: read version: %w", err)
	}
	if current > latest {
		return false, crossguard.Errorf(crossguard.ECONFLICT,
			"database schema is at version %d but this crossguard only knows up to %d: upgrade crossguard", current, latest)
	}
	if current >= m.version {
		return false, nil
	}
	if _, err := tx.Exec(ctx, m.sql); err != nil {
		return false, fmt.Errorf("migrate: apply %04d_%s: %w", m.version, m.name, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		m.version, m.name, time.Now().UTC()); err != nil {
		return false, fmt.Errorf("migrate: record %04d_%s: %w", m.version, m.name, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return false, fmt.Errorf("migrate: commit %04d_%s: %w", m.version, m.name, err)
	}
	return true, nil
}
