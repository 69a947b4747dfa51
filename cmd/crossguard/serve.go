package main

import (
	"context"
	"fmt"
	"net"

	"crossguard/httpapi"
)

// defaultListen is the API's default address: loopback only, so a node is
// not exposed until an administrator says so.
const defaultListen = "127.0.0.1:8080"

// runServe runs the node's JSON API until SIGINT or SIGTERM.
func runServe(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "serve", "serve [flags]", `
Runs the node's JSON API (see httpapi/API.md) until interrupted. On SIGINT or
SIGTERM it stops accepting connections and lets requests in flight finish.
It refuses to start on a database schema that is behind or ahead of this
binary. Other commands (seizure add, import, user add) may run against the
same data directory while it serves.

Example:
  crossguard serve --data /var/lib/crossguard --listen 0.0.0.0:8080 --log-format json`)
	c.register(fs, env)
	listen := fs.String("listen", defaultListen, "address of the JSON API")
	maxBody := fs.Int64("max-body", 1<<20, "largest request body accepted, in bytes")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	o, err := c.openNode(ctx, env)
	if err != nil {
		return err
	}
	defer o.Close()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *listen, err)
	}
	srv := httpapi.New(o.Node, o.Logger)
	srv.MaxBodyBytes = *maxBody
	o.Logger.Info("serving", "node", o.Dir.Info.ID, "api", "http://"+ln.Addr().String(), "data", o.Dir.Path)
	fmt.Fprintf(env.Stdout, "crossguard node %s serving on http://%s\n", o.Dir.Info.ID, ln.Addr())
	if err := srv.Serve(ctx, ln); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	o.Logger.Info("stopped")
	return nil
}
