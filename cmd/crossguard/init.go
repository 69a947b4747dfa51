package main

import (
	"context"
	"fmt"
	"os"

	"crossguard"
	"crossguard/datadir"
)

// runInit creates a node: its data directory, its database with the schema
// applied, and its Ed25519 identity.
func runInit(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "init", "init --agency AGENCY --node NODE --country CC --name NAME [flags]", `
Creates a node: the data directory, the database (SQLite inside the data
directory, or PostgreSQL with --db) with every migration applied, and the
node's Ed25519 key pair. The node id is AGENCY/NODE, e.g. pk-customs/sost.
Running it again on the same data directory refuses and changes nothing.

Example:
  crossguard init --data /var/lib/crossguard --agency pk-customs --node sost \
    --country PK --name "Pakistan Customs, Sost dry port"`)
	c.register(fs, env)
	agency := fs.String("agency", "", "agency id, lower case, e.g. pk-customs (required)")
	nodeName := fs.String("node", "", "node name within the agency, e.g. sost (required)")
	country := fs.String("country", "", "ISO 3166-1 alpha-2 country of the agency, e.g. PK (required)")
	name := fs.String("name", "", "display name, e.g. \"Pakistan Customs, Sost dry port\" (required)")
	fedURL := fs.String("federation-url", defaultFederationURL, "URL at which peers reach this node's federation listener (serve --federation-listen); it goes on the node card")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	if err := checkFederationURL(*fedURL); err != nil {
		return err
	}
	info, err := initNode(ctx, env, &c, *agency, *nodeName, *country, *name, *fedURL)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Initialised node %s (%s) in %s\n", info.ID, info.Name, c.Data)
	fmt.Fprintf(env.Stdout, "Next: crossguard user add NAME --role admin --data %s\n", c.Data)
	fmt.Fprintf(env.Stdout, "Give partners this node's card: crossguard node card --data %s\n", c.Data)
	return nil
}

// initNode does the work of init: it checks everything that can be checked
// before touching anything, migrates the database, records the identity
// in it and finally writes the data directory.
func initNode(ctx context.Context, env *Env, c *commonFlags, agency, nodeName, country, name, fedURL string) (*crossguard.NodeInfo, error) {
	if datadir.Exists(c.Data) {
		return nil, fmt.Errorf("%s already holds a crossguard node; nothing was changed (use another --data to create a second node)", c.Data)
	}
	logger, err := c.logger(env)
	if err != nil {
		return nil, err
	}
	url, err := c.dbURL(datadir.Config{})
	if err != nil {
		return nil, err
	}
	info, key, err := datadir.NewIdentity(agency, nodeName, country, name, crossguard.SystemClock{}.Now())
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(c.Data, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	d := &datadir.Dir{Path: c.Data}
	store, err := openStore(ctx, d.SQLitePath(), url, logger)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	if existing, err := store.Node(ctx); err == nil {
		return nil, fmt.Errorf("the database already belongs to node %s; nothing was changed", existing.ID)
	}
	if _, err := store.Migrate(ctx); err != nil {
		return nil, fmt.Errorf("migrate database: %w", err)
	}
	if err := store.InitNode(ctx, &info); err != nil {
		return nil, fmt.Errorf("record node identity: %w", err)
	}
	if _, err := datadir.Create(c.Data, info, key, datadir.Config{DB: url, FederationURL: fedURL}); err != nil {
		return nil, err
	}
	return &info, nil
}
