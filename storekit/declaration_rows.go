package storekit

import (
	"encoding/json"
	"fmt"

	"crossguard"
)

// decisionCols receives the columns of a decision read with a LEFT JOIN
// (channel, score, selected_by, model_version, crossing, decided_at,
// reasons, then the JSON array of its profiles in their order), all NULL
// for a declaration without a decision.
type decisionCols struct {
	channel, selectedBy, crossing, reasons *string
	score                                  *float64
	modelVersion                           *int64
	decided                                Time
	profiles                               []byte
}

// dest returns the scan destinations of the columns, in their order.
func (c *decisionCols) dest() []any {
	return []any{&c.channel, &c.score, &c.selectedBy, &c.modelVersion, &c.crossing, &c.decided, &c.reasons, &c.profiles}
}

// decision decodes the decision of declaration id, nil if it has none.
// Profiles is nil when no profile matched.
func (c *decisionCols) decision(id string) (*crossguard.Decision, error) {
	if c.channel == nil {
		return nil, nil
	}
	d := &crossguard.Decision{DeclarationID: id, Channel: *c.channel, Score: *c.score, SelectedBy: *c.selectedBy,
		ModelVersion: *c.modelVersion, Crossing: *c.crossing, DecidedAt: c.decided.Time}
	if err := json.Unmarshal([]byte(*c.reasons), &d.Reasons); err != nil {
		return nil, fmt.Errorf("decision of %s: decode reasons: %w", id, err)
	}
	if len(c.profiles) > 0 {
		if err := json.Unmarshal(c.profiles, &d.Profiles); err != nil {
			return nil, fmt.Errorf("decision of %s: decode profiles: %w", id, err)
		}
	}
	if len(d.Profiles) == 0 {
		d.Profiles = nil
	}
	return d, nil
}

// inspectionCols receives the columns of an inspection read with a LEFT
// JOIN (result, seizure_id, recovered_revenue, notes, fraud, critical,
// source, at), all NULL for a declaration not inspected.
type inspectionCols struct {
	result, seizureID, notes, source *string
	revenue                          *float64
	fraud, critical                  *int64
	at                               Time
}

// dest returns the scan destinations of the columns, in their order.
func (c *inspectionCols) dest() []any {
	return []any{&c.result, &c.seizureID, &c.revenue, &c.notes, &c.fraud, &c.critical, &c.source, &c.at}
}

// inspection returns the inspection of declaration id, nil if it has
// none.
func (c *inspectionCols) inspection(id string) *crossguard.Inspection {
	if c.result == nil {
		return nil
	}
	return &crossguard.Inspection{DeclarationID: id, Result: *c.result, SeizureID: *c.seizureID,
		RecoveredRevenue: *c.revenue, Notes: *c.notes, Source: *c.source, At: c.at.Time,
		Label: crossguard.Label{Fraud: int(*c.fraud), Critical: int(*c.critical)}}
}

// entryCols receives a declaration (its id, unless the query names it,
// its body and its received time) with the columns of its decision and
// inspection.
type entryCols struct {
	id       string
	body     []byte
	received Time
	dc       decisionCols
	ic       inspectionCols
}

// entry decodes the declaration entry; a decision or inspection whose
// columns were not read is nil.
func (c *entryCols) entry() (*crossguard.DeclarationEntry, error) {
	e := &crossguard.DeclarationEntry{Declaration: &crossguard.Declaration{}, ReceivedAt: c.received.Time}
	if err := json.Unmarshal(c.body, e.Declaration); err != nil {
		return nil, fmt.Errorf("decode declaration %s: %w", c.id, err)
	}
	var err error
	if e.Decision, err = c.dc.decision(c.id); err != nil {
		return nil, err
	}
	e.Inspection = c.ic.inspection(c.id)
	return e, nil
}

// ScanDeclarationEntry reads a declaration of id with its decision and
// inspection: body, received_at, then the decision's channel, score,
// selected_by, model_version, crossing, decided_at, reasons and the JSON
// array of its profiles in their order (NULL or empty when none), then
// the inspection's result, seizure_id, recovered_revenue, notes, fraud,
// critical, source and at; the columns of a missing decision or
// inspection are NULL. Decision.Profiles is nil when no profile matched.
func ScanDeclarationEntry(scan Scan, id string) (*crossguard.DeclarationEntry, error) {
	c := entryCols{id: id}
	if err := scan(append(append([]any{&c.body, &c.received}, c.dc.dest()...), c.ic.dest()...)...); err != nil {
		return nil, err
	}
	return c.entry()
}

// ScanQueueEntry reads a row of the declaration queue: the declaration's
// id, then the columns ScanDeclarationEntry reads.
func ScanQueueEntry(scan Scan) (*crossguard.DeclarationEntry, error) {
	var c entryCols
	if err := scan(append(append([]any{&c.id, &c.body, &c.received}, c.dc.dest()...), c.ic.dest()...)...); err != nil {
		return nil, err
	}
	return c.entry()
}

// ScanRecentDeclaration reads a declaration without its decision: id,
// body, received_at, then the inspection's columns as
// ScanDeclarationEntry reads them.
func ScanRecentDeclaration(scan Scan) (*crossguard.DeclarationEntry, error) {
	var c entryCols
	if err := scan(append([]any{&c.id, &c.body, &c.received}, c.ic.dest()...)...); err != nil {
		return nil, err
	}
	return c.entry()
}

// ScanStoredDecisions returns a reader of rows of a declaration id
// followed by the decision's columns as ScanDeclarationEntry reads them,
// which adds each id to out with its decision (nil for a declaration
// without one) and returns out.
func ScanStoredDecisions(out map[string]*crossguard.Decision) func(Rows) (map[string]*crossguard.Decision, error) {
	return func(rows Rows) (map[string]*crossguard.Decision, error) {
		for rows.Next() {
			var id string
			var dc decisionCols
			if err := rows.Scan(append([]any{&id}, dc.dest()...)...); err != nil {
				return nil, err
			}
			d, err := dc.decision(id)
			if err != nil {
				return nil, err
			}
			out[id] = d
		}
		return out, rows.Err()
	}
}

// StoredDecisions returns, for each of ids that is stored, its decision,
// or nil for a declaration stored without one; ids not stored are absent.
// It looks them up chunk at a time with read, which adds the stored ids of
// part with their decisions to out (with ScanStoredDecisions).
func StoredDecisions(ids []string, chunk int, read func(part []string, out map[string]*crossguard.Decision) error) (map[string]*crossguard.Decision, error) {
	out := make(map[string]*crossguard.Decision)
	for lo := 0; lo < len(ids); lo += chunk {
		if err := read(ids[lo:min(lo+chunk, len(ids))], out); err != nil {
			return nil, fmt.Errorf("look up %d declarations: %w", len(ids), err)
		}
	}
	return out, nil
}
