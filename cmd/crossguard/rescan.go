package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"crossguard"
	"crossguard/federation"
)

// errFindings reports that a rescan found held versions this node would
// now refuse: the command exits 1 after listing them.
type errFindings struct {
	found, quarantined int
}

func (e *errFindings) Error() string {
	if e.quarantined > 0 {
		return fmt.Sprintf("%d held versions would now be refused; %d of them quarantined", e.found, e.quarantined)
	}
	return fmt.Sprintf("%d held versions would now be refused: review them, then run crossguard rescan --quarantine", e.found)
}

// runRescan checks the received versions this node holds.
func runRescan(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "rescan", "rescan [--quarantine] [--json] [flags]", `
Checks every received record version this node holds (live copies and
tombstones, of every kind) against exactly the checks a version received
from a peer passes today: the signed record as it was received, decoded
as strictly as a local write (unknown fields, such as a driver's name or a
passport number, refused; every value checked). A node that ran an older
crossguard may hold versions it would now refuse, and serves them on to
its peers as they are.

The report lists each version that would now be refused: kind, id,
origin, version and the reason. Nothing changes unless --quarantine is
given: then each is removed from the held records as a withdrawal from
its peer would remove it (the node's peers that received it get a
withdrawal at their next pull), its signed record is kept in the
quarantine with the reason and the time for the data-protection officer,
and each removal is audited (federation.quarantine). --quarantined lists
what is in the quarantine instead of rescanning (with --json, the signed
records as they were received).

Exit status: 0 if nothing would be refused, 1 if something was found
(whether or not it was quarantined) or the rescan failed, 2 on bad usage.

Examples:
  crossguard rescan --data /var/lib/crossguard
  crossguard rescan --quarantine
  crossguard rescan --json > rescan.json
  crossguard rescan --quarantined`)
	c.register(fs, env)
	quarantine := fs.Bool("quarantine", false, "remove each version found from the held records into the quarantine, and audit it")
	list := fs.Bool("quarantined", false, "list the quarantine instead of rescanning")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	if *list && *quarantine {
		fmt.Fprintln(env.Stderr, "crossguard rescan: --quarantined lists the quarantine; it does not go with --quarantine")
		return errUsage
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		if *list {
			return listQuarantine(ctx, env, o.Node.Store, *asJSON)
		}
		return rescan(ctx, env, o.Node.Store, o.Node.Core.Clock, cliActor(env), *quarantine, *asJSON)
	})
}

// listQuarantine prints the quarantine, oldest first.
func listQuarantine(ctx context.Context, env *Env, s crossguard.QuarantineStore, asJSON bool) error {
	qs, err := s.QuarantinedVersions(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		if qs == nil {
			qs = []*crossguard.Quarantined{}
		}
		return writeJSON(env.Stdout, qs)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "QUARANTINED\tKIND\tID\tORIGIN\tVERSION\tVIA\tBY\tREASON")
	for _, q := range qs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", q.At.Format("2006-01-02 15:04:05"), q.Kind, q.ID, q.Origin, q.Version,
			q.Via, q.Actor, q.Reason)
	}
	return tw.Flush()
}

// rescan runs the rescan of store, with the actor of any quarantine,
// and reports to env's stdout: the whole command but for its flags.
func rescan(ctx context.Context, env *Env, store crossguard.Store, clock crossguard.Clock, actor string, quarantine, asJSON bool) error {
	keys, err := federation.PeerKeys(ctx, store)
	if err != nil {
		return fmt.Errorf("rescan: %w", err)
	}
	retired, err := store.RetiredKeys(ctx)
	if err != nil {
		return fmt.Errorf("rescan: %w", err)
	}
	r := &federation.Rescanner{Store: store, Keys: keys, Clock: clock, Actor: actor,
		Retired: func(origin string) []crossguard.RetiredKey { return retired[origin] }}
	res, err := r.Rescan(ctx, quarantine)
	if err != nil {
		return err
	}
	if asJSON {
		if err := writeJSON(env.Stdout, res); err != nil {
			return err
		}
	} else {
		writeRescan(env.Stdout, res, quarantine)
	}
	if len(res.Findings) == 0 {
		return nil
	}
	e := &errFindings{found: len(res.Findings)}
	for _, f := range res.Findings {
		if f.Quarantined {
			e.quarantined++
		}
	}
	return e
}

// writeRescan prints a rescan's findings as a table and a summary.
func writeRescan(w io.Writer, res *federation.RescanResult, quarantine bool) {
	if len(res.Findings) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		head := "KIND\tID\tORIGIN\tVERSION\tREASON"
		if quarantine {
			head += "\tQUARANTINED"
		}
		fmt.Fprintln(tw, head)
		for _, f := range res.Findings {
			kind := f.Kind
			if f.Deleted {
				kind += " (tombstone)"
			}
			line := fmt.Sprintf("%s\t%s\t%s\t%d\t%s", kind, f.ID, f.Origin, f.Version, f.Reason)
			if quarantine {
				switch {
				case f.Quarantined:
					line += "\tyes"
				default:
					line += "\tno: " + f.Error
				}
			}
			fmt.Fprintln(tw, line)
		}
		tw.Flush()
	}
	switch {
	case len(res.Findings) == 0:
		fmt.Fprintf(w, "OK: %d held versions checked, none would now be refused.\n", res.Checked)
	case quarantine:
		fmt.Fprintf(w, "%d held versions checked, %d would now be refused. Quarantined versions: crossguard audit list --action %s\n",
			res.Checked, len(res.Findings), crossguard.ActionFedQuarantine)
	default:
		fmt.Fprintf(w, "%d held versions checked, %d would now be refused. Nothing was changed: add --quarantine to remove them.\n",
			res.Checked, len(res.Findings))
	}
}
