package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"crossguard"
)

// Federation defaults: the listener peers connect to, and the URL on the
// card that points at it. Loopback only until an administrator says so.
const (
	defaultFederationListen = "127.0.0.1:8443"
	defaultFederationURL    = "https://127.0.0.1:8443"
)

// checkFederationURL checks an https://host:port URL for the node card.
func checkFederationURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.Path != "" && u.Path != "/" {
		return fmt.Errorf("--federation-url: %q is not an https://HOST:PORT URL", s)
	}
	return nil
}

// runNode dispatches the node subcommands.
func runNode(ctx context.Context, env *Env, args []string) error {
	return runGroup(ctx, env, "node", []subcommand{
		{"card", "", "print this node's card (JSON) to give to the administrators of its peers", runNodeCard},
		{"rotate-key", "", "replace this node's key by a key handover that peers accept; print the new card", runNodeRotateKey},
	}, args)
}

// runNodeCard prints the node card.
func runNodeCard(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "node card", "node card [flags]", `
Prints this node's card as JSON: id, agency, country, name, the URL of its
federation listener, its Ed25519 public key and the protocol version. Give
it to the administrator of each node this one should exchange records with;
they add it with 'crossguard peer add CARD.json', and you add theirs.

Example:
  crossguard node card --data /var/lib/crossguard > sost.card.json`)
	c.register(fs, env)
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		return writeJSON(env.Stdout, o.Node.Card())
	})
}

// runPeer dispatches the peer subcommands.
func runPeer(ctx context.Context, env *Env, args []string) error {
	return runGroup(ctx, env, "peer", []subcommand{
		{"add", "CARD.json", "add a peer from its node card, or change its sharing policy", runPeerAdd},
		{"list", "", "list peers with their policy and sync status", runPeerList},
		{"remove", "ID", "forget a peer: its key is refused from then on", runPeerRemove},
	}, args)
}

// runPeerAdd adds a peer or changes its policy.
func runPeerAdd(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "peer add", "peer add CARD.json --relationship partner|agency --kinds KINDS --max-tlp TLP [flags]", `
Adds the node whose card is in CARD.json ('-' reads it from stdin) as a
peer, with the sharing policy this node applies to it: the relationship
(agency: a node of this node's own agency, such as a border post and its
headquarters; partner: a node of a partner agency), the record kinds it is
given and the highest TLP it is given. Records also follow their own
distribution, recipients and marking (see docs/federation.md).

Peering is mutual: nothing flows until the other node has added this node's
card too (crossguard node card). Adding a known peer again changes its
policy: records it may no longer hold are withdrawn from it, and records it
may now have are sent.

With --origin-only the node is known only to verify records relayed from
it by other peers (network distribution); this node never connects to it.

Example:
  crossguard peer add tashkurgan.card.json --relationship partner \
    --kinds seizure,warning,feedback,annotation --max-tlp amber`)
	c.register(fs, env)
	rel := fs.String("relationship", "", "partner or agency (required)")
	kinds := fs.String("kinds", "", "comma-separated record kinds shared with the peer: "+strings.Join(crossguard.ShareableKinds, ",")+" (required)")
	maxTLP := fs.String("max-tlp", "", "highest TLP shared with the peer: "+strings.Join(crossguard.TLPs, ", ")+" (required)")
	originOnly := fs.Bool("origin-only", false, "only verify records relayed from this node; never exchange with it directly")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	card, err := readCard(env, pos[0])
	if err != nil {
		return err
	}
	p := &crossguard.Peer{Card: *card, Relationship: *rel, MaxTLP: *maxTLP, OriginOnly: *originOnly}
	for k := range strings.SplitSeq(*kinds, ",") {
		if k = strings.TrimSpace(k); k != "" {
			p.Kinds = append(p.Kinds, k)
		}
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		got, err := o.Node.PutPeer(ctx, cliActor(env), p)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Peer %s added: %s, kinds %s, up to TLP:%s.\n", got.Card.ID, got.Relationship,
			strings.Join(got.Kinds, ","), strings.ToUpper(got.MaxTLP))
		if !got.OriginOnly {
			fmt.Fprintf(env.Stdout, "Records flow once %s has added this node's card too (crossguard node card).\n", got.Card.ID)
		}
		return nil
	})
}

// readCard reads and decodes a node card file, or stdin for "-".
func readCard(env *Env, path string) (*crossguard.NodeCard, error) {
	var b []byte
	var err error
	if path == "-" {
		b, err = io.ReadAll(io.LimitReader(env.Stdin, 64<<10))
	} else {
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("read node card: %w", err)
	}
	var card crossguard.NodeCard
	if err := decodeStrict(b, &card); err != nil {
		return nil, fmt.Errorf("%s is not a node card (the JSON that crossguard node card prints): %w", path, err)
	}
	return &card, nil
}

// runPeerList prints the peers and their status.
func runPeerList(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "peer list", "peer list [--json] [flags]", `
Lists the peers: the policy applied to each and the state of the exchange
(last successful pull, cursor, changes behind, versions received and sent,
and the last error in words).

Example:
  crossguard peer list`)
	c.register(fs, env)
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		peers, err := o.Node.Peers(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, peers)
		}
		if len(peers) == 0 {
			fmt.Fprintln(env.Stdout, "No peers. Add one with: crossguard peer add CARD.json --relationship partner --kinds seizure --max-tlp amber")
			return nil
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tRELATIONSHIP\tMAX TLP\tKINDS\tLAST EXCHANGE\tBEHIND\tRECEIVED\tSENT\tLAST ERROR")
		for _, p := range peers {
			rel := p.Relationship
			if p.OriginOnly {
				rel += " (origin only)"
			}
			last := "never"
			if p.Status.LastExchange != nil {
				last = p.Status.LastExchange.Local().Format(time.DateTime)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\n", p.Card.ID, rel, strings.ToUpper(p.MaxTLP),
				strings.Join(p.Kinds, ","), last, p.Status.Behind(), p.Status.Received, p.Status.Sent, p.Status.LastError)
		}
		return tw.Flush()
	})
}

// runPeerRemove forgets a peer.
func runPeerRemove(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "peer remove", "peer remove ID [flags]", `
Forgets a peer: its key is refused from then on and this node stops pulling
from it. Records it sent stay on this node.

Example:
  crossguard peer remove cn-customs/tashkurgan`)
	c.register(fs, env)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		if err := o.Node.RemovePeer(ctx, cliActor(env), pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Peer %s removed.\n", pos[0])
		return nil
	})
}
