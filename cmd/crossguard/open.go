package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"crossguard"
	"crossguard/datadir"
	"crossguard/internal/wiring"
	"crossguard/postgres"
	"crossguard/sqlite"
)

// logger returns the structured logger the flags ask for, writing to stderr.
func (c *commonFlags) logger(env *Env) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("--log-level: %q is not one of debug, info, warn, error", c.LogLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.LogFormat {
	case "text":
		return slog.New(slog.NewTextHandler(env.Stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(env.Stderr, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: %q is not one of text, json", c.LogFormat)
}

// isPostgresURL reports whether s names a PostgreSQL database.
func isPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// dbURL returns the database to use: --db or CROSSGUARD_DB, else the URL
// saved at init, else "" for the data directory's SQLite file.
func (c *commonFlags) dbURL(cfg datadir.Config) (string, error) {
	url := c.DB
	if url == "" {
		url = cfg.DB
	}
	if url != "" && !isPostgresURL(url) {
		return "", fmt.Errorf("--db: %q is not a postgres:// URL (leave it empty for the embedded SQLite database)", url)
	}
	return url, nil
}

// openStore opens the node's database without checking its schema.
func openStore(ctx context.Context, dataPath, url string, logger *slog.Logger) (crossguard.Store, error) {
	if url != "" {
		s, err := postgres.Open(ctx, url, postgres.Options{Logger: logger})
		if err != nil {
			return nil, fmt.Errorf("open PostgreSQL database: %w", err)
		}
		return s, nil
	}
	s, err := sqlite.Open(ctx, dataPath, sqlite.Options{Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("open SQLite database: %w", err)
	}
	return s, nil
}

// checkSchema refuses a database whose schema is behind or ahead of this
// binary, saying which command fixes it.
func checkSchema(ctx context.Context, s crossguard.SchemaStore) error {
	current, latest, err := s.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	switch {
	case current < latest:
		return fmt.Errorf("the database schema is at version %d but this crossguard needs version %d: run `crossguard migrate` first", current, latest)
	case current > latest:
		return fmt.Errorf("the database schema is at version %d, newer than this crossguard knows (%d): upgrade crossguard", current, latest)
	}
	return nil
}

// opened is a node opened from its data directory for one command.
type opened struct {
	Dir    *datadir.Dir
	Node   *wiring.Services
	Logger *slog.Logger
}

// Close closes the node's store.
func (o *opened) Close() error { return o.Node.Store.Close() }

// openNode opens the data directory and its database, checks that the
// schema is current and that the database belongs to this node.
func (c *commonFlags) openNode(ctx context.Context, env *Env) (*opened, error) {
	logger, err := c.logger(env)
	if err != nil {
		return nil, err
	}
	dir, err := datadir.Open(c.Data)
	if err != nil {
		return nil, err
	}
	url, err := c.dbURL(dir.Config)
	if err != nil {
		return nil, err
	}
	store, err := openStore(ctx, dir.SQLitePath(), url, logger)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*opened, error) {
		store.Close()
		return nil, err
	}
	if err := checkSchema(ctx, store); err != nil {
		return fail(err)
	}
	info, err := store.Node(ctx)
	if err != nil {
		return fail(fmt.Errorf("read node identity from the database: %w", err))
	}
	if info.ID == dir.Info.ID && info.PublicKey != dir.Info.PublicKey {
		if err := finishRotation(ctx, dir, store, info.PublicKey); err != nil {
			return fail(fmt.Errorf("finish the key rotation under way: %w", err))
		}
	}
	if info.ID != dir.Info.ID || info.PublicKey != dir.Info.PublicKey {
		return fail(fmt.Errorf("the database belongs to node %s, but the data directory %s to %s: check --data and --db", info.ID, dir.Path, dir.Info.ID))
	}
	n := wiring.New(dir.Info, store, logger)
	n.Sharing.FederationURL = dir.Config.FederationURL
	if n.Sharing.FederationURL == "" {
		n.Sharing.FederationURL = defaultFederationURL
	}
	return &opened{Dir: dir, Node: n, Logger: logger}, nil
}

// cliActor names the person at the terminal in the audit log.
func cliActor(env *Env) string {
	user := env.Getenv("USER")
	if user == "" {
		user = "unknown"
	}
	return "cli:" + user
}
