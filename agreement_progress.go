package crossguard

import "time"

// KindProgress is the kind of a party's report on a commitment it owns.
const KindProgress = "progress"

// Statuses of a commitment. A party reports planned, in_progress, done or
// cancelled; overdue is never reported but merged: a commitment neither
// done nor cancelled whose due date has passed.
const (
	StatusPlanned    = "planned"
	StatusInProgress = "in_progress"
	StatusDone       = "done"
	StatusCancelled  = "cancelled"
	StatusOverdue    = "overdue"
)

// ProgressStatuses lists the statuses a progress report can give.
var ProgressStatuses = []string{StatusPlanned, StatusInProgress, StatusDone, StatusCancelled}

// CommitmentStatuses lists the merged statuses of a commitment.
var CommitmentStatuses = []string{StatusPlanned, StatusInProgress, StatusDone, StatusOverdue, StatusCancelled}

// MaxProgressNoteBytes bounds the note of a progress report.
const MaxProgressNoteBytes = 4000

// Progress is a party's report on a commitment of an agreement: a record
// of the reporting node, so that the agreement keeps its single writer.
// Only the commitment's owner agency may report on it; the agreement's
// view merges the owner's reports into the commitment's status. It goes
// to the agreement's parties and nobody else.
type Progress struct {
	Header
	Agreement  string    `json:"agreement"`  // the agreement's record id
	Commitment string    `json:"commitment"` // the commitment's id in the agreement
	Status     string    `json:"status"`
	Note       string    `json:"note,omitempty"`
	ReportedAt time.Time `json:"reported_at"`
}

// Validate checks a progress report as its origin stamps it. That the
// origin's agency owns the commitment is checked against the agreement:
// by the node on creation, and by the merge on every node.
func (p *Progress) Validate() error {
	v := newValidator(p.Distribution)
	validateSharing(v, p.Distribution, p.Recipients, p.Marking)
	if p.Distribution != "" && p.Distribution != DistNetwork {
		v.addf("distribution", "must be network (the report goes to the agreement's parties), not %q", p.Distribution)
	}
	if len(p.Recipients) == 0 {
		v.addf("recipients", "must be the agreement's parties")
	}
	if !IsRecordID(p.Agreement) {
		v.addf("agreement", "must be the id of an agreement this node holds")
	}
	if !commitmentIDPattern.MatchString(p.Commitment) {
		v.addf("commitment", "%q is not a commitment id", p.Commitment)
	}
	v.oneOf("status", p.Status, ProgressStatuses)
	v.freeText("note", p.Note, MaxProgressNoteBytes, false)
	if p.ReportedAt.IsZero() {
		v.addf("reported_at", "required")
	}
	return v.err("progress report")
}

func init() {
	RegisterRecordKind(KindProgress, RecordKind{Check: func(body []byte, h *Header) (string, error) {
		p, err := CheckRecordBody(body, h, (*Progress).Validate)
		if err != nil {
			return "", err
		}
		return p.Agreement, nil
	}})
}
