package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"crossguard"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// Store is a crossguard.Store in one SQLite file.
type Store struct {
	path   string
	w      *sql.DB // the single writer connection
	r      *sql.DB // read-only connections
	logger *slog.Logger
}

var _ crossguard.Store = (*Store)(nil)

// Options tune a Store. The zero value is ready to use.
type Options struct {
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
	// ReadConns is the size of the read pool; 0 means 4.
	ReadConns int
}

// pragmas are set on every connection. busy_timeout comes first so that
// the others wait for a lock held by another process instead of failing.
var pragmas = []string{
	"busy_timeout(10000)",
	"journal_mode(WAL)",
	"foreign_keys(1)",
	"synchronous(NORMAL)",
}

// Page cache sizes (negative: in KiB). The writer's must hold the pages a
// batch of a thousand seizures touches across its indexes, or SQLite
// spills them to the WAL and reads them back mid-transaction, which is
// slower by two orders of magnitude. 48 MiB does, and keeps an import of a
// million rows under 200 MB of memory: with 128 MiB it peaked at 294 MiB
// (modernc's allocator holds about twice the cache), at the same speed.
const (
	writerCache = "cache_size(-49152)" // 48 MiB
	readerCache = "cache_size(-32768)" // 32 MiB per read connection
)

// writerPragmas are set on the writer connection besides pragmas and
// writerCache. A checkpoint copies every page changed since the last one
// from the WAL to the database file, so letting the WAL grow to 10,000
// pages (40 MiB) before one copies the pages that every batch changes (the
// ends of its indexes) once for many batches; journal_size_limit truncates
// the WAL back to 64 MiB if readers held it longer. Temporary data (the
// statement journals of the few statements that still need one) stays in
// memory.
var writerPragmas = []string{
	writerCache,
	"wal_autocheckpoint(10000)",
	"journal_size_limit(67108864)",
	"temp_store(MEMORY)",
}

// dsn returns the modernc.org/sqlite data source name of the file at path
// with the common pragmas and extra parameters.
func dsn(path string, extra url.Values) string {
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	for k, vs := range extra {
		for _, v := range vs {
			q.Add(k, v)
		}
	}
	return path + "?" + q.Encode()
}

// Open opens (creating it if missing) the database file at path. It does
// not migrate: call Migrate. Open fails with a clear error if the file is
// not a SQLite database.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("open sqlite database: invalid file name %q", path)
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	readConns := opts.ReadConns
	if readConns <= 0 {
		readConns = 4
	}
	w, err := sql.Open("sqlite", dsn(path, url.Values{"_txlock": {"immediate"}, "_pragma": writerPragmas}))
	if err != nil {
		return nil, fmt.Errorf("open sqlite database %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := check(ctx, w); err != nil {
		w.Close()
		if isCode(err, sqlite3.SQLITE_NOTADB) {
			return nil, fmt.Errorf("open sqlite database %s: the file exists but is not a SQLite database (is it the right file?): %w", path, err)
		}
		return nil, fmt.Errorf("open sqlite database %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn(path, url.Values{"_query_only": {"1"}, "_pragma": {readerCache}}))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite database %s: %w", path, err)
	}
	r.SetMaxOpenConns(readConns)
	r.SetMaxIdleConns(readConns)
	r.SetConnMaxIdleTime(0)
	r.SetConnMaxLifetime(0)
	if err := check(ctx, r); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("open sqlite database %s for reading: %w", path, err)
	}
	return &Store{path: path, w: w, r: r, logger: logger}, nil
}

// check reads the schema of db so that a file that is not a database, or
// one that cannot be read, fails at once rather than on first use.
func check(ctx context.Context, db *sql.DB) error {
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil {
		return err
	}
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return err
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal mode is %q, not WAL", mode)
	}
	return nil
}

// Close closes both connection pools.
func (s *Store) Close() error {
	rerr := s.r.Close()
	if err := s.w.Close(); err != nil {
		return fmt.Errorf("close sqlite database %s: %w", s.path, err)
	}
	if rerr != nil {
		return fmt.Errorf("close sqlite database %s: %w", s.path, rerr)
	}
	return nil
}
