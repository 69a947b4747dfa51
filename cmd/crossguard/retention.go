package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"crossguard/datadir"
	"crossguard/node"
)

// retentionPeriod is a flag of a retention period: NNy (years of 365
// days), NNd (days) or a Go duration such as 43800h.
type retentionPeriod time.Duration

// String returns the period in days.
func (p *retentionPeriod) String() string {
	return strconv.FormatInt(int64(time.Duration(*p)/(24*time.Hour)), 10) + "d"
}

// Set parses a period.
func (p *retentionPeriod) Set(s string) error {
	d, err := parseRetentionPeriod(s)
	if err != nil {
		return err
	}
	*p = retentionPeriod(d)
	return nil
}

// parseRetentionPeriod reads NNy (NN years of 365 days), NNd (NN days) or
// a Go duration (43800h); the period must be at least a day.
func parseRetentionPeriod(s string) (time.Duration, error) {
	const dayLen = 24 * time.Hour
	var d time.Duration
	switch n, err := strconv.Atoi(strings.TrimRight(s, "yd")); {
	case strings.HasSuffix(s, "y") && err == nil && n > 0 && n <= 100:
		d = time.Duration(n) * 365 * dayLen
	case strings.HasSuffix(s, "d") && err == nil && n > 0 && n <= 36500:
		d = time.Duration(n) * dayLen
	default:
		var perr error
		if d, perr = time.ParseDuration(s); perr != nil {
			return 0, fmt.Errorf("%q is not a period such as 5y (years of 365 days), 1825d (days) or 43800h", s)
		}
	}
	if d < dayLen {
		return 0, fmt.Errorf("%q is less than a day: declarations would go as soon as they are scored", s)
	}
	return d, nil
}

// registerDeclarationRetention adds --declaration-retention to fs.
func registerDeclarationRetention(fs *flag.FlagSet) *retentionPeriod {
	p := retentionPeriod(node.DefaultDeclarationRetention)
	fs.Var(&p, "declaration-retention", "how long declarations are kept, with their decisions and inspections: 5y (years of 365 days), 1825d (days) or a Go duration such as 43800h")
	return &p
}

// declarationRetention returns the declaration retention a command runs
// with: the --declaration-retention of fs when it was given, else the one
// serve last ran with (config.json), else the default. With remember (as
// serve does) a period given on the command line is written to
// config.json, so that retention status and apply run by hand never
// delete declarations that serve keeps.
func declarationRetention(fs *flag.FlagSet, p *retentionPeriod, dir *datadir.Dir, remember bool) (time.Duration, error) {
	given := ""
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "declaration-retention" {
			given = f.Value.String()
		}
	})
	switch {
	case given != "" && remember && given != dir.Config.DeclarationRetention:
		dir.Config.DeclarationRetention = given
		if err := dir.SaveConfig(); err != nil {
			return 0, fmt.Errorf("remember --declaration-retention: %w", err)
		}
	case given == "" && dir.Config.DeclarationRetention != "":
		d, err := parseRetentionPeriod(dir.Config.DeclarationRetention)
		if err != nil {
			return 0, fmt.Errorf("declaration_retention in %s: %w", datadir.ConfigFile, err)
		}
		return d, nil
	}
	return time.Duration(*p), nil
}

// runRetention dispatches the retention subcommands.
func runRetention(ctx context.Context, env *Env, args []string) error {
	return runGroup(ctx, env, "retention", []subcommand{
		{"status", "", "what retention will remove and when, per kind and origin", runRetentionStatus},
		{"apply", "", "remove now what is past its retention", runRetentionApply},
	}, args)
}

// retentionHelp is what both retention commands say of the rules.
const retentionHelp = `
An agreement's scope.retention_days sets how long the records exchanged
under it are kept, counted from each record's created_at:
  - a copy of a partner's record goes when the SHORTEST retention among the
    agreements in force that bring it ends (they cover its kind and name
    both this node's agency and the origin's); it is removed as a
    withdrawal removes it, so peers this node passed it on to withdraw it;
  - an own record shared with partners (distribution partners or network)
    goes, with a tombstone to every peer that holds it, when the LONGEST
    retention among the agreements that share it ends;
  - records no agreement with a retention covers, own records that never
    leave the agency, copies of the own agency's records (their origin
    deletes them) and agreements themselves are kept.
Declarations, with their decisions and inspections, are kept for
--declaration-retention after they were received: without the flag, the
period 'crossguard serve' was last given (it remembers it in the data
directory's config.json), or 5y. 'crossguard serve' applies retention
every hour.
See docs/retention.md.`

// runRetentionStatus prints what retention will remove and when.
func runRetentionStatus(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "retention status", "retention status [--json] [flags]", `
Shows, per kind, origin and distribution of the records held, how many
there are, the agreement and rule that set their retention and the date
the first of them goes (a date in the past: the next run removes it); and
the same of declarations.
`+retentionHelp+`

Examples:
  crossguard retention status
  crossguard retention status --declaration-retention 7y --json`)
	c.register(fs, env)
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	decl := registerDeclarationRetention(fs)
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		period, err := declarationRetention(fs, decl, o.Dir, false)
		if err != nil {
			return err
		}
		st, err := o.Node.Admin.RetentionStatus(ctx, period)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, st)
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "KIND\tORIGIN\tDISTRIBUTION\tRECORDS\tFIRST GOES\tDAYS\tAGREEMENT\tRULE")
		for _, g := range st.Groups {
			goes, days, agreement := "never", "-", "-"
			if g.FirstGoes != nil {
				goes, days = g.FirstGoes.Format(time.DateOnly), strconv.Itoa(g.Retention.Days)
				agreement = g.Retention.Agreement + " (" + g.Retention.Title + ")"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", g.Kind, g.Origin, g.Distribution, g.Count, goes, days, agreement, g.Retention.Rule)
		}
		d := st.Declarations
		goes := "never"
		if d.FirstGoes != nil {
			goes = d.FirstGoes.Format(time.DateOnly)
		}
		fmt.Fprintf(tw, "declaration\t%s\tlocal\t%d\t%s\t%d\t-\tnode-wide --declaration-retention (%d past it now)\n",
			o.Dir.Info.ID, d.Total, goes, d.Days, d.Due)
		return tw.Flush()
	})
}

// runRetentionApply removes what is past its retention now.
func runRetentionApply(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "retention apply", "retention apply [flags]", `
Removes now, in batches of 1000 a transaction, what is past its retention,
printing a line a batch; each removed record has its audit entry
(retention.delete, retention.purge), each batch of declarations one
(retention.declarations). Killed part way, it loses nothing that should
stay: run it again to finish. 'crossguard serve' runs the same every hour.
`+retentionHelp+`

Examples:
  crossguard retention apply
  crossguard retention apply --declaration-retention 1825d`)
	c.register(fs, env)
	decl := registerDeclarationRetention(fs)
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		period, err := declarationRetention(fs, decl, o.Dir, false)
		if err != nil {
			return err
		}
		rep, err := o.Node.Admin.ApplyRetention(ctx, node.RetentionActor, period, func(line string) {
			fmt.Fprintln(env.Stdout, line)
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Retention applied: %d own records deleted with tombstones, %d copies of partners' records removed, %d declarations removed with %d decisions and %d inspections.\n",
			rep.Tombstoned, rep.Purged, rep.Declarations.Declarations, rep.Declarations.Decisions, rep.Declarations.Inspections)
		return nil
	})
}
