package main

import (
	"fmt"
	"text/tabwriter"
)

// printList prints the items of a list command: as JSON with --json, the
// empty message when there are none, or a table of header and one row
// per item (columns separated by tabs).
func printList[T any](env *Env, items []T, asJSON bool, empty, header string, row func(T) string) error {
	if asJSON {
		return writeJSON(env.Stdout, items)
	}
	if len(items) == 0 {
		fmt.Fprintln(env.Stdout, empty)
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, it := range items {
		fmt.Fprintln(tw, row(it))
	}
	return tw.Flush()
}
