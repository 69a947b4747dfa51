package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"crossguard"
)

// runSeizure dispatches the seizure subcommands.
func runSeizure(ctx context.Context, env *Env, args []string) error {
	return runGroup(ctx, env, "seizure", []subcommand{
		{"add", "FILE.json", "record seizures from a JSON file (one object or an array; - for stdin)", runSeizureAdd},
		{"list", "[filters]", "list seizures, newest first, as a table or with --json", runSeizureList},
		{"show", "ID", "print one seizure as JSON", runSeizureShow},
		{"delete", "ID", "delete a seizure (a tombstone stays for the partners)", runSeizureDelete},
	}, args)
}

// runSeizureAdd records the seizures of a JSON file.
func runSeizureAdd(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "seizure add", "seizure add FILE.json [flags]", `
Validates and records the seizure (a JSON object) or seizures (a JSON array)
in FILE.json, '-' for standard input, in the API's format (httpapi/API.md).
Invalid input is refused with every field at fault; nothing of an array is
recorded unless all of it is valid. Prints the stored records as JSON.

Example:
  crossguard seizure add seizure.json`)
	c.register(fs, env)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	items, err := readSeizures(env, pos[0])
	if err != nil {
		return err
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		for i, s := range items {
			if err := o.Node.Sharing.PrepareSeizure(s); err != nil {
				if len(items) > 1 {
					return fmt.Errorf("seizure %d of %d: %w", i+1, len(items), err)
				}
				return err
			}
		}
		if err := o.Node.Store.CreateSeizures(ctx, cliActor(env), items, nil); err != nil {
			return fmt.Errorf("record seizures: %w", err)
		}
		if len(items) == 1 {
			return writeJSON(env.Stdout, items[0])
		}
		return writeJSON(env.Stdout, items)
	})
}

// readSeizures decodes one seizure or an array of them from path ("-" for
// stdin), refusing unknown fields and trailing data.
func readSeizures(env *Env, path string) ([]*crossguard.Seizure, error) {
	var raw []byte
	var err error
	if path == "-" {
		raw, err = io.ReadAll(io.LimitReader(env.Stdin, 64<<20))
	} else {
		raw, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	trimmed := bytes.TrimLeft(raw, " \t\r\n")
	var items []*crossguard.Seizure
	if len(trimmed) > 0 && trimmed[0] == '[' {
		err = decodeStrict(trimmed, &items)
	} else {
		var s crossguard.Seizure
		err = decodeStrict(trimmed, &s)
		items = []*crossguard.Seizure{&s}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("%s: the array holds no seizures", path)
	}
	return items, nil
}

// decodeStrict decodes exactly one JSON value, refusing unknown fields.
func decodeStrict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return fmt.Errorf("field %s: expected %s, got JSON %s", te.Field, te.Type, te.Value)
		}
		return fmt.Errorf("invalid JSON: %w", err)
	}
	if dec.More() {
		return errors.New("invalid JSON: data after the first value")
	}
	return nil
}

// runSeizureList lists seizures with filters.
func runSeizureList(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "seizure list", "seizure list [filters] [flags]", `
Lists seizures, newest first, as a table; --json prints the API's page
{"items": [...], "next_cursor": "..."}. Dates are RFC 3339 or YYYY-MM-DD
(--to with a date includes that whole day).

Examples:
  crossguard seizure list --category narcotics --country PK --from 2026-01-01
  crossguard seizure list --hs 2939 --q "welded compartment" --json`)
	c.register(fs, env)
	var when timeRange
	when.register(fs, "occurred")
	var f crossguard.SeizureFilter
	fs.StringVar(&f.Category, "category", "", "category of any goods line, e.g. narcotics")
	fs.StringVar(&f.HS, "hs", "", "HS code prefix of any goods line, e.g. 2939")
	fs.StringVar(&f.Country, "country", "", "country of the seizure, ISO 3166-1 alpha-2")
	fs.StringVar(&f.Query, "q", "", "full-text search in goods descriptions and narrative")
	fs.IntVar(&f.Limit, "limit", crossguard.DefaultPageSize, "rows per page (at most 500)")
	fs.StringVar(&f.Cursor, "cursor", "", "continue after a previous page (printed at its end)")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	var err error
	if f.From, f.To, err = when.parse(); err != nil {
		return err
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		page, err := o.Node.Sharing.ListSeizures(ctx, cliActor(env), f)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, page)
		}
		printSeizureTable(env.Stdout, page)
		return nil
	})
}

// printSeizureTable prints a page of seizures for people.
func printSeizureTable(w io.Writer, page *crossguard.SeizurePage) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tOCCURRED\tCOUNTRY\tPLACE\tGOODS\tTLP\tHANDLING\tORIGIN")
	caveats := 0
	for _, s := range page.Items {
		handling := s.Marking.Handling
		if crossguard.HandlingCaveat(s.Marking) != "" {
			handling += "*"
			caveats++
		}
		var goods []string
		for _, g := range s.Goods {
			goods = append(goods, fmt.Sprintf("%s %s %g %s", g.Category, g.HS, g.Quantity, g.Unit))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, s.OccurredAt.Format("2006-01-02 15:04"),
			s.Country, truncate(s.Place.Name, 30), truncate(strings.Join(goods, "; "), 60), s.Marking.TLP, handling, s.Origin)
	}
	tw.Flush()
	if caveats > 0 {
		fmt.Fprintf(w, "* %s.\n", crossguard.HandlingCaveat(crossguard.Marking{Handling: crossguard.HandlingH1}))
	}
	if len(page.Items) == 0 {
		fmt.Fprintln(w, "No seizures match.")
	}
	if page.NextCursor != "" {
		fmt.Fprintf(w, "More: add --cursor %s\n", page.NextCursor)
	}
}

// truncate shortens s to at most n runes, marking the cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// runSeizureShow prints one seizure as JSON.
func runSeizureShow(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "seizure show", "seizure show ID [flags]", `
Prints one seizure as JSON. The meaning of its handling code, and the
caveat that an H1 record carries wherever it is copied, are printed on
standard error, so that standard output stays the record alone.

Example:
  crossguard seizure show 0193a4c2-7d1e-7c4e-9a2b-5f0e1d2c3b4a`)
	c.register(fs, env)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		s, err := o.Node.Sharing.Seizure(ctx, cliActor(env), pos[0])
		if err != nil {
			return err
		}
		printHandling(env.Stderr, s.Marking)
		return writeJSON(env.Stdout, s)
	})
}

// printHandling says what a record's handling code means, with its
// conditions and caveat, for the person reading a record on a terminal.
func printHandling(w io.Writer, m crossguard.Marking) {
	fmt.Fprintf(w, "Handling %s: %s\n", m.Handling, crossguard.HandlingMeaning(m.Handling))
	if m.Conditions != "" {
		fmt.Fprintf(w, "Conditions: %s\n", m.Conditions)
	}
	if c := crossguard.HandlingCaveat(m); c != "" {
		fmt.Fprintln(w, c)
	}
}

// runSeizureDelete deletes one seizure.
func runSeizureDelete(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "seizure delete", "seizure delete ID [flags]", `
Deletes a seizure of this node. A tombstone stays, so that partners that
received the record will remove it too.

Example:
  crossguard seizure delete 0193a4c2-7d1e-7c4e-9a2b-5f0e1d2c3b4a --if-version 2`)
	c.register(fs, env)
	ifVersion := fs.Int64("if-version", 0, "delete only if the record is still at this version (0: any)")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		if err := o.Node.Sharing.DeleteSeizure(ctx, cliActor(env), pos[0], *ifVersion); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Deleted seizure %s.\n", pos[0])
		return nil
	})
}

// writeJSON prints v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
