package main

import (
	"context"
	"fmt"

	"crossguard/datadir"
)

// runMigrate applies pending migrations to the node's database.
func runMigrate(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "migrate", "migrate [flags]", `
Applies every pending database migration, each in its own transaction, and
says how many it applied. Run it after upgrading crossguard; serve refuses to
start on a schema that is behind. It is safe to run while nothing is pending.

Example:
  crossguard migrate --data /var/lib/crossguard`)
	c.register(fs, env)
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	logger, err := c.logger(env)
	if err != nil {
		return err
	}
	dir, err := datadir.Open(c.Data)
	if err != nil {
		return err
	}
	url, err := c.dbURL(dir.Config)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, dir.SQLitePath(), url, logger)
	if err != nil {
		return err
	}
	defer store.Close()
	n, err := store.Migrate(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	current, _, err := store.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	fmt.Fprintf(env.Stdout, "Applied %d migration(s); the schema is at version %d.\n", n, current)
	return nil
}
