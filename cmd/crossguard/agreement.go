package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"crossguard"
	"crossguard/node"
)

// runAgreement dispatches the agreement subcommands.
func runAgreement(ctx context.Context, env *Env, args []string) error {
	return runGroup(ctx, env, "agreement", []subcommand{
		{"add", "FILE.json", "add a cooperation agreement written by this node", runAgreementAdd},
		{"list", "", "list agreements, own and received, with overdue counts", runAgreementList},
		{"show", "ID", "print an agreement with its commitments' status as JSON", runAgreementShow},
		{"status", "ID", "print the commitments and their status, overdue first", runAgreementStatus},
		{"progress", "ID COMMITMENT", "report progress on a commitment this agency owns", runAgreementProgress},
	}, args)
}

// runAgreementAdd adds an agreement from a JSON file.
func runAgreementAdd(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "agreement add", "agreement add FILE.json [flags]", `
Adds a cooperation agreement written by this node from FILE.json ('-' reads
stdin): a title, the parties (agency ids, this node's agency included), the
date it was signed, its scope (record kinds exchanged, the default marking,
a retention in days) and its commitments, each with an id, a type
(exercise, training, visit, intelligence_exchange or other), a title, the
owner agency, a due date and a description. The agreement goes to the
parties and nobody else; each party reports on the commitments it owns
with 'crossguard agreement progress'.

Example FILE.json:
  {"title": "Counter-narcotics and anti-smuggling cooperation",
   "parties": ["pk-customs", "af-customs"], "signed_on": "2026-06-01",
   "scope": {"kinds": ["seizure", "warning"], "default_marking": {"tlp": "amber", "handling": "H1"},
             "retention_days": 730},
   "commitments": [{"id": "ex-1", "type": "exercise", "title": "Joint exercise",
                    "owner": "pk-customs", "due": "2026-11-30"}]}

Example:
  crossguard agreement add agreement.json`)
	c.register(fs, env)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	var a crossguard.Agreement
	if err := readRecordFile(env, pos[0], "an agreement", &a); err != nil {
		return err
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		got, err := o.Node.Cooperation.CreateAgreement(ctx, cliActor(env), &a)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Agreement %s added: %q between %v, %d commitments (%d overdue).\n",
			got.ID, got.Title, got.Parties, len(got.Commitments), got.Overdue)
		return nil
	})
}

// runAgreementList lists agreements.
func runAgreementList(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "agreement list", "agreement list [--json] [flags]", `
Lists every agreement this node holds, its own and those received from the
other parties, newest signature first, with the number of commitments and
how many are overdue.

Example:
  crossguard agreement list`)
	c.register(fs, env)
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		as, err := o.Node.Cooperation.Agreements(ctx, cliActor(env))
		if err != nil {
			return err
		}
		return printList(env, as, *asJSON, "No agreements. Add one with: crossguard agreement add FILE.json",
			"ID\tTITLE\tORIGIN\tSIGNED\tPARTIES\tCOMMITMENTS\tOVERDUE",
			func(a *node.AgreementView) string {
				return fmt.Sprintf("%s\t%s\t%s\t%s\t%d\t%d\t%d", a.ID, clipText(a.Title, 40), a.Origin, a.SignedOn, len(a.Parties), len(a.Commitments), a.Overdue)
			})
	})
}

// runAgreementShow prints one agreement as JSON.
func runAgreementShow(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "agreement show", "agreement show ID [flags]", `
Prints an agreement as JSON, as GET /api/v1/agreements/{id} answers it: the
agreement with each commitment's merged status, overdue ones first.

Example:
  crossguard agreement show 0193a8d2-...`)
	c.register(fs, env)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		a, err := o.Node.Cooperation.Agreement(ctx, cliActor(env), pos[0])
		if err != nil {
			return err
		}
		return writeJSON(env.Stdout, a)
	})
}

// runAgreementStatus prints the commitments of an agreement as a table.
func runAgreementStatus(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "agreement status", "agreement status ID [flags]", `
Prints the commitments of an agreement with their status, overdue ones
first: the status the owner last reported (planned without a report), or
overdue when a commitment is neither done nor cancelled after its due date.

Example:
  crossguard agreement status 0193a8d2-...`)
	c.register(fs, env)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		a, err := o.Node.Cooperation.Agreement(ctx, cliActor(env), pos[0])
		if err != nil {
			return err
		}
		return printCommitments(env.Stdout, a)
	})
}

// printCommitments prints an agreement's commitments as a table.
func printCommitments(w io.Writer, a *node.AgreementView) error {
	fmt.Fprintf(w, "%s (%s), signed %s; %d of %d commitments overdue on %s.\n\n",
		a.Title, a.ID, a.SignedOn, a.Overdue, len(a.Commitments), a.Today)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tCOMMITMENT\tTYPE\tOWNER\tDUE\tLAST REPORT\tTITLE")
	for _, c := range a.Commitments {
		report := "-"
		if c.ReportedAt != nil {
			report = fmt.Sprintf("%s %s", c.Reported, c.ReportedAt.Format("2006-01-02"))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Status, c.ID, c.Type, c.Owner, c.Due, report, clipText(c.Title, 50))
	}
	return tw.Flush()
}

// runAgreementProgress reports progress on a commitment.
func runAgreementProgress(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "agreement progress", "agreement progress ID COMMITMENT --status STATUS [--note TEXT] [flags]", `
Reports progress on a commitment of an agreement that this node's agency
owns: planned, in_progress, done or cancelled, with an optional note. The
report is a record of this node that goes to the agreement's parties; each
node merges the owner's latest report into the commitment's status.

Example:
  crossguard agreement progress 0193a8d2-... ex-1 --status done --note "held 10-12 November"`)
	c.register(fs, env)
	status := fs.String("status", "", "planned, in_progress, done or cancelled")
	note := fs.String("note", "", "a note for the parties (no personal names)")
	pos, err := parse(fs, args, 2, 2)
	if err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		p, err := o.Node.Cooperation.ReportProgress(ctx, cliActor(env), pos[0], &crossguard.Progress{Commitment: pos[1], Status: *status, Note: *note})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Progress %s reported: commitment %s is %s.\n", p.ID, p.Commitment, p.Status)
		return nil
	})
}
