package demo

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"crossguard"
	"crossguard/datadir"
	"crossguard/httpapi"
	"crossguard/internal/apiserver"
	"crossguard/internal/wiring"
	"crossguard/sqlite"
)

// testConfig returns a demo under a temporary directory, on ports the
// system picks, printing to stdout and stderr and logging errors only.
// Its wiring creates and opens each node on SQLite with the packages the
// command uses, and serves the JSON API without the web interface; the
// command's own wiring is tested in cmd/crossguard.
func testConfig(t *testing.T, stdout, stderr io.Writer) *Config {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	return &Config{Data: t.TempDir(), Listen: "127.0.0.1:0", FederationListen: "127.0.0.1:0",
		Stdout: stdout, Stderr: stderr, Logger: logger, TargetingReload: 5 * time.Second,
		Create: func(ctx context.Context, dir string, id Identity, fedURL string) error {
			info, key, err := datadir.NewIdentity(id.Agency, id.Node, id.Country, id.Name, crossguard.SystemClock{}.Now())
			if err != nil {
				return err
			}
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return err
			}
			store, err := sqlite.Open(ctx, (&datadir.Dir{Path: dir}).SQLitePath(), sqlite.Options{Logger: logger})
			if err != nil {
				return err
			}
			defer store.Close()
			if _, err := store.Migrate(ctx); err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
			if err := store.InitNode(ctx, &info); err != nil {
				return fmt.Errorf("record the identity: %w", err)
			}
			_, err = datadir.Create(dir, info, key, datadir.Config{FederationURL: fedURL})
			return err
		},
		Open: func(ctx context.Context, dir string) (*datadir.Dir, *wiring.Services, error) {
			d, err := datadir.Open(dir)
			if err != nil {
				return nil, nil, err
			}
			store, err := sqlite.Open(ctx, d.SQLitePath(), sqlite.Options{Logger: logger})
			if err != nil {
				return nil, nil, err
			}
			n := wiring.New(d.Info, store, logger)
			n.Sharing.FederationURL = d.Config.FederationURL
			return d, n, nil
		},
		Server: func(n *wiring.Services) *httpapi.Server { return httpapi.New(apiserver.API(n), logger) },
	}
}
