package crossguard

import (
	"slices"
	"strings"
	"time"
)

// CommitmentState is a commitment of an agreement with its status merged
// from its owner's progress reports.
type CommitmentState struct {
	Commitment
	// Status is the merged status: the owner's latest report, planned
	// without one, overdue when neither done nor cancelled after the due
	// date.
	Status string `json:"status"`
	// Reported is the status the owner last reported (planned if none).
	Reported string `json:"reported_status"`
	// ReportedAt, Note and ProgressID come from the owner's latest
	// report; they are empty without one.
	ReportedAt *time.Time `json:"reported_at,omitempty"`
	Note       string     `json:"note,omitempty"`
	ProgressID string     `json:"progress_id,omitempty"`
	// Reports counts the owner's reports on the commitment.
	Reports int `json:"reports"`
}

// laterReport reports whether progress report a supersedes b: a later
// ReportedAt, then a higher version, then a greater id. The order is
// total, so the latest report does not depend on the order reports
// arrived in.
func laterReport(a, b *Progress) bool {
	if !a.ReportedAt.Equal(b.ReportedAt) {
		return a.ReportedAt.After(b.ReportedAt)
	}
	if a.Version != b.Version {
		return a.Version > b.Version
	}
	return a.ID > b.ID
}

// MergeCommitmentStatus returns the status of each commitment of a on
// day today (YYYY-MM-DD): the status of the latest report on it by a node
// of its owner agency (reports by other agencies, on other agreements or
// on unknown commitments are ignored), planned without one, and overdue
// if it is neither done nor cancelled and its due date is before today.
// Overdue commitments come first, by due date; the others keep the
// agreement's order. The result depends only on the set of reports,
// never on their order.
func MergeCommitmentStatus(a *Agreement, reports []*Progress, today string) []CommitmentState {
	latest := make(map[string]*Progress, len(a.Commitments))
	count := make(map[string]int, len(a.Commitments))
	for _, p := range reports {
		if p.Agreement != a.ID {
			continue
		}
		c := a.Commitment(p.Commitment)
		if c == nil || Agency(p.Origin) != c.Owner {
			continue
		}
		count[c.ID]++
		if cur := latest[c.ID]; cur == nil || laterReport(p, cur) {
			latest[c.ID] = p
		}
	}
	out := make([]CommitmentState, len(a.Commitments))
	for i, c := range a.Commitments {
		s := CommitmentState{Commitment: c, Reported: StatusPlanned, Reports: count[c.ID]}
		if p := latest[c.ID]; p != nil {
			at := p.ReportedAt
			s.Reported, s.ReportedAt, s.Note, s.ProgressID = p.Status, &at, p.Note, p.ID
		}
		s.Status = s.Reported
		if s.Status != StatusDone && s.Status != StatusCancelled && c.Due < today {
			s.Status = StatusOverdue
		}
		out[i] = s
	}
	slices.SortStableFunc(out, func(x, y CommitmentState) int {
		xo, yo := x.Status == StatusOverdue, y.Status == StatusOverdue
		switch {
		case xo && !yo:
			return -1
		case yo && !xo:
			return 1
		case xo && yo:
			return strings.Compare(x.Due, y.Due)
		}
		return 0
	})
	return out
}
