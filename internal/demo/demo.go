package demo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"syscall"

	"crossguard"
	"crossguard/datadir"
	"crossguard/internal/wiring"
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

// Run creates (on the first run) and opens the demo's three nodes in
// data directories under cfg.Data, peers them, gives new nodes their
// sample history, risk targeting, joint operation and cooperation
// programme, prints how to reach each node, and serves them all until
// ctx ends.
func Run(ctx context.Context, cfg *Config) error {
	nodes, err := startDemoNodes(ctx, cfg)
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
		if n.fresh && demoSpecs[i].seizures > 0 && cfg.Seizures > 0 {
			if err := loadHistory(ctx, cfg, n, demoSpecs[i].seizures*cfg.Seizures, int64(i+1)); err != nil {
				return err
			}
		}
	}
	risk, err := setUpDemoRisk(ctx, cfg, nodes, cfg.Declarations)
	if err != nil {
		return err
	}
	ops, err := setUpDemoOps(ctx, cfg, nodes)
	if err != nil {
		return err
	}
	prog, err := setUpDemoProgramme(ctx, cfg, nodes)
	if err != nil {
		return err
	}
	printDemo(cfg, nodes, risk, ops, prog)
	if demoStarted != nil {
		demoStarted(nodes, ops)
	}
	return runDemoNodes(ctx, cfg, nodes, risk, ops, prog, cfg.Every)
}

// demoStarted, when set (by the tests), is called with the demo's nodes
// and operation once they are set up, before they serve.
var demoStarted func(nodes []*demoNode, ops *demoOps)

// startDemoNodes creates (on the first run) and opens the demo's nodes,
// each with its API and federation listeners bound.
func startDemoNodes(ctx context.Context, cfg *Config) ([]*demoNode, error) {
	var nodes []*demoNode
	apiAddr, fedAddr := cfg.Listen, cfg.FederationListen
	for _, spec := range demoSpecs {
		n, err := openDemoNode(ctx, cfg, spec, apiAddr, fedAddr)
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
func openDemoNode(ctx context.Context, cfg *Config, spec demoSpec, apiAddr, fedAddr string) (*demoNode, error) {
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
	dir := demoDir(cfg.Data, spec)
	fedURL := "https://" + fed.Addr().String()
	if n.fresh = !datadir.Exists(dir); n.fresh {
		id := Identity{Agency: spec.agency, Node: spec.node, Country: spec.country, Name: spec.name}
		if err := cfg.Create(ctx, dir, id, fedURL); err != nil {
			n.close()
			return nil, err
		}
	}
	if n.Dir, n.Node, err = cfg.Open(ctx, dir); err != nil {
		n.close()
		return nil, err
	}
	// A second run may get other ports: the card says where it is now.
	n.Node.Sharing.FederationURL = fedURL
	if n.tokens, err = demoTokens(ctx, n.Node, n.fresh); err != nil {
		n.close()
		return nil, err
	}
	return n, nil
}

// demoTokens creates the demo users on a fresh node, or issues new tokens
// for them on an existing one, and returns the tokens by user name.
func demoTokens(ctx context.Context, n *wiring.Services, fresh bool) (map[string]string, error) {
	tokens := map[string]string{}
	for _, u := range demoUsers {
		var token string
		var err error
		if fresh {
			token, err = n.Admin.AddUser(ctx, "demo", u.name, u.role)
		} else {
			token, err = n.Admin.NewUserToken(ctx, "demo", u.name)
		}
		if err != nil {
			return nil, err
		}
		tokens[u.name] = token
	}
	if err := setDemoPasswords(ctx, n); err != nil {
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
