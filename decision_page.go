package crossguard

import (
	"slices"
	"strings"
)

// DecisionFilter selects decided declarations for the declaration queue:
// those at a crossing point and in a channel (either "" for all), only
// those not yet inspected when Uninspected is set. Limit follows
// PageSize; Cursor continues a page returned before.
type DecisionFilter struct {
	Channel     string
	Crossing    string
	Uninspected bool
	Limit       int
	Cursor      string
}

// DecisionPage is one page of the declaration queue: decided
// declarations, newest decision first (ties by declaration id,
// descending), each with its decision and its inspection if any.
// NextCursor continues the queue after the last item; it is empty on the
// last page.
type DecisionPage struct {
	Items      []*DeclarationEntry `json:"items"`
	NextCursor string              `json:"next_cursor,omitempty"`
}

// Normalize checks f and applies the page size rules: an unknown channel,
// a negative limit or a cursor the queue did not make is EINVALID.
func (f DecisionFilter) Normalize() (DecisionFilter, error) {
	v := &validator{}
	f.Crossing = strings.TrimSpace(f.Crossing)
	if f.Channel != "" && !slices.Contains(Channels, f.Channel) {
		v.addf("channel", "%q is not a channel; one of %s", f.Channel, strings.Join(Channels, ", "))
	}
	v.text("crossing", f.Crossing, 64, false)
	if err := v.err("decision filter"); err != nil {
		return f, err
	}
	n, err := PageSize(f.Limit)
	if err != nil {
		return f, err
	}
	f.Limit = n
	if f.Cursor != "" {
		if _, _, err := DecodeDecisionCursor(f.Cursor); err != nil {
			return f, err
		}
	}
	return f, nil
}

// Bounds of RecentDeclarations as the profile preview uses it.
const (
	DefaultPreviewSize = 1000
	MaxPreviewSize     = 20000
)
