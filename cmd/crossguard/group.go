package main

import (
	"context"
	"fmt"
	"time"

	"crossguard"
)

// subcommand is one command of a group such as `seizure add`.
type subcommand struct {
	name    string
	args    string // how its arguments read in the group's usage, e.g. "ID"
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

// runGroup runs the subcommand named by args[0], or prints the group's
// usage: to stdout for --help, else to stderr as a usage error.
func runGroup(ctx context.Context, env *Env, group string, subs []subcommand, args []string) error {
	if len(args) > 0 {
		for _, s := range subs {
			if s.name == args[0] {
				return s.run(ctx, env, args[1:])
			}
		}
	}
	help := len(args) > 0 && (args[0] == "-h" || args[0] == "--help")
	w := env.Stderr
	if help {
		w = env.Stdout
	} else if len(args) > 0 {
		fmt.Fprintf(w, "crossguard %s: unknown command %q\n\n", group, args[0])
	}
	fmt.Fprintf(w, "Usage: crossguard %s COMMAND [flags]\n\nCommands:\n", group)
	for _, s := range subs {
		fmt.Fprintf(w, "  %-22s %s\n", s.name+" "+s.args, s.summary)
	}
	fmt.Fprintf(w, "\nRun 'crossguard %s COMMAND --help' for a command's flags and examples.\n", group)
	if help {
		return nil
	}
	return errUsage
}

// withNode opens the node for one command, runs fn and closes it.
func withNode(ctx context.Context, env *Env, c *commonFlags, fn func(o *opened) error) error {
	o, err := c.openNode(ctx, env)
	if err != nil {
		return err
	}
	defer o.Close()
	return fn(o)
}

// timeRange is a pair of --from and --to flags.
type timeRange struct{ from, to string }

// register adds --from and --to to fs; what says what the dates bound.
func (r *timeRange) register(fs interface {
	StringVar(p *string, name, value, usage string)
}, what string) {
	fs.StringVar(&r.from, "from", "", what+" at or after this date (YYYY-MM-DD or RFC 3339)")
	fs.StringVar(&r.to, "to", "", what+" before this date (a date: up to the end of that day)")
}

// parse returns the bounds, naming the flag at fault.
func (r *timeRange) parse() (from, to time.Time, err error) {
	if from, err = crossguard.ParseTimeBound(r.from, false); err != nil {
		return from, to, fmt.Errorf("--from: %w", err)
	}
	if to, err = crossguard.ParseTimeBound(r.to, true); err != nil {
		return from, to, fmt.Errorf("--to: %w", err)
	}
	return from, to, nil
}
