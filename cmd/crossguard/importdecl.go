package main

import (
	"context"
	"fmt"

	"crossguard/importer"
)

// runImportDeclarations imports a CSV file of cargo declarations.
func runImportDeclarations(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "import declarations", "import declarations FILE.csv [flags]", `
Imports cargo declarations from a CSV file in the column layout of the
customs declaration files: a header row naming the columns Declaration ID,
Date, Office ID, Process Type, Import Type, Import Use, Payment Type, Mode of
Transport, Declarant ID, Importer ID, Seller ID, Courier ID, HS6 Code,
Country of Departure, Country of Origin, Tax Rate, Tax Type, Country of
Origin Indicator, Net Mass and Item Price exactly so, in any order, and
optionally Fraud and Critical Fraud (the layout in detail:
importer/DECLARATIONS.md). A row with Fraud and Critical Fraud is stored
as an inspected declaration, with the inspection result they give: Fraud 0
no finding, Critical Fraud 1 an irregularity, 2 a seizure.

Good rows go in, in transactions of --batch declarations; each bad row, and
each row whose Declaration ID is stored already or on an earlier line, is
reported as 'line N: column: message' and written, as it was, to the rejects
file with an 'error' column (which an import ignores, so the corrected
rejects file can be imported as it is). If the import is interrupted (even
killed), running the same command again resumes after the last committed
batch: nothing is lost or imported twice. A file already imported completely
is not imported again.

Example:
  crossguard import declarations declarations-2026-11.csv --rejects declarations-2026-11.bad.csv`)
	c.register(fs, env)
	var opts importer.DeclarationOptions
	fs.IntVar(&opts.BatchSize, "batch", 1000, "declarations per transaction")
	fs.StringVar(&opts.RejectsPath, "rejects", "", "file for rejected rows (default: FILE.rejects.csv beside the input)")
	fs.IntVar(&opts.MaxErrorLines, "max-errors", 100, "rejected rows to report on stderr before summarising")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		opts.Errors = env.Stderr
		opts.Progress = importer.ProgressBar(env.Stderr, 0)
		// Declarations without a label are incoming: they are decided as
		// the API decides them, with the node's profiles, watch list and
		// active model, and stored with their decisions.
		opts.Decide = o.Node.Targeting.DecideUnstored
		res, err := importer.ImportDeclarations(ctx, importer.Target{Store: o.Node.Store, Clock: o.Node.Core.Clock}, cliActor(env), pos[0], opts)
		if res != nil {
			printDeclarationImport(env, pos[0], res)
		}
		return err
	})
}

// printDeclarationImport says what an import of declarations did, also
// when it was interrupted.
func printDeclarationImport(env *Env, path string, res *importer.DeclarationResult) {
	if res.AlreadyDone {
		fmt.Fprintf(env.Stdout, "%s was already imported completely on %s (%d declarations, %d rows rejected).\n",
			path, res.FinishedAt.Format("2006-01-02 15:04 MST"), res.Imported, res.Rejected)
		return
	}
	if res.Resumed {
		fmt.Fprintf(env.Stdout, "Resumed an interrupted import of %s.\n", path)
	}
	if res.RejectsRebuilt {
		fmt.Fprintf(env.Stdout, "The rejects file was missing or changed and was written again.\n")
	}
	fmt.Fprintf(env.Stdout, "Imported %d declarations from %d lines; rejected %d rows", res.Imported, res.Lines, res.Rejected)
	if res.Rejected > 0 {
		fmt.Fprintf(env.Stdout, " (written to %s)", res.RejectsPath)
	}
	fmt.Fprintln(env.Stdout, ".")
	if res.Labelled > 0 {
		fmt.Fprintf(env.Stdout, "Labelled %d of them with their inspection result: %d frauds, %d of them critical.\n",
			res.Labelled, res.Frauds, res.Critical)
	}
	switch unlabelled := res.Imported - res.Labelled; {
	case unlabelled > 0 && res.Decided == 0:
		fmt.Fprintf(env.Stdout, "%d without a label, stored as incoming declarations without a decision.\n", unlabelled)
	case unlabelled > 0:
		fmt.Fprintf(env.Stdout, "%d without a label, stored as incoming declarations; %d decided.\n", unlabelled, res.Decided)
	}
}
