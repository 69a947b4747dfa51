package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"crossguard"
)

// runRisk dispatches the risk subcommands.
func runRisk(ctx context.Context, env *Env, args []string) error {
	return runGroup(ctx, env, "risk", []subcommand{
		{"stats", "", "hit rates per profile, per channel and of the model", runRiskStats},
	}, args)
}

// runRiskStats prints hit rates over a period.
func runRiskStats(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	var tr timeRange
	fs := newFlagSet(env, "risk stats", "risk stats [--from DATE] [--to DATE] [--json] [flags]", `
Prints, for the declarations decided in a period (default: the last 30
days), how many each profile, each channel, random selection and the model
selected, how many of those were inspected, and how many inspections found
something (hit rate = hits / inspected), with the revenue recovered.

Example:
  crossguard risk stats --from 2026-11-01`)
	c.register(fs, env)
	tr.register(fs, "decisions")
	asJSON := fs.Bool("json", false, "print JSON instead of tables")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	from, to, err := tr.parse()
	if err != nil {
		return err
	}
	if to.IsZero() {
		to = time.Now().UTC()
	}
	if from.IsZero() {
		from = to.AddDate(0, 0, -30)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		st, err := o.Node.Targeting.RiskStats(ctx, from, to)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, st)
		}
		fmt.Fprintf(env.Stdout, "Decisions from %s to %s: %d\n\n", st.From.Format(time.DateTime), st.To.Format(time.DateTime), st.Total)
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "GROUP\tNAME\tSELECTED\tINSPECTED\tHITS\tHIT RATE\tREVENUE")
		row := func(group string, s *crossguard.RateStats) {
			name := s.Name
			if name == "" {
				name = s.Key
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\t%.2f\n", group, clipText(name, 40), s.Selected, s.Inspected, s.Hits, rate(s), s.Revenue)
		}
		for _, s := range st.Channels {
			row("channel", s)
		}
		if st.Random != nil {
			row("random", st.Random)
		}
		if st.Model != nil {
			row("model", st.Model)
		}
		for _, s := range st.Profiles {
			row("profile", s)
		}
		return tw.Flush()
	})
}
