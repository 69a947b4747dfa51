package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"crossguard"
	"crossguard/httpapi"
)

// runActivity dispatches the activity subcommands.
func runActivity(ctx context.Context, env *Env, args []string) error {
	return runGroup(ctx, env, "activity", []subcommand{
		{"add", "FILE.json", "add an exercise, training or visit of the programme", runActivityAdd},
		{"list", "", "list activities by start date (or print them as iCalendar)", runActivityList},
	}, args)
}

// runActivityAdd adds an activity from a JSON file.
func runActivityAdd(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "activity add", "activity add FILE.json [flags]", `
Adds an activity of the cooperation programme written by this node from
FILE.json ('-' reads stdin): a type (exercise, training or visit), the
agreement and commitment it fulfils (optional; they must be held here), a
title, starts_on and ends_on dates, the place, the participating agencies
and units, headcounts per agency, a status (planned, done or cancelled) and
the outcome. A training adds {"course", "hours", "certified"}; a visit adds
{"delegation_size", "lead_title", "itinerary"}. No personal names: rosters
stay in each agency's personnel systems. The activity goes to the
agreement's parties, or to its agencies when it belongs to no agreement
(then give a marking).

Example FILE.json:
  {"type": "training", "agreement": "0193a8d2-...", "commitment": "tr-1",
   "title": "Concealment detection course", "starts_on": "2027-02-01",
   "ends_on": "2027-02-12", "place": "Customs academy, Kabul",
   "agencies": ["af-customs", "pk-customs"], "headcounts": {"pk-customs": 12},
   "status": "planned",
   "training": {"course": "Concealment detection", "hours": 60, "certified": 0}}

Example:
  crossguard activity add training.json`)
	c.register(fs, env)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	var a crossguard.Activity
	if err := readRecordFile(env, pos[0], "an activity", &a); err != nil {
		return err
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		got, err := o.Node.Cooperation.CreateActivity(ctx, cliActor(env), &a)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Activity %s added: %s %q, %s..%s at %s, %s.\n",
			got.ID, got.Type, got.Title, got.StartsOn, got.EndsOn, got.Place, got.Status)
		return nil
	})
}

// runActivityList lists activities.
func runActivityList(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "activity list", "activity list [--agreement ID] [--json|--ics] [flags]", `
Lists the activities this node holds, its own and those received from the
other parties, by start date; --agreement keeps one agreement's. --ics
prints them as the iCalendar feed GET /api/v1/activities.ics serves.

Examples:
  crossguard activity list
  crossguard activity list --agreement 0193a8d2-... --ics > programme.ics`)
	c.register(fs, env)
	agreement := fs.String("agreement", "", "only the activities of this agreement")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	asICS := fs.Bool("ics", false, "print an iCalendar (RFC 5545) calendar instead of a table")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		as, err := o.Node.Cooperation.Activities(ctx, cliActor(env), *agreement)
		if err != nil {
			return err
		}
		switch {
		case *asJSON:
			return writeJSON(env.Stdout, as)
		case *asICS:
			_, err := env.Stdout.Write(httpapi.Calendar("crossguard programme, "+o.Node.Core.Info.ID, as))
			return err
		case len(as) == 0:
			fmt.Fprintln(env.Stdout, "No activities. Add one with: crossguard activity add FILE.json")
			return nil
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tTYPE\tSTARTS\tENDS\tSTATUS\tCOMMITMENT\tPLACE\tTITLE")
		for _, a := range as {
			commitment := a.Commitment
			if commitment == "" {
				commitment = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.Type, a.StartsOn, a.EndsOn, a.Status, commitment, clipText(a.Place, 30), clipText(a.Title, 40))
		}
		return tw.Flush()
	})
}
