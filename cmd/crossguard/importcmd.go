package main

import (
	"context"
	"fmt"

	"crossguard/importer"
)

// runImport dispatches `import KIND FILE`.
func runImport(ctx context.Context, env *Env, args []string) error {
	return runGroup(ctx, env, "import", []subcommand{
		{"seizures", "FILE.csv", "import seizures from a CSV file (layout in importer/CSV.md)", runImportSeizures},
		{"declarations", "FILE.csv", "import cargo declarations, labelled or not, from a CSV file (layout in importer/DECLARATIONS.md)", runImportDeclarations},
	}, args)
}

// runImportSeizures imports a CSV file of seizures.
func runImportSeizures(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "import seizures", "import seizures FILE.csv [flags]", `
Imports seizures from a CSV file with a header row (column layout in
importer/CSV.md). Good rows go in, in transactions of --batch seizures; each
bad row is reported as 'line N: column: message' and written, as it was, to
the rejects file with an 'error' column. If the import is interrupted (even
killed), running the same command again resumes after the last committed
batch: nothing is lost or imported twice. A file already imported completely
is not imported again unless --again is given.

Example:
  crossguard import seizures seizures-2026.csv --rejects seizures-2026.bad.csv`)
	c.register(fs, env)
	var opts importer.Options
	fs.IntVar(&opts.BatchSize, "batch", 1000, "seizures per transaction")
	fs.StringVar(&opts.RejectsPath, "rejects", "", "file for rejected rows (default: FILE.rejects.csv beside the input)")
	fs.IntVar(&opts.MaxErrorLines, "max-errors", 100, "rejected rows to report on stderr before summarising")
	fs.BoolVar(&opts.Again, "again", false, "import a file that was already imported completely once more")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		opts.Errors = env.Stderr
		opts.Progress = importer.ProgressBar(env.Stderr, 0)
		res, err := importer.ImportSeizures(ctx, importer.Target{Store: o.Node.Store, Clock: o.Node.Core.Clock, Prepare: o.Node.Sharing.PrepareSeizure}, cliActor(env), pos[0], opts)
		if res != nil {
			printImportResult(env, pos[0], res)
		}
		return err
	})
}

// printImportResult says what an import did, also when it was interrupted.
func printImportResult(env *Env, path string, res *importer.Result) {
	if res.AlreadyDone {
		fmt.Fprintf(env.Stdout, "%s was already imported completely on %s (%d seizures); use --again to import it once more.\n",
			path, res.FinishedAt.Format("2006-01-02 15:04 MST"), res.Imported)
		return
	}
	if res.Resumed {
		fmt.Fprintf(env.Stdout, "Resumed an interrupted import of %s.\n", path)
	}
	if res.RejectsRebuilt {
		fmt.Fprintf(env.Stdout, "The rejects file was missing or changed and was written again.\n")
	}
	fmt.Fprintf(env.Stdout, "Imported %d seizures from %d lines; rejected %d rows", res.Imported, res.Lines, res.Rejected)
	if res.Rejected > 0 {
		fmt.Fprintf(env.Stdout, " (written to %s)", res.RejectsPath)
	}
	fmt.Fprintln(env.Stdout, ".")
}
