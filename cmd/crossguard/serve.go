package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"time"

	"crossguard/federation"
	"crossguard/httpapi"
	"crossguard/internal/apiserver"
	"crossguard/risk/decide"
)

// defaultListen is the API's default address: loopback only, so a node is
// not exposed until an administrator says so.
const defaultListen = "127.0.0.1:8080"

// runServe runs the node (its JSON API and web pages, federation, risk
// targeting, audit heads and retention) until SIGINT or SIGTERM.
func runServe(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "serve", "serve [flags]", `
Runs the node until interrupted: the JSON API (see httpapi/API.md) and the
web pages on --listen, and federation (see docs/federation.md): the
listener that peers connect to over mutual TLS on --federation-listen, and
the pulls of new records from every peer. On SIGINT or SIGTERM it stops
accepting connections and lets requests in flight finish. It refuses to
start on a database schema that is behind or ahead of this binary. Other
commands (seizure add, import, user add) may run against the same data
directory while it serves.

It decides declarations posted to the API at the rates the flags below
give, reloading profiles, the watch list and the active model every few
seconds. It signs the audit log's head for peers to keep at start, every
--audit-head-interval when the log moved, and on shutdown.

At start and every hour (--retention-interval) it applies retention, as
'crossguard retention apply' does: records past the retention of their
agreements, and declarations received more than --declaration-retention
ago (default 5y: years of 365 days; or days such as 1825d, or a Go duration
such as 43800h) with their decisions and inspections (see
docs/retention.md). A period given with --declaration-retention is
remembered in the data directory's config.json, for 'crossguard retention
status' and 'apply' run by hand.

Example:
  crossguard serve --data /var/lib/crossguard --listen 0.0.0.0:8080 --log-format json`)
	c.register(fs, env)
	listen := fs.String("listen", defaultListen, "address of the JSON API and the web pages")
	maxBody := fs.Int64("max-body", 1<<20, "largest request body accepted, in bytes")
	fedListen := fs.String("federation-listen", defaultFederationListen, "address of the federation listener peers connect to (mutual TLS); 'off' runs without federation")
	headInterval := fs.Duration("audit-head-interval", federation.DefaultAnchorInterval, "how often to sign the audit log's head for peers to keep, when it moved (it is also signed at start and on shutdown)")
	declRetention := registerDeclarationRetention(fs)
	retentionEvery := fs.Duration("retention-interval", time.Hour, "how often retention runs (see crossguard retention --help)")
	var risk riskFlags
	risk.register(fs)
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	if err := risk.validate(); err != nil {
		return err
	}
	if *headInterval <= 0 {
		return fmt.Errorf("--audit-head-interval: %v is not a positive duration such as 1m", *headInterval)
	}
	if *retentionEvery < time.Minute {
		return fmt.Errorf("--retention-interval: %v is shorter than a minute", *retentionEvery)
	}
	o, err := c.openNode(ctx, env)
	if err != nil {
		return err
	}
	defer o.Close()
	if err := o.Node.Targeting.EnableTargeting(ctx, risk.config()); err != nil {
		return err
	}
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
	srv := apiserver.Server(o.Node, o.Logger)
	srv.MaxBodyBytes = *maxBody
	o.Logger.Info("serving", "node", o.Dir.Info.ID, "api", "http://"+ln.Addr().String(), "data", o.Dir.Path)
	fmt.Fprintf(env.Stdout, "crossguard node %s serving on http://%s\n", o.Dir.Info.ID, ln.Addr())
	period, err := declarationRetention(fs, declRetention, o.Dir, true)
	if err != nil {
		return err
	}
	go o.Node.Admin.KeepRetention(ctx, *retentionEvery, period)
	return serveBoth(ctx, env, o, srv, ln, fedLn, *headInterval)
}

// targetingReload is how often a server reloads profiles, the watch list
// and the active model.
const targetingReload = 5 * time.Second

// riskFlags are the rates of risk targeting a server applies.
type riskFlags struct {
	target, document, audit, random float64
}

// register adds the rate flags to fs.
func (r *riskFlags) register(fs *flag.FlagSet) {
	fs.Float64Var(&r.target, "target-inspection-rate", 0.05, "share of declarations sent to red (physical inspection), rule hits and random selection included")
	fs.Float64Var(&r.document, "document-rate", 0.05, "share of declarations the model sends to yellow (documentary check)")
	fs.Float64Var(&r.audit, "audit-rate", 0.05, "share of declarations the model sends to blue (post-clearance audit)")
	fs.Float64Var(&r.random, "random-rate", 0.01, "minimum share of declarations selected at random for red")
}

// validate refuses rates that are not shares, or that leave no room for
// one another, naming the flags.
func (r *riskFlags) validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"--target-inspection-rate", r.target}, {"--document-rate", r.document}, {"--audit-rate", r.audit}, {"--random-rate", r.random}} {
		if f.v < 0 || f.v > 1 {
			return fmt.Errorf("%s: %v is not a share between 0 and 1", f.name, f.v)
		}
	}
	if r.target == 0 {
		return fmt.Errorf("--target-inspection-rate: 0 would leave the model no declaration to select; give a share such as 0.05")
	}
	if err := r.config().Validate(); err != nil {
		return fmt.Errorf("--target-inspection-rate, --document-rate, --audit-rate and --random-rate: %w", err)
	}
	return nil
}

// config returns the decision engine's configuration; 0 turns a rate off.
func (r *riskFlags) config() decide.Config {
	off := func(f float64) float64 {
		if f == 0 {
			return -1
		}
		return f
	}
	return decide.Config{TargetRate: r.target, DocumentRate: off(r.document), AuditRate: off(r.audit), RandomRate: off(r.random)}
}

// serveBoth runs the JSON API and, unless fedLn is nil, the federation
// until ctx ends or either fails; then it stops both.
func serveBoth(ctx context.Context, env *Env, o *opened, srv *httpapi.Server, ln, fedLn net.Listener, headInterval time.Duration) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The audit heads are signed at start, every headInterval when the
	// log moved, and once more when serving stops, before the store
	// closes.
	anchored := make(chan struct{})
	defer func() { cancel(); <-anchored }()
	ticker := time.NewTicker(max(headInterval/4, time.Millisecond))
	defer ticker.Stop()
	go func() {
		defer close(anchored)
		a := o.anchor(headInterval)
		if _, err := a.Tick(ctx); err != nil {
			o.Logger.Error("audit heads: sign", "err", err)
		}
		a.Run(ctx, ticker.C)
	}()
	errs := make(chan error, 2)
	running := 1
	go func() { errs <- wrapErr("serve", srv.Serve(ctx, ln)) }()
	go o.Node.Targeting.KeepTargetingCurrent(ctx, targetingReload)
	if fedLn != nil {
		running++
		fed := &federation.Service{Card: o.Node.Sharing.Card(), Key: o.Dir.Key, Ring: keyRing(o.Dir), Store: o.Node.Store, Logger: o.Logger}
		o.Logger.Info("federation listening", "node", o.Dir.Info.ID, "listen", fedLn.Addr().String(), "card_url", o.Node.Sharing.FederationURL)
		fmt.Fprintf(env.Stdout, "federation listener on %s (card URL %s)\n", fedLn.Addr(), o.Node.Sharing.FederationURL)
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
