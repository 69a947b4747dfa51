// Command crossguard runs one agency's crossguard node and manages its
// records from the command line. Run `crossguard --help` for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand: its name, a one-line summary for the command
// list, and the function that runs it with the arguments after its name.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

// commands lists the subcommands in the order `crossguard --help` shows them.
var commands = []command{
	{"init", "create a node: data directory, database and Ed25519 identity", runInit},
	{"migrate", "apply pending database migrations", runMigrate},
	{"serve", "run the node: JSON API and web pages, federation, risk decisions, signed audit heads, retention", runServe},
	{"demo", "start three sample nodes of two agencies that share records; print their URLs, tokens and password", runDemo},
	{"seizure", "add, list, show or delete seizure records", runSeizure},
	{"import", "import seizures or declarations from a CSV file (import seizures|declarations FILE.csv)", runImport},
	{"user", "add, list and revoke users and their API tokens", runUser},
	{"audit", "verify or list the hash-chained audit log; print its signed heads", runAudit},
	{"node", "print this node's card for its peers", runNode},
	{"peer", "add, list, acknowledge refusals of and remove peers and their sharing policy", runPeer},
	{"rescan", "recheck received records held; report (or --quarantine) those now refused", runRescan},
	{"retention", "what agreements' retention and --declaration-retention remove when (status), or remove it now (apply)", runRetention},
	{"profile", "add, list, show, adopt or disable risk profiles", runProfile},
	{"watch", "add, list or remove watch-list entries", runWatch},
	{"operation", "joint operations: add, list, show, report; warn, withdraw, feedback, message", runOperation},
	{"model", "list, train, import or activate the node's model versions", runModel},
	{"agreement", "add, list, show cooperation agreements; report progress, print status", runAgreement},
	{"activity", "add or list exercises, trainings and visits (list --ics: iCalendar)", runActivity},
	{"risk", "hit rates of profiles, channels and the model (risk stats)", runRisk},
	{"train", "train a risk model on labelled declaration CSV files", runTrain},
	{"eval", "evaluate a model on a labelled declaration CSV file", runEval},
	{"score", "score a declaration CSV file: channel, score and reasons", runScore},
}

// Env is what a command needs from its process: the streams, the
// environment and the clock of the outside world.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// errUsage marks an error already explained by a usage message.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	err := Run(ctx, env, os.Args[1:])
	stop()
	switch {
	case err == nil:
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "crossguard:", err)
		os.Exit(1)
	}
}

// Run runs the subcommand named by args[0].
func Run(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(env.Stdout)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, env, args[1:])
		}
	}
	fmt.Fprintf(env.Stderr, "crossguard: unknown command %q\n\n", args[0])
	printUsage(env.Stderr)
	return errUsage
}

// printUsage prints the command list.
func printUsage(w io.Writer) {
	fmt.Fprint(w, `crossguard runs one border agency's node: seizure records recorded here and
shared with partner agencies, risk targeting of cargo declarations at the
crossing points, with a JSON API, users and an audit log.

Usage:
  crossguard COMMAND [flags] [arguments]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Every command that opens a node (all but train, eval and score, which work
on files) takes --data DIR (default ./crossguard-data, or $CROSSGUARD_DATA)
and --db URL (a postgres:// URL, or $CROSSGUARD_DB; default: the SQLite file
in the data directory). Run 'crossguard COMMAND --help' for a command's flags.

Examples:
  crossguard init --agency pk-customs --node sost --country PK --name "Pakistan Customs, Sost"
  crossguard user add amina --role officer
  crossguard serve --listen 127.0.0.1:8080
  crossguard import seizures seizures.csv
  crossguard seizure list --category narcotics --from 2026-01-01
`)
}
