package main

import (
	"context"
	"errors"

	"crossguard/datadir"
	"crossguard/httpapi"
	"crossguard/internal/apiserver"
	"crossguard/internal/demo"
	"crossguard/internal/wiring"
)

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
	logger, err := c.logger(env)
	if err != nil {
		return err
	}
	cfg := &demo.Config{Data: c.Data, Listen: *listen, FederationListen: *fedListen,
		Seizures: *count, Declarations: *decls, Every: *every,
		Stdout: env.Stdout, Stderr: env.Stderr, Logger: logger, TargetingReload: targetingReload,
		Create: func(ctx context.Context, dir string, id demo.Identity, fedURL string) error {
			nc := c
			nc.Data = dir
			_, err := initNode(ctx, env, &nc, id.Agency, id.Node, id.Country, id.Name, fedURL)
			return err
		},
		Open: func(ctx context.Context, dir string) (*datadir.Dir, *wiring.Services, error) {
			nc := c
			nc.Data = dir
			o, err := nc.openNode(ctx, env)
			if err != nil {
				return nil, nil, err
			}
			return o.Dir, o.Node, nil
		},
		Server: func(n *wiring.Services) *httpapi.Server { return apiserver.Server(n, logger) },
	}
	return demo.Run(ctx, cfg)
}
