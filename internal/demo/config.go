package demo

import (
	"context"
	"io"
	"log/slog"
	"time"

	"crossguard/datadir"
	"crossguard/httpapi"
	"crossguard/internal/wiring"
)

// Config is what a run of the demo needs: where to put its nodes and
// listen, how much sample data to load, where to print, and the wiring of
// the command that runs it. The wiring (Create, Open, Server) is the
// command's own, the one its init, open and serve use, so that a demo
// node is created, opened and served exactly as any other node.
type Config struct {
	// Data is the directory holding one data directory per demo node.
	Data string
	// Listen and FederationListen are the addresses of the first node's
	// JSON API and federation listener; the other nodes take the next
	// free ports.
	Listen, FederationListen string
	// Seizures is how many sample seizures a share of history holds in
	// a new node (the post gets 3 shares, Tashkurgan 2).
	Seizures int
	// Declarations is how many inspected sample declarations a new post
	// and Tashkurgan store to train their models (0: none, and no model).
	Declarations int
	// Every is the pause between the new seizures and declarations the
	// demo keeps recording: 0 means 4 s, a negative value none.
	Every time.Duration
	// Stdout receives what the demo prints for people; Stderr its
	// failures while it serves.
	Stdout, Stderr io.Writer
	// Logger logs the nodes' API and federation.
	Logger *slog.Logger
	// TargetingReload is how often a node reloads its profiles, watch
	// list and active model while it serves.
	TargetingReload time.Duration

	// Create creates a node with identity id in the new data directory
	// dir, its card giving federationURL, as `crossguard init` does.
	Create func(ctx context.Context, dir string, id Identity, federationURL string) error
	// Open opens the node of data directory dir, as every command that
	// opens a node does; closing its store closes it.
	Open func(ctx context.Context, dir string) (*datadir.Dir, *wiring.Services, error)
	// Server returns the JSON API of node n, with the web interface
	// beside it, as `crossguard serve` serves it.
	Server func(n *wiring.Services) *httpapi.Server
}

// Identity is who a new demo node is: what `crossguard init` asks for.
type Identity struct {
	// Agency and Node make the node id, such as pk-customs/sost.
	Agency, Node string
	// Country is the agency's ISO 3166-1 alpha-2 country.
	Country string
	// Name is the node's display name.
	Name string
}
