package main

import (
	"context"
	"fmt"
	"net"

	"crossguard/federation"
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
	fedListen := fs.String("federation-listen", defaultFederationListen, "address of the federation listener peers connect to (mutual TLS); 'off' runs without federation")
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
	defer ln.Close()
	var fedLn net.Listener
	if *fedListen != "off" {
		if fedLn, err = net.Listen("tcp", *fedListen); err != nil {
			return fmt.Errorf("federation listener on %s: %w (another node on this machine? give each its own --federation-listen)", *fedListen, err)
		}
		defer fedLn.Close()
	}
	srv := httpapi.New(o.Node, o.Logger)
	srv.MaxBodyBytes = *maxBody
	o.Logger.Info("serving", "node", o.Dir.Info.ID, "api", "http://"+ln.Addr().String(), "data", o.Dir.Path)
	fmt.Fprintf(env.Stdout, "crossguard node %s serving on http://%s\n", o.Dir.Info.ID, ln.Addr())
	return serveBoth(ctx, env, o, srv, ln, fedLn)
}

// serveBoth runs the JSON API and, unless fedLn is nil, the federation
// until ctx ends or either fails; then it stops both.
func serveBoth(ctx context.Context, env *Env, o *opened, srv *httpapi.Server, ln, fedLn net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, 2)
	running := 1
	go func() { errs <- wrapErr("serve", srv.Serve(ctx, ln)) }()
	if fedLn != nil {
		running++
		fed := &federation.Service{Card: o.Node.Card(), Key: o.Dir.Key, Store: o.Node.Store, Logger: o.Logger}
		o.Logger.Info("federation listening", "node", o.Dir.Info.ID, "listen", fedLn.Addr().String(), "card_url", o.Node.FederationURL)
		fmt.Fprintf(env.Stdout, "federation listener on %s (card URL %s)\n", fedLn.Addr(), o.Node.FederationURL)
		go func() { errs <- wrapErr("federation", fed.Run(ctx, fedLn)) }()
	}
	var first error
	for ; running > 0; running-- {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
		cancel()
	}
	o.Logger.Info("stopped")
	return first
}

// wrapErr adds what failed to a non-nil error.
func wrapErr(what string, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
