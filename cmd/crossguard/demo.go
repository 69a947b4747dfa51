package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"syscall"

	"crossguard"
	"crossguard/datadir"
	"crossguard/httpapi"
	"crossguard/importer"
	"crossguard/sample"
)

// demoUsers are the users the demo creates, one per role.
var demoUsers = []struct{ name, role string }{
	{"demo-admin", crossguard.RoleAdmin},
	{"demo-analyst", crossguard.RoleAnalyst},
	{"demo-officer", crossguard.RoleOfficer},
	{"demo-auditor", crossguard.RoleAuditor},
}

// runDemo starts a node with sample data and prints how to use it.
func runDemo(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "demo", "demo [flags]", `
Starts a working node on the embedded database: Pakistan Customs at the Sost
dry port (pk-customs/sost), one user per role and realistic sample seizures
imported through the CSV importer. Prints the URLs and API tokens, then
serves until interrupted. Running it again reuses the demo data directory
and prints fresh tokens.

Example:
  go run ./cmd/crossguard demo
  go run ./cmd/crossguard demo --data /tmp/cg-demo --listen 127.0.0.1:9080`)
	c.register(fs, env)
	fs.Lookup("data").DefValue = "./crossguard-demo"
	if env.Getenv("CROSSGUARD_DATA") == "" {
		c.Data = "./crossguard-demo"
	}
	listen := fs.String("listen", defaultListen, "address of the JSON API (the next free port is used if it is taken)")
	count := fs.Int("seizures", 2000, "sample seizures to import into a new demo node")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	fresh := !datadir.Exists(c.Data)
	if fresh {
		if _, err := initNode(ctx, env, &c, "pk-customs", "sost", "PK", "Pakistan Customs, Sost dry port"); err != nil {
			return err
		}
	}
	o, err := c.openNode(ctx, env)
	if err != nil {
		return err
	}
	defer o.Close()
	tokens, err := demoTokens(ctx, o, fresh)
	if err != nil {
		return err
	}
	if fresh && *count > 0 {
		if err := importSample(ctx, env, o, *count); err != nil {
			return err
		}
	}
	ln, err := listenNear(*listen, 10)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	printDemo(env, o, url, tokens)
	srv := httpapi.New(o.Node, o.Logger)
	if err := srv.Serve(ctx, ln); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// demoTokens creates the demo users on a fresh node, or issues new tokens
// for them on an existing one, and returns the tokens by user name.
func demoTokens(ctx context.Context, o *opened, fresh bool) (map[string]string, error) {
	tokens := map[string]string{}
	for _, u := range demoUsers {
		var token string
		var err error
		if fresh {
			token, err = o.Node.AddUser(ctx, "demo", u.name, u.role)
		} else {
			token, err = o.Node.NewUserToken(ctx, "demo", u.name)
		}
		if err != nil {
			return nil, err
		}
		tokens[u.name] = token
	}
	return tokens, nil
}

// importSample writes sample seizures as CSV into the data directory and
// imports them, exercising the same path as `crossguard import seizures`.
func importSample(ctx context.Context, env *Env, o *opened, n int) error {
	path := filepath.Join(o.Dir.Path, "sample-seizures.csv")
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write sample data: %w", err)
	}
	err = sample.WriteCSV(f, n, 1, o.Node.Clock.Now())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write sample data: %w", err)
	}
	res, err := importer.ImportSeizures(ctx, o.Node, "demo", path, importer.Options{Errors: env.Stderr, Progress: importer.ProgressBar(env.Stderr, 0)})
	if err != nil {
		return fmt.Errorf("import sample data: %w", err)
	}
	fmt.Fprintf(env.Stdout, "Imported %d sample seizures from %s.\n", res.Imported, path)
	return nil
}

// listenNear listens on addr, or on one of the next tries ports after it
// if it is taken, so that a second demo does not fail on a busy port.
func listenNear(addr string, tries int) (net.Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("--listen %q: %w", addr, err)
	}
	var p int
	if _, err := fmt.Sscanf(port, "%d", &p); err != nil {
		return nil, fmt.Errorf("--listen %q: port is not a number", addr)
	}
	for i := 0; ; i++ {
		ln, err := net.Listen("tcp", net.JoinHostPort(host, fmt.Sprint(p+i)))
		if err == nil || i >= tries || p == 0 || !errors.Is(err, syscall.EADDRINUSE) {
			if err != nil {
				return nil, fmt.Errorf("listen on %s: %w", addr, err)
			}
			return ln, nil
		}
	}
}

// printDemo prints what the demo runs and how to try it.
func printDemo(env *Env, o *opened, url string, tokens map[string]string) {
	w := env.Stdout
	fmt.Fprintf(w, "\ncrossguard demo: node %s (%s)\n", o.Dir.Info.ID, o.Dir.Info.Name)
	fmt.Fprintf(w, "  data directory  %s\n", o.Dir.Path)
	fmt.Fprintf(w, "  JSON API        %s/api/v1/seizures\n", url)
	fmt.Fprintf(w, "  health          %s/healthz\n", url)
	fmt.Fprintf(w, "  metrics         %s/metrics\n\nAPI tokens (send as 'Authorization: Bearer TOKEN'):\n", url)
	for _, u := range demoUsers {
		fmt.Fprintf(w, "  %-13s %-8s %s\n", u.name, u.role, tokens[u.name])
	}
	fmt.Fprintf(w, "\nTry:\n  curl -H 'Authorization: Bearer %s' '%s/api/v1/seizures?category=narcotics&limit=5'\n", tokens["demo-analyst"], url)
	fmt.Fprintf(w, "  go run ./cmd/crossguard seizure list --data %s --hs 2939   (or a built crossguard binary)\n\nPress Ctrl-C to stop.\n", o.Dir.Path)
}
