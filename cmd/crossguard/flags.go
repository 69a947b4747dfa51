package main

import (
	"errors"
	"flag"
	"fmt"

	"strings"
)

// defaultData is the data directory used when neither --data nor
// CROSSGUARD_DATA says otherwise.
const defaultData = "./crossguard-data"

// commonFlags are the flags every command that opens a node takes.
type commonFlags struct {
	Data      string
	DB        string
	LogFormat string
	LogLevel  string
}

// register adds the common flags to fs, with defaults from the environment.
func (c *commonFlags) register(fs *flag.FlagSet, env *Env) {
	data := env.Getenv("CROSSGUARD_DATA")
	if data == "" {
		data = defaultData
	}
	fs.StringVar(&c.Data, "data", data, "data directory of the node (env CROSSGUARD_DATA)")
	fs.StringVar(&c.DB, "db", env.Getenv("CROSSGUARD_DB"), "PostgreSQL URL postgres://... (env CROSSGUARD_DB); empty: the SQLite file in the data directory, or the URL given at init")
	fs.StringVar(&c.LogFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&c.LogLevel, "log-level", "info", "log level: debug, info, warn or error")
}

// newFlagSet returns a flag set whose --help prints usage, a description
// and examples, then the flags.
func newFlagSet(env *Env, name, usage, description string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: crossguard %s\n\n%s\n\nFlags:\n", usage, strings.TrimSpace(description))
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args with flags and positional arguments in any order
// (`seizure add FILE.json --data DIR` works as well as the reverse) and
// checks the number of positional arguments. `--` ends the flags.
func parse(fs *flag.FlagSet, args []string, minArgs, maxArgs int) ([]string, error) {
	var positional []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, errUsage
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		// fs.Parse stops at the first positional argument or after "--".
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	if len(positional) < minArgs || (maxArgs >= 0 && len(positional) > maxArgs) {
		fmt.Fprintf(fs.Output(), "crossguard %s: wrong number of arguments\n\n", fs.Name())
		fs.Usage()
		return nil, errUsage
	}
	return positional, nil
}

// errHelp reports that --help was asked for and printed; commands return
// nil for it.
var errHelp = errors.New("help printed")

// helpOK turns errHelp into success.
func helpOK(err error) error {
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

// stringList is a flag that may be given several times or as a
// comma-separated list.
type stringList []string

// String implements flag.Value.
func (l *stringList) String() string { return strings.Join(*l, ",") }

// Set implements flag.Value.
func (l *stringList) Set(s string) error {
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}
