package crossguard

// KindFeedback is the kind of the answer to a joint operation's warning.
const KindFeedback = "feedback"

// Feedback results.
const (
	FeedbackSeized                = "seized"
	FeedbackInspectedNothingFound = "inspected_nothing_found"
	FeedbackNotSeen               = "not_seen"
	FeedbackNotInspected          = "not_inspected"
)

// FeedbackResults lists the results of feedback on a warning.
var FeedbackResults = []string{FeedbackSeized, FeedbackInspectedNothingFound, FeedbackNotSeen, FeedbackNotInspected}

// MaxNotesBytes bounds the notes of feedback.
const MaxNotesBytes = 10000

// Feedback is a participant's answer to a warning: what came of it, and
// the seizure that followed if any (SeizureID, a seizure of the answering
// node, which is then shared with the operation's participants). It goes
// to every participant of the operation, so that each participant's
// report counts the same answers; its target is the warning.
type Feedback struct {
	Header
	Warning            string `json:"warning"`
	Operation          string `json:"operation"`
	Result             string `json:"result"`
	NotInspectedReason string `json:"not_inspected_reason,omitempty"`
	SeizureID          string `json:"seizure_id,omitempty"`
	Notes              string `json:"notes,omitempty"`
}

// Normalize sets the kind and the distribution (network); the recipients
// are the operation's participants, set by the node.
func (f *Feedback) Normalize() {
	f.Kind = KindFeedback
	f.Distribution = DistNetwork
}

// Validate checks the feedback's fields and its sharing header: a result,
// a reason when the consignment was not inspected, a seizure only with
// the result seized.
func (f *Feedback) Validate() error {
	v := newValidator(f.Distribution)
	if !IsRecordID(f.Warning) {
		v.addf("warning", "must be the id of a warning")
	}
	if !IsRecordID(f.Operation) {
		v.addf("operation", "must be the id of an operation")
	}
	v.oneOf("result", f.Result, FeedbackResults)
	if f.Result == FeedbackNotInspected {
		v.freeText("not_inspected_reason", f.NotInspectedReason, MaxReasonBytes, true)
	} else if f.NotInspectedReason != "" {
		v.addf("not_inspected_reason", "only with result not_inspected")
	}
	if f.SeizureID != "" {
		switch {
		case f.Result != FeedbackSeized:
			v.addf("seizure_id", "only with result seized")
		case !IsRecordID(f.SeizureID):
			v.addf("seizure_id", "must be the id of a seizure")
		}
	}
	v.freeText("notes", f.Notes, MaxNotesBytes, false)
	if len(f.Recipients) == 0 {
		v.addf("recipients", "required: the operation's participants")
	}
	validateOperationSharing(v, &f.Header, f.Recipients)
	return v.err("feedback")
}

// Hit reports whether the feedback says the warning led to a seizure.
func (f *Feedback) Hit() bool { return f.Result == FeedbackSeized }

func init() {
	RegisterRecordKind(KindFeedback, RecordKind{Check: func(body []byte, h *Header) (string, error) {
		f, err := CheckRecordBody(body, h, (*Feedback).Validate)
		if err != nil {
			return "", err
		}
		return f.Warning, nil
	}})
}
