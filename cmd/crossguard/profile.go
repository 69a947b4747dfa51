package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"crossguard"
	"crossguard/node"
)

// runProfile dispatches the profile subcommands.
func runProfile(ctx context.Context, env *Env, args []string) error {
	return runGroup(ctx, env, "profile", []subcommand{
		{"add", "FILE.json", "add a risk profile of this node (active at once)", runProfileAdd},
		{"list", "", "list profiles, own and received, with state and hit rates", runProfileList},
		{"show", "ID", "print a profile with its state and statistics", runProfileShow},
		{"adopt", "ID", "make a profile (a partner's, say) select declarations here", runProfileState(crossguard.ProfileActive)},
		{"disable", "ID", "stop a profile selecting declarations here", runProfileState(crossguard.ProfileDisabled)},
	}, args)
}

// runProfileAdd adds a profile from a JSON file.
func runProfileAdd(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "profile add", "profile add FILE.json [flags]", `
Adds a risk profile of this node from FILE.json ('-' reads stdin): a name,
a channel (red, yellow or blue), a score between 0 and 1, conditions on
declaration fields, validity dates and the sharing header. Declarations
meeting every condition while the profile is in force go to its channel,
with the profile named among the decision's reasons. The profile is active
at once and shared with peers as its distribution and marking say.

Conditions: {"field": F, "op": OP, "value": V} with OP one of eq, in,
prefix (text fields such as hs6_code), lt, le, gt, ge, between (numbers,
including value_per_kg, tax_amount, net_mass). 'between' takes [low, high].

Example FILE.json:
  {"name": "Opium alkaloids declared cheap", "channel": "red", "score": 0.9,
   "conditions": [{"field": "hs6_code", "op": "prefix", "value": "2939"},
                  {"field": "value_per_kg", "op": "lt", "value": 50}],
   "valid_from": "2026-11-01", "valid_to": "2027-05-01",
   "distribution": "partners", "marking": {"tlp": "amber", "handling": "H1"}}

Example:
  crossguard profile add opium.json`)
	c.register(fs, env)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	var p crossguard.Profile
	if err := readRecordFile(env, pos[0], "a profile", &p); err != nil {
		return err
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		got, err := o.Node.Targeting.CreateProfile(ctx, cliActor(env), &p)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Profile %s added: %q, channel %s, score %.2f, %s.\n", got.ID, got.Name, got.Channel, got.Score, got.State)
		return nil
	})
}

// readRecordFile reads a JSON file ('-' for stdin) into v, refusing
// unknown fields; what names the record in the error ("a profile").
func readRecordFile(env *Env, path, what string, v any) error {
	raw, err := readInput(env, path)
	if err != nil {
		return err
	}
	if err := decodeStrict(raw, v); err != nil {
		return fmt.Errorf("%s is not %s: %w", path, what, err)
	}
	return nil
}

// readInput reads a record from a file, or stdin for "-", refusing one
// larger than a profile may be.
func readInput(env *Env, path string) ([]byte, error) {
	var b []byte
	var err error
	if path == "-" {
		if b, err = io.ReadAll(io.LimitReader(env.Stdin, crossguard.MaxProfileBytes+1)); err != nil {
			return nil, fmt.Errorf("read stdin: %w", err)
		}
	} else if b, err = os.ReadFile(path); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(b) > crossguard.MaxProfileBytes {
		return nil, fmt.Errorf("%s holds more than %d bytes, more than a profile may", path, crossguard.MaxProfileBytes)
	}
	return b, nil
}

// runProfileList lists profiles.
func runProfileList(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "profile list", "profile list [--json] [flags]", `
Lists every profile this node holds, its own and those received from peers,
with its state (active; inactive: received, not adopted; disabled), its
channel and score, and its hit statistics: declarations it selected, how
many were inspected, and how many inspections found something.

Example:
  crossguard profile list`)
	c.register(fs, env)
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		ps, err := o.Node.Targeting.Profiles(ctx, cliActor(env))
		if err != nil {
			return err
		}
		return printList(env, ps, *asJSON, "No profiles. Add one with: crossguard profile add FILE.json",
			"ID\tNAME\tORIGIN\tSTATE\tCHANNEL\tSCORE\tVALID\tSELECTED\tINSPECTED\tHITS\tHIT RATE",
			func(p *node.ProfileView) string {
				return fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t%.2f\t%s\t%d\t%d\t%d\t%s", p.ID, clipText(p.Name, 40), p.Origin, p.State, p.Channel, p.Score,
					validity(p.Profile), p.Stats.Selected, p.Stats.Inspected, p.Stats.Hits, rate(p.Stats))
			})
	})
}

func validity(p *crossguard.Profile) string {
	to := p.ValidTo
	if to == "" {
		to = "…"
	}
	return p.ValidFrom + ".." + to
}

func rate(s *crossguard.RateStats) string {
	if s.Inspected == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", s.HitRate*100)
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// runProfileShow prints one profile as JSON.
func runProfileShow(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "profile show", "profile show ID [flags]", `
Prints a profile as JSON with its local state and hit statistics.

Example:
  crossguard profile show 0193a8d2-...`)
	c.register(fs, env)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		p, err := o.Node.Targeting.Profile(ctx, cliActor(env), pos[0])
		if err != nil {
			return err
		}
		return writeJSON(env.Stdout, p)
	})
}

// runProfileState returns the command setting a profile's local state.
func runProfileState(state string) func(ctx context.Context, env *Env, args []string) error {
	verb := map[string]string{crossguard.ProfileActive: "adopt", crossguard.ProfileDisabled: "disable"}[state]
	return func(ctx context.Context, env *Env, args []string) error {
		var c commonFlags
		fs := newFlagSet(env, "profile "+verb, "profile "+verb+" ID [flags]", `
'adopt' makes a profile select declarations on this node: a profile received
from a partner is inactive until an analyst adopts it. 'disable' stops a
profile, own or received, selecting declarations here; adopt enables it
again. Neither changes the profile itself or what its origin shares.

Example:
  crossguard profile `+verb+` 0193a8d2-...`)
		c.register(fs, env)
		pos, err := parse(fs, args, 1, 1)
		if err != nil {
			return helpOK(err)
		}
		return withNode(ctx, env, &c, func(o *opened) error {
			p, err := o.Node.Targeting.SetProfileState(ctx, cliActor(env), pos[0], state)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "Profile %s (%q, from %s) is now %s.\n", p.ID, p.Name, p.Origin, p.State)
			return nil
		})
	}
}
