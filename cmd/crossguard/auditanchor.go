package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"crossguard"
	"crossguard/federation"
	"crossguard/federation/fedtls"
)

// anchor returns the signer of the node's audit heads.
func (o *opened) anchor(interval time.Duration) *federation.Anchor {
	return &federation.Anchor{Self: o.Dir.Info.ID, Key: o.Dir.Key, Store: o.Node.Store, Clock: o.Node.Core.Clock,
		NewID: o.Node.Core.NewID, Interval: interval, Logger: o.Logger}
}

// runAuditHead signs the entries not yet anchored and prints every audit
// head the node signed.
func runAuditHead(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "audit head", "audit head [flags] > head.json", `
Signs the audit entries written since the last signed head (a serving node
does so every minute) and prints every audit head this node signed, as JSON.
Keep the file away from the node (another machine, paper, an auditor's
mail): audit verify --head FILE then detects any rewrite of the entries it
covers and names the first rewritten entry. A node with peers need not: its
peers keep its heads (audit verify --peers).

Example:
  crossguard audit head > /media/usb/sost-head-2026-12-07.json`)
	c.register(fs, env)
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		if _, err := o.anchor(0).SignPending(ctx); err != nil {
			return err
		}
		heads, err := o.Node.Store.AuditHeadsOf(ctx, o.Dir.Info.ID, 0, 0)
		if err != nil {
			return err
		}
		f := federation.HeadFile{Node: o.Dir.Info.ID, PublicKey: o.Dir.Info.PublicKey, Heads: []federation.HeldHead{}}
		for _, h := range heads {
			if h.Via == "" {
				f.Heads = append(f.Heads, federation.HeldHead{Signed: h.Signed, ReceivedAt: h.ReceivedAt})
			}
		}
		return writeJSON(env.Stdout, f)
	})
}

// anchorCheck is what audit verify compares the log with.
type anchorCheck struct {
	files []string
	peers bool
}

// String and Set make --head repeatable.
func (a *anchorCheck) String() string { return strings.Join(a.files, ",") }

// Set adds a head file.
func (a *anchorCheck) Set(s string) error { a.files = append(a.files, s); return nil }

// verifyAnchors gathers the heads of the files and peers asked for,
// checks each one's signature with the node's key and compares the log
// with those that verify. It prints a line per finding and returns an
// error if any head is bad, a source cannot be read, or the log differs.
func verifyAnchors(ctx context.Context, env *Env, o *opened, a anchorCheck) error {
	key, err := fedtls.ParsePublicKey(o.Dir.Info.PublicKey)
	if err != nil {
		return fmt.Errorf("node key: %w", err)
	}
	// Heads signed before a key rotation verify with the retired key, up
	// to the handover that retired it.
	retiredKeys, err := o.Node.Store.RetiredKeys(ctx)
	if err != nil {
		return fmt.Errorf("retired keys: %w", err)
	}
	retired := func(origin string) []crossguard.RetiredKey { return retiredKeys[origin] }
	var heads []crossguard.AnchorHead
	var problems []string
	add := func(source string, held []federation.HeldHead) {
		for _, hh := range held {
			h, err := federation.OpenAuditHead(&hh.Signed, o.Dir.Info.ID, key, retired)
			if err != nil {
				fmt.Fprintf(env.Stdout, "BAD HEAD from %s: %v\n", source, err)
				problems = append(problems, "a head from "+source+" is not this node's")
				continue
			}
			heads = append(heads, crossguard.AnchorHead{Head: h, Source: source})
		}
	}
	for _, name := range a.files {
		held, err := readHeadFile(name)
		if err != nil {
			return err
		}
		add(name, held)
	}
	if a.peers {
		problems = append(problems, peerHeads(ctx, env, o, add)...)
	}
	covered, err := crossguard.CheckAuditAnchors(ctx, o.Node.Store, heads)
	var broken *crossguard.AuditBreak
	switch {
	case errors.As(err, &broken):
		fmt.Fprintf(env.Stdout, "REWRITTEN: entry %d: %s\n", broken.Seq, broken.Reason)
		return broken
	case err != nil:
		return err
	case len(problems) > 0:
		return fmt.Errorf("audit heads: %s", strings.Join(problems, "; "))
	}
	fmt.Fprintf(env.Stdout, "ANCHORED: %d entries match %d signed heads held elsewhere.\n", covered, len(heads))
	return nil
}

// readHeadFile reads a file printed by audit head.
func readHeadFile(name string) ([]federation.HeldHead, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("--head: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var f federation.HeadFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("--head %s: not a file printed by crossguard audit head: %v", name, err)
	}
	return f.Heads, nil
}

// peerHeads asks every direct peer for the heads of this node it holds
// and passes them to add. It returns the peers it could not ask.
func peerHeads(ctx context.Context, env *Env, o *opened, add func(string, []federation.HeldHead)) []string {
	peers, err := o.Node.Store.Peers(ctx)
	if err != nil {
		return []string{fmt.Sprintf("read peers: %v", err)}
	}
	svc := &federation.Service{Card: o.Node.Sharing.Card(), Key: o.Dir.Key, Store: o.Node.Store, Logger: o.Logger}
	var problems []string
	for _, p := range peers {
		if p.OriginOnly {
			continue
		}
		pl, err := svc.NewPuller(ctx, p)
		if err == nil {
			var held []federation.HeldHead
			held, err = pl.AuditHeads(ctx, p)
			pl.Client.CloseIdleConnections()
			if err == nil {
				fmt.Fprintf(env.Stdout, "PEER %s holds %d audit heads of this node.\n", p.Card.ID, len(held))
				add(p.Card.ID, held)
				continue
			}
		}
		fmt.Fprintf(env.Stdout, "UNREACHABLE: %s: %v\n", p.Card.ID, err)
		problems = append(problems, "could not ask "+p.Card.ID)
	}
	return problems
}
