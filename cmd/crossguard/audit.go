package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"crossguard"
)

// runAudit dispatches the audit subcommands.
func runAudit(ctx context.Context, env *Env, args []string) error {
	return runGroup(ctx, env, "audit", []subcommand{
		{"verify", "", "walk the hash chain and compare it with signed heads held elsewhere; exit 1 naming the first broken or rewritten entry", runAuditVerify},
		{"head", "", "sign the entries not yet anchored and print every signed audit head, for audit verify --head", runAuditHead},
		{"list", "[filters]", "list entries, newest first, with filters", runAuditList},
	}, args)
}

// runAuditVerify verifies the audit chain, and compares it with the heads
// held elsewhere when asked.
func runAuditVerify(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "audit verify", "audit verify [--peers] [--head FILE] [flags]", `
Walks the whole audit log in order and recomputes every entry's hash. Exits 0
if the chain is intact, 1 naming the first entry that was altered, removed or
put out of order.

The chain alone cannot show a rewrite by someone who re-hashed every entry
after the one they changed. With --peers it also asks every direct peer, over
the federation link, for the signed audit heads of this node it keeps, and
with --head for those of a file printed by audit head; it checks each head's
signature with this node's key and compares every entry the heads cover.
Exits 1 naming the first rewritten entry, a head that is not this node's, or
a peer it could not ask.

Examples:
  crossguard audit verify --data /var/lib/crossguard
  crossguard audit verify --peers
  crossguard audit verify --head /media/usb/sost-head-2026-12-07.json`)
	c.register(fs, env)
	var anchors anchorCheck
	fs.BoolVar(&anchors.peers, "peers", false, "also compare with the audit heads this node's direct peers hold")
	fs.Var(&anchors, "head", "also compare with the audit heads of a file printed by audit head (repeatable)")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		n, err := crossguard.VerifyAudit(ctx, o.Node.Store)
		var broken *crossguard.AuditBreak
		if errors.As(err, &broken) {
			fmt.Fprintf(env.Stdout, "BROKEN: %d entries verified before entry %d: %s\n", n, broken.Seq, broken.Reason)
		} else if err != nil {
			return fmt.Errorf("verify audit log: %w", err)
		} else {
			fmt.Fprintf(env.Stdout, "OK: %d entries, chain intact.\n", n)
		}
		if anchors.peers || len(anchors.files) > 0 {
			// Heads may name an earlier entry than the chain's own break.
			aerr := verifyAnchors(ctx, env, o, anchors)
			var rewritten *crossguard.AuditBreak
			switch {
			case aerr != nil && err == nil:
				return aerr
			case aerr != nil && !errors.As(aerr, &rewritten):
				fmt.Fprintf(env.Stdout, "HEADS NOT CHECKED: %v\n", aerr)
			}
		}
		return err
	})
}

// runAuditList lists audit entries.
func runAuditList(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "audit list", "audit list [filters] [flags]", `
Lists audit entries, newest first.

Example:
  crossguard audit list --action seizure.delete --from 2026-11-01`)
	c.register(fs, env)
	var f crossguard.AuditFilter
	fs.StringVar(&f.Actor, "actor", "", "entries by this actor (user name, or cli:USER)")
	fs.StringVar(&f.Action, "action", "", "entries of this action, e.g. seizure.create, login.failure")
	fs.StringVar(&f.RecordID, "record", "", "entries about this record id")
	var when timeRange
	when.register(fs, "entries")
	fs.IntVar(&f.Limit, "limit", crossguard.DefaultPageSize, "entries per page (at most 500)")
	fs.StringVar(&f.Cursor, "cursor", "", "continue after a previous page")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	var err error
	if f.From, f.To, err = when.parse(); err != nil {
		return err
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		page, err := o.Node.Store.ListAudit(ctx, f)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, page)
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "SEQ\tAT\tACTOR\tACTION\tRECORD\tOUTCOME\tDETAIL")
		for _, e := range page.Items {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Seq, e.At.Format("2006-01-02 15:04:05"), e.Actor, e.Action, e.RecordID, e.Outcome, e.Detail)
		}
		tw.Flush()
		if page.NextCursor != "" {
			fmt.Fprintf(env.Stdout, "More: add --cursor %s\n", page.NextCursor)
		}
		return nil
	})
}
