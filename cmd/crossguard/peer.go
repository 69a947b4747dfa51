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
		return writeJSON(env.Stdout, o.Node.Sharing.Card())
	})
}

// runPeer dispatches the peer subcommands.
func runPeer(ctx context.Context, env *Env, args []string) error {
	return runGroup(ctx, env, "peer", []subcommand{
		{"add", "CARD.json", "add a peer from its node card, or change its sharing policy", runPeerAdd},
		{"list", "", "list peers with their policy and sync status", runPeerList},
		{"ack", "ID", "acknowledge the refusals from a peer: clears its last refusal", runPeerAck},
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
policy, from the next page this node serves it even while it waits in a
long-poll: records it may no longer hold are withdrawn from it, and records
it may now have are sent. Should this command stop before it has put them
back in the feed, the serving node does it (crossguard serve, at once or
when it next starts).

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
		got, err := o.Node.Sharing.PutPeer(ctx, cliActor(env), p)
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
Lists the peers: the policy applied to each and the state of the exchange:
the last successful pull, the changes behind, the versions received, refused
and sent, the last error in words (cleared by the next exchange that
works), and the last refusal with how many envelopes were refused since an
operator last acknowledged them (kept until 'crossguard peer ack ID').
--json adds the cursor, the refusals by class of reason and the
withdrawals received and sent.

Example:
  crossguard peer list`)
	c.register(fs, env)
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		peers, err := o.Node.Sharing.Peers(ctx)
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
		fmt.Fprintln(tw, "ID\tRELATIONSHIP\tMAX TLP\tKINDS\tLAST EXCHANGE\tBEHIND\tRECEIVED\tREFUSED\tSENT\tLAST ERROR\tLAST REFUSAL")
		for _, p := range peers {
			rel := p.Relationship
			if p.OriginOnly {
				rel += " (origin only)"
			}
			last := "never"
			if p.Status.LastExchange != nil {
				last = p.Status.LastExchange.Local().Format(time.DateTime)
			}
			lastErr := p.Status.LastError
			if lastErr == "" {
				lastErr = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\n", p.Card.ID, rel, strings.ToUpper(p.MaxTLP),
				strings.Join(p.Kinds, ","), last, p.Status.Behind(), p.Status.Received, p.Status.Refused, p.Status.Sent,
				lastErr, describeRefusal(p.Status.LastRefusal))
		}
		return tw.Flush()
	})
}

// runPeerRemove forgets a peer, and with --purge the copies it alone sent.
func runPeerRemove(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "peer remove", "peer remove ID [--purge] [flags]", `
Forgets a peer: its key is refused from then on and this node stops pulling
from it. Records it sent stay on this node, unless --purge is given. This node remembers what it
served the peer, which keeps its copies: if the peer is added again, those
its new policy no longer lets it hold are withdrawn, and records deleted
meanwhile reach it as tombstones.

With --purge, the copies the peer was the only source of are removed too,
each with a peer.purge audit entry, exactly as the peer's withdrawal would
remove them: the peers this node passed them on to are sent withdrawals.
Copies another peer also sent stay, held from that peer. The purge goes
in batches of 1000; if it is interrupted, run the same command again: it
finishes the purge of a peer already removed.

Examples:
  crossguard peer remove cn-customs/tashkurgan
  crossguard peer remove cn-customs/tashkurgan --purge`)
	c.register(fs, env)
	purge := fs.Bool("purge", false, "also remove the copies the peer was the only source of")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		err := o.Node.Sharing.RemovePeer(ctx, cliActor(env), pos[0])
		switch {
		case err == nil:
			fmt.Fprintf(env.Stdout, "Peer %s removed.\n", pos[0])
		case !*purge || crossguard.ErrorCode(err) != crossguard.ENOTFOUND:
			return err
		}
		if !*purge {
			return nil
		}
		total, perr := o.Node.Sharing.PurgePeer(ctx, cliActor(env), pos[0], func(b crossguard.SourcePurge) {
			fmt.Fprintf(env.Stdout, "purged %d copies, %d switched to another source (%d sources of %s dropped)\n", b.Removed, b.Switched, b.Sources, pos[0])
		})
		if perr != nil {
			return perr
		}
		if err != nil && total.Sources == 0 {
			return err // an unknown peer with nothing left to purge
		}
		fmt.Fprintf(env.Stdout, "Purged the copies of %s: %d removed, %d now held from another peer.\n", pos[0], total.Removed, total.Switched)
		return nil
	})
}

// describeRefusal says in one line what a peer's last unacknowledged
// refusal was, or "-" when there is none.
func describeRefusal(r *crossguard.PeerRefusal) string {
	if r == nil {
		return "-"
	}
	return fmt.Sprintf("%d unacknowledged; last %s", r.Unacknowledged, refusalText(r))
}

// refusalText says when a refusal happened, why, and of which record.
func refusalText(r *crossguard.PeerRefusal) string {
	what := ""
	if r.ID != "" {
		what = fmt.Sprintf(" (%s %s of %s)", r.Kind, r.ID, r.Origin)
	}
	return fmt.Sprintf("at %s: %s%s", r.At.Local().Format(time.DateTime), r.Reason, what)
}

// runPeerAck acknowledges the refusals from a peer.
func runPeerAck(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "peer ack", "peer ack ID [flags]", `
Acknowledges the refusals from a peer: you have seen them (crossguard peer
list shows the last one, and crossguard audit list --action federation.refuse
every one). The peer's last refusal and the count since the last
acknowledgement are cleared, so that the next refusal stands out; the
counts of refusals stay. The acknowledgement is audited (peer.ack).

Example:
  crossguard peer ack cn-customs/tashkurgan`)
	c.register(fs, env)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		acked, err := o.Node.Sharing.AckPeerRefusals(ctx, cliActor(env), pos[0])
		if err != nil {
			return err
		}
		if acked == nil {
			fmt.Fprintf(env.Stdout, "No refusals from %s were waiting; acknowledged anyway.\n", pos[0])
			return nil
		}
		fmt.Fprintf(env.Stdout, "Acknowledged %d refused envelopes from %s; the last %s\n", acked.Unacknowledged, pos[0], refusalText(acked))
		return nil
	})
}
