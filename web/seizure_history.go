package web

import (
	"encoding/json"
	"reflect"
	"slices"

	"crossguard"
)

// annotationRow is one annotation on a seizure's page: which node wrote
// it (an agency's node, never a person), when, and what it says.
type annotationRow struct {
	Agency, Origin string
	Own            bool
	Date           string
	Edited         bool
	TLP            tlpBadge
	Text           string
}

// versionRow is one version of a seizure in its history: its number and
// date, where it came from, and the fields it changed.
type versionRow struct {
	Version string
	Date    string
	// Received is true for a version this node did not write: From is
	// then its origin, Via the peer it came through if that is not the
	// origin, and Stored when this node stored it.
	Received          bool
	From, Via, Stored string
	Changes           []string
	First             bool
}

// annotationRows writes out annotations newest first.
func (s *server) annotationRows(tr *Translator, as []*crossguard.Annotation) []annotationRow {
	out := make([]annotationRow, 0, len(as))
	for _, a := range slices.Backward(as) {
		out = append(out, annotationRow{
			Agency: crossguard.Agency(a.Origin),
			Origin: a.Origin,
			Own:    s.nodeID != "" && a.Origin == s.nodeID,
			Date:   tr.DateTime(a.UpdatedAt),
			Edited: a.Version > 1,
			TLP:    badge(a.Marking.TLP),
			Text:   a.Text,
		})
	}
	return out
}

// historyFields names the top-level fields of a seizure's JSON with the
// catalog labels of the seizure form (or page) where one exists.
var historyFields = map[string]string{
	"occurred_at":      "seizureform.label.occurred_at",
	"country":          "seizureform.label.country",
	"place":            "seizure.place",
	"office":           "seizureform.label.office",
	"direction":        "seizureform.label.direction",
	"transport_mode":   "seizureform.label.transport_mode",
	"conveyance":       "seizureform.label.conveyance",
	"detection_method": "seizureform.label.detection_method",
	"concealment":      "seizureform.label.concealment",
	"route":            "seizureform.route",
	"goods":            "seizureform.goods",
	"identifiers":      "seizureform.identifiers",
	"narrative":        "seizureform.narrative",
	"distribution":     "seizureform.label.distribution",
	"recipients":       "seizureform.label.recipients",
	"marking":          "seizure.marking",
}

// historyOrder is the order in which changed fields are named: the
// order of the seizure form.
var historyOrder = []string{"occurred_at", "country", "place", "office", "direction", "transport_mode",
	"conveyance", "detection_method", "concealment", "route", "goods", "identifiers", "narrative",
	"distribution", "recipients", "marking"}

// historyRows writes out the versions of a seizure of origin, given
// oldest first, newest first, each with the fields that changed from the
// version held before it.
func historyRows(tr *Translator, origin string, vs []*crossguard.SeizureVersion) []versionRow {
	out := make([]versionRow, 0, len(vs))
	var prev map[string]any
	for i, v := range vs {
		var fields map[string]any
		if err := json.Unmarshal(v.Body, &fields); err != nil {
			fields = nil
		}
		row := versionRow{Version: tr.Number(v.Version), Date: tr.DateTime(v.UpdatedAt), First: i == 0}
		if v.Received {
			row.Received, row.From, row.Stored = true, origin, tr.DateTime(v.StoredAt)
			if v.Via != origin {
				row.Via = v.Via
			}
		}
		if i > 0 {
			row.Changes = changedFields(tr, prev, fields)
		}
		out = append(out, row)
		prev = fields
	}
	slices.Reverse(out)
	return out
}

// changedFields names the top-level fields that differ between two
// versions' JSON, in the form's order, then any others by name. The
// version number and update time, which change every time, are left out.
func changedFields(tr *Translator, old, cur map[string]any) []string {
	var changed []string
	seen := map[string]bool{"version": true, "updated_at": true}
	differs := func(k string) bool { return !reflect.DeepEqual(old[k], cur[k]) }
	for _, k := range historyOrder {
		seen[k] = true
		if differs(k) {
			changed = append(changed, tr.T(historyFields[k]))
		}
	}
	var others []string
	for _, m := range []map[string]any{old, cur} {
		for k := range m {
			if !seen[k] && differs(k) {
				seen[k] = true
				others = append(others, k)
			}
		}
	}
	slices.Sort(others)
	return append(changed, others...)
}
