package main

import (
	"context"
	"fmt"
	"time"

	"crossguard"
)

// runWatch dispatches the watch-list subcommands.
func runWatch(ctx context.Context, env *Env, args []string) error {
	return runGroup(ctx, env, "watch", []subcommand{
		{"add", "", "put a container, plate or company on the watch list", runWatchAdd},
		{"list", "", "list the entries in force", runWatchList},
		{"remove", "ID", "end an entry now", runWatchRemove},
	}, args)
}

// runWatchAdd adds a watch-list entry.
func runWatchAdd(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "watch add", "watch add --type TYPE --value VALUE --channel red|yellow|blue --reason TEXT --expires DATE [flags]", `
Puts an identifier on the watch list: every declaration carrying it goes to
the channel, with the reason among its decision's reasons, until the entry
expires or is removed. The value is checked as in a seizure (check digits
of containers, vessels, air waybills and postal items) and compared in its
canonical spelling, so case, spaces and hyphens do not matter. Write a
plate or company registration with its country code first ("PK LEA-1234");
one without is checked as text only and matches the same characters.

Example:
  crossguard watch add --type container --value MSCU1234566 --channel red \
    --reason "partner tip-off: heroin in machine parts" --expires 2026-12-31`)
	c.register(fs, env)
	typ := fs.String("type", "", "identifier type: "+fmt.Sprint(crossguard.IdentifierTypes)+" (required)")
	value := fs.String("value", "", "identifier value (required)")
	channel := fs.String("channel", "red", "channel: red, yellow or blue")
	reason := fs.String("reason", "", "why, in words officers act on (required)")
	expires := fs.String("expires", "", "when the entry ends: a date (the end of that day, UTC) or an RFC 3339 time (required)")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	var at time.Time
	if *expires != "" {
		t, err := crossguard.ParseTimeBound(*expires, true)
		if err != nil {
			return fmt.Errorf("--expires: %w", err)
		}
		at = t
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		w, err := o.Node.Targeting.AddWatch(ctx, cliActor(env), &crossguard.WatchEntry{
			Identifier: crossguard.Identifier{Type: *typ, Value: *value}, Channel: *channel, Reason: *reason, ExpiresAt: at})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Watch-list entry %s: %s %s goes to %s until %s.\n", w.ID, w.Identifier.Type, w.Identifier.Value, w.Channel, w.ExpiresAt.Format(time.RFC3339))
		return nil
	})
}

// runWatchList lists the entries in force.
func runWatchList(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "watch list", "watch list [--json] [flags]", `
Lists the watch-list entries in force.

Example:
  crossguard watch list`)
	c.register(fs, env)
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		ws, err := o.Node.Targeting.Watchlist(ctx)
		if err != nil {
			return err
		}
		return printList(env, ws, *asJSON, "The watch list is empty.",
			"ID\tTYPE\tVALUE\tCHANNEL\tEXPIRES\tSOURCE\tREASON",
			func(w *crossguard.WatchEntry) string {
				return fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t%s\t%s", w.ID, w.Identifier.Type, w.Identifier.Value, w.Channel,
					w.ExpiresAt.Format(time.DateTime), w.Source, clipText(w.Reason, 60))
			})
	})
}

// runWatchRemove ends an entry.
func runWatchRemove(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "watch remove", "watch remove ID [flags]", `
Ends a watch-list entry now.

Example:
  crossguard watch remove 0193a8d2-...`)
	c.register(fs, env)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		if err := o.Node.Targeting.RemoveWatch(ctx, cliActor(env), pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Watch-list entry %s removed.\n", pos[0])
		return nil
	})
}
