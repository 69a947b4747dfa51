package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"crossguard"
)

// runModel dispatches the subcommands on a node's model versions.
func runModel(ctx context.Context, env *Env, args []string) error {
	return runGroup(ctx, env, "model", []subcommand{
		{"list", "", "list model versions with their evaluation", runModelList},
		{"train", "", "train a new version on the node's inspected declarations", runModelTrain},
		{"import", "FILE", "store a model file made by 'crossguard train' as a new version", runModelImport},
		{"activate", "VERSION", "make a version the one decisions use", runModelActivate},
	}, args)
}

// printModels prints model versions as a table.
func printModels(env *Env, ms []*crossguard.ModelInfo) error {
	if len(ms) == 0 {
		fmt.Fprintln(env.Stdout, "No models. Train one with: crossguard model train")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tACTIVE\tCREATED\tROWS\tEVAL ROWS\tP@1%\tP@2%\tP@5%\tP@10%\tR@10%")
	for _, m := range ms {
		active := ""
		if m.Active {
			active = "yes"
		}
		// An imported model has no evaluation: dashes, not zeros that
		// would read as a useless model.
		eval := "-\t-\t-\t-\t-\t-"
		if ev := m.Eval; ev != nil {
			eval = fmt.Sprintf("%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f", ev.Rows, ev.PrecisionAt["1"], ev.PrecisionAt["2"], ev.PrecisionAt["5"], ev.PrecisionAt["10"], ev.RecallAt["10"])
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\n", m.Version, active, m.CreatedAt.Local().Format(time.DateTime), m.TrainedRows, eval)
	}
	return tw.Flush()
}

// runModelList lists model versions.
func runModelList(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "model list", "model list [--json] [flags]", `
Lists the model versions of this node, newest first: when each was trained,
on how many inspected declarations, its precision at inspection rates of 1,
2, 5 and 10% on the held-out latest declarations, and which one is active.

Example:
  crossguard model list`)
	c.register(fs, env)
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		ms, err := o.Node.Targeting.Models(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, ms)
		}
		return printModels(env, ms)
	})
}

// runModelTrain trains a version on the node's inspected declarations.
func runModelTrain(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "model train", "model train [--seed N] [flags]", `
Trains a new model version on this node's inspected declarations (imported
with their Fraud columns, or inspected since): the earliest 80% by date
train it and the latest 20% evaluate it. The version is stored inactive;
look at its evaluation, then 'crossguard model activate VERSION'.

Example:
  crossguard model train --seed 1`)
	c.register(fs, env)
	seed := fs.Int64("seed", 1, "random seed; the same seed and data give the same model")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		m, err := o.Node.Targeting.TrainModel(ctx, cliActor(env), *seed)
		if err != nil {
			return err
		}
		if err := printModels(env, []*crossguard.ModelInfo{m}); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Model %d stored, not active: %s.\nActivate it with: crossguard model activate %d\n", m.Version, m.Notes, m.Version)
		return nil
	})
}

// runModelImport stores a model file as a new version.
func runModelImport(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "model import", "model import FILE [flags]", `
Stores a model file made by 'crossguard train' as a new, inactive version.
A file that is corrupt or from an incompatible crossguard is refused.

Example:
  crossguard model import risk.model`)
	c.register(fs, env)
	notes := fs.String("notes", "", "a note on where the model comes from")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	file, err := os.ReadFile(pos[0])
	if err != nil {
		return fmt.Errorf("read model file: %w", err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		m, err := o.Node.Targeting.ImportModel(ctx, cliActor(env), file, *notes)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Model %d stored from %s, not active.\nActivate it with: crossguard model activate %d\n", m.Version, pos[0], m.Version)
		return nil
	})
}

// runModelActivate activates a version.
func runModelActivate(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "model activate", "model activate VERSION [flags]", `
Makes a model version the one decisions use, from the next decision on (a
running server picks it up within seconds). A version whose file no longer
loads is refused and the active model stays.

Example:
  crossguard model activate 2`)
	c.register(fs, env)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	v, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || v <= 0 {
		return fmt.Errorf("%q is not a model version (1, 2, ...)", pos[0])
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		m, err := o.Node.Targeting.ActivateModel(ctx, cliActor(env), v)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Model %d is active.\n", m.Version)
		return nil
	})
}
