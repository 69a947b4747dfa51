package crossguard

import (
	"encoding/base64"
	"slices"
	"strings"
	"time"
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

// decisionCursorPrefix marks declaration queue cursors.
const decisionCursorPrefix = "decision|"

// EncodeDecisionCursor returns the opaque cursor that continues the
// declaration queue after the decision made at decidedAt on declaration
// id.
func EncodeDecisionCursor(decidedAt time.Time, id string) string {
	raw := decisionCursorPrefix + decidedAt.UTC().Format(time.RFC3339Nano) + "|" + id
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// DecodeDecisionCursor reverses EncodeDecisionCursor, failing with
// EINVALID on a cursor it did not make.
func DecodeDecisionCursor(cursor string) (time.Time, string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return time.Time{}, "", badCursor()
	}
	rest, ok := strings.CutPrefix(string(raw), decisionCursorPrefix)
	if !ok {
		return time.Time{}, "", badCursor()
	}
	at, id, ok := strings.Cut(rest, "|")
	if !ok || id == "" {
		return time.Time{}, "", badCursor()
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return time.Time{}, "", badCursor()
	}
	return t.UTC(), id, nil
}

// Bounds of RecentDeclarations as the profile preview uses it.
const (
	DefaultPreviewSize = 1000
	MaxPreviewSize     = 20000
)
