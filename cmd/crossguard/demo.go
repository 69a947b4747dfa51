package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"syscall"

	"crossguard"
	"crossguard/datadir"
	"crossguard/sample"
)

// demoUsers are the users the demo creates on each node, one per role.
var demoUsers = []struct{ name, role string }{
	{"demo-admin", crossguard.RoleAdmin},
	{"demo-analyst", crossguard.RoleAnalyst},
	{"demo-officer", crossguard.RoleOfficer},
	{"demo-auditor", crossguard.RoleAuditor},
}

// demoSpec is one node of the demo network.
type demoSpec struct {
	agency, node, country, name string
	seizures                    int    // sample seizures loaded into a new node (scaled by --seizures)
	crossing                    string // the crossing point whose declarations the node decides, if any
}

// demoSpecs are the demo's nodes: Pakistan Customs' headquarters and its
// border post at the Sost dry port, and China Customs at Tashkurgan on the
// other side of the Khunjerab pass. The post and Tashkurgan decide the
// declarations of their crossings; the code of the demo's other files
// refers to the nodes by these indices (0 headquarters, 1 the post, 2
// Tashkurgan).
var demoSpecs = []demoSpec{
	{"pk-customs", "hq", "PK", "Pakistan Customs, Islamabad headquarters", 0, ""},
	{"pk-customs", "sost", "PK", "Pakistan Customs, Sost dry port", 3, sample.CrossingSost},
	{"cn-customs", "tashkurgan", "CN", "China Customs, Tashkurgan (Khunjerab port)", 2, sample.CrossingKhunjerab},
}

// runDemo starts the demo network and serves it until interrupted.
func runDemo(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "demo", "demo [flags]", `
Starts, on loopback and the embedded database, three nodes that exchange
records: Pakistan Customs' headquarters (pk-customs/hq) and its border post
at the Sost dry port (pk-customs/sost), and China Customs at Tashkurgan
(cn-customs/tashkurgan). The post and headquarters peer as one agency; the
two agencies peer through headquarters. Each new node gets one user per
role and a synthetic history of seizures along the Karakoram corridor (the
post's through the CSV importer), and the post and Tashkurgan keep
recording a new seizure every few seconds, which reaches the other nodes
as their sharing rules allow.

Risk targeting: the post and Tashkurgan each store a year of inspected
sample declarations of their crossing (Sost, Khunjerab), train a risk
model on them and activate it. Headquarters writes risk profiles; they
are active at once at the post (same agency), while Tashkurgan receives
those shared with partners inactive, adopts one and leaves the other for
an analyst. The post puts a container on its watch list. Both crossing
points keep deciding a new declaration every few seconds and record the
inspections of those sent to control, which feed the hit rates of
/api/v1/risk/stats.

Joint operation: headquarters opens the operation "Karakoram Corridor"
with China Customs and warns it of consignments due at Khunjerab.
Tashkurgan seizes one and answers, clears another, leaves the third open
and warns Sost of a truck, which the post answers it did not see. Every
fifth declaration at Tashkurgan carries the open warning's container and
gets the warning's channel. The operation's report is the same at both
agencies once synced.

Cooperation programme: headquarters writes an agreement with China
Customs on counter-narcotics and anti-smuggling cooperation, signed some
months ago, with commitments of both agencies: a joint exercise in the
border region, courses at China Customs' academy, delegation visits, a
liaison line, exchanges of intelligence and of precursor lists. Each
agency reports on its own commitments from its node and records the
activities held (headcounts, units and titles, never names); some
commitments are done, one is in progress and two are overdue.

Prints each node's URL and tokens, and per crossing point a request to
decide a declaration, then serves until Ctrl-C. Running it again reuses
the data directories and prints fresh tokens.

Example:
  go run ./cmd/crossguard demo
  go run ./cmd/crossguard demo --data /tmp/cg-demo --listen 127.0.0.1:9080`)
	c.register(fs, env)
	fs.Lookup("data").DefValue = "./crossguard-demo"
	if env.Getenv("CROSSGUARD_DATA") == "" {
		c.Data = "./crossguard-demo"
	}
	listen := fs.String("listen", defaultListen, "address of the first node's JSON API; the others take the next free ports")
	fedListen := fs.String("federation-listen", defaultFederationListen, "address of the first node's federation listener; the others take the next free ports")
	count := fs.Int("seizures", 1000, "sample seizures per share of history loaded into new nodes (the post gets 3 shares, Tashkurgan 2)")
	decls := fs.Int("declarations", 6000, "inspected sample declarations loaded into a new post and Tashkurgan to train their models (0: none, and no model)")
	every := fs.Duration("every", 0, "pause between the new seizures and declarations the demo keeps recording (default 4s; 0 keeps the default, negative stops them)")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	if c.DB != "" {
		return errors.New("demo: runs on the embedded database only; leave --db and CROSSGUARD_DB empty")
	}
	nodes, err := startDemoNodes(ctx, env, &c, *listen, *fedListen)
	for _, n := range nodes {
		defer n.close()
	}
	if err != nil {
		return err
	}
	if err := peerDemoNodes(ctx, nodes); err != nil {
		return err
	}
	for i, n := range nodes {
		if n.fresh && demoSpecs[i].seizures > 0 && *count > 0 {
			if err := loadHistory(ctx, env, n, demoSpecs[i].seizures**count, int64(i+1)); err != nil {
				return err
			}
		}
	}
	risk, err := setUpDemoRisk(ctx, env, nodes, *decls)
	if err != nil {
		return err
	}
	ops, err := setUpDemoOps(ctx, env, nodes)
	if err != nil {
		return err
	}
	prog, err := setUpDemoProgramme(ctx, env, nodes)
	if err != nil {
		return err
	}
	printDemo(env, nodes, risk, ops, prog)
	if demoStarted != nil {
		demoStarted(nodes, ops)
	}
	return runDemoNodes(ctx, env, nodes, risk, ops, prog, *every)
}

// demoStarted, when set (by the tests), is called with the demo's nodes
// and operation once they are set up, before they serve.
var demoStarted func(nodes []*demoNode, ops *demoOps)

// startDemoNodes creates (on the first run) and opens the demo's nodes,
// each with its API and federation listeners bound.
func startDemoNodes(ctx context.Context, env *Env, c *commonFlags, listen, fedListen string) ([]*demoNode, error) {
	var nodes []*demoNode
	apiAddr, fedAddr := listen, fedListen
	for _, spec := range demoSpecs {
		n, err := openDemoNode(ctx, env, c, spec, apiAddr, fedAddr)
		if err != nil {
			return nodes, err
		}
		nodes = append(nodes, n)
		apiAddr, fedAddr = nextPort(n.api.Addr()), nextPort(n.fed.Addr())
	}
	return nodes, nil
}

// nextPort returns the address of the port after a listener's.
func nextPort(a net.Addr) string {
	t := a.(*net.TCPAddr)
	return net.JoinHostPort(t.IP.String(), fmt.Sprint(t.Port+1))
}

// demoDir returns the data directory of one demo node.
func demoDir(base string, spec demoSpec) string {
	return filepath.Join(base, spec.agency+"_"+spec.node)
}

// openDemoNode binds one node's listeners, creates the node if its data
// directory is new, and opens it with its card pointing at its listener.
func openDemoNode(ctx context.Context, env *Env, c *commonFlags, spec demoSpec, apiAddr, fedAddr string) (*demoNode, error) {
	api, err := listenNear(apiAddr, 20)
	if err != nil {
		return nil, err
	}
	fed, err := listenNear(fedAddr, 20)
	if err != nil {
		api.Close()
		return nil, err
	}
	n := &demoNode{api: api, fed: fed}
	nc := *c
	nc.Data = demoDir(c.Data, spec)
	fedURL := "https://" + fed.Addr().String()
	if n.fresh = !datadir.Exists(nc.Data); n.fresh {
		if _, err := initNode(ctx, env, &nc, spec.agency, spec.node, spec.country, spec.name, fedURL); err != nil {
			n.close()
			return nil, err
		}
	}
	if n.opened, err = nc.openNode(ctx, env); err != nil {
		n.close()
		return nil, err
	}
	// A second run may get other ports: the card says where it is now.
	n.Node.FederationURL = fedURL
	if n.tokens, err = demoTokens(ctx, n.opened, n.fresh); err != nil {
		n.close()
		return nil, err
	}
	return n, nil
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
	if err := setDemoPasswords(ctx, o.Node); err != nil {
		return nil, err
	}
	return tokens, nil
}

// listenNear listens on addr, or on one of the next tries ports after it
// if it is taken, so that a second demo does not fail on a busy port.
func listenNear(addr string, tries int) (net.Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("listen address %q: %w", addr, err)
	}
	var p int
	if _, err := fmt.Sscanf(port, "%d", &p); err != nil {
		return nil, fmt.Errorf("listen address %q: port is not a number", addr)
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
