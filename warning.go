package crossguard

import (
	"fmt"
	"slices"
	"time"
)

// KindWarning is the kind of a joint operation's warning record.
const KindWarning = "warning"

// Warning limits.
const (
	MaxWarningIdentifiers = 20
	MaxWarningWindow      = 366 * 24 * time.Hour
	MaxReasonBytes        = 2000
)

// WarningIdentifierTypes are the identifiers a warning may name: those of
// a consignment or conveyance crossing a land border, never of a person.
var WarningIdentifierTypes = []string{"container", "vehicle_plate", "company_registration", "waybill"}

// Warning asks the participants of a joint operation (or the named ones
// among them, To) to control a consignment or conveyance expected at a
// crossing during a window. On every node that holds it, a warning in
// force puts declarations carrying one of its identifiers into the
// suggested channel, through the watch list. Withdrawing a warning deletes
// the record; the tombstone reaches every participant.
type Warning struct {
	Header
	Operation        string        `json:"operation"`
	Identifiers      []Identifier  `json:"identifiers"`
	ExpectedCrossing string        `json:"expected_crossing"`
	Window           WarningWindow `json:"window"`
	Reason           string        `json:"reason"`
	SuggestedChannel string        `json:"suggested_channel"`
	To               []string      `json:"to,omitempty"`
}

// WarningWindow is the period, From included and To excluded, during
// which the warned consignment is expected.
type WarningWindow struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Normalize sets the kind, the window in UTC, the distribution (network)
// and an empty identifier list for a missing one. The recipients depend on
// the operation and are set by the node.
func (w *Warning) Normalize() {
	w.Kind = KindWarning
	w.Distribution = DistNetwork
	w.Window.From, w.Window.To = w.Window.From.UTC(), w.Window.To.UTC()
	if w.Identifiers == nil {
		w.Identifiers = []Identifier{}
	}
	if len(w.To) == 0 {
		w.To = nil
	}
}

// Validate checks the warning's fields and its sharing header. Whether
// its recipients are participants of its operation is checked against
// the operation (CheckWarningAgainst), which a receiver may not hold yet.
func (w *Warning) Validate() error {
	v := newValidator(w.Distribution)
	if !IsRecordID(w.Operation) {
		v.addf("operation", "must be the id of an operation")
	}
	switch {
	case len(w.Identifiers) == 0:
		v.addf("identifiers", "at least one identifier is required (container, vehicle_plate, company_registration or waybill)")
	case len(w.Identifiers) > MaxWarningIdentifiers:
		v.addf("identifiers", "%d identifiers, at most %d", len(w.Identifiers), MaxWarningIdentifiers)
	default:
		for i, id := range w.Identifiers {
			id.validate(v, fmt.Sprintf("identifiers[%d]", i), "", WarningIdentifierTypes)
		}
	}
	v.freeText("expected_crossing", w.ExpectedCrossing, 200, true)
	switch {
	case w.Window.From.IsZero():
		v.addf("window.from", "required, an RFC 3339 time such as 2026-12-01T06:00:00Z")
	case w.Window.To.IsZero():
		v.addf("window.to", "required, an RFC 3339 time such as 2026-12-02T18:00:00Z")
	case !w.Window.To.After(w.Window.From):
		v.addf("window.to", "%s is not after window.from (%s)", w.Window.To.UTC().Format(time.RFC3339), w.Window.From.UTC().Format(time.RFC3339))
	case w.Window.To.Sub(w.Window.From) > MaxWarningWindow:
		v.addf("window.to", "the window lasts %s, at most %d days", w.Window.To.Sub(w.Window.From).Round(time.Hour), int(MaxWarningWindow.Hours()/24))
	}
	v.freeText("reason", w.Reason, MaxReasonBytes, true)
	v.oneOf("suggested_channel", w.SuggestedChannel, SelectingChannels)
	validateParticipants(v, "to", w.To, false)
	want := w.To
	if len(want) == 0 {
		want = w.Recipients // the operation's participants, checked by the node
		if len(want) == 0 {
			v.addf("recipients", "required: the participants the warning is sent to")
		}
	}
	validateOperationSharing(v, &w.Header, want)
	return v.err("warning")
}

// CheckWarningAgainst checks a warning against its operation: the named
// recipients (To) must be participants, and the recipients must be To or,
// when none are named, all the participants.
func CheckWarningAgainst(w *Warning, op *Operation) error {
	v := &validator{}
	if w.Operation != op.ID {
		v.addf("operation", "is %s, not %s", w.Operation, op.ID)
	}
	for i, a := range w.To {
		if !slices.Contains(op.Participants, a) {
			v.addf(fmt.Sprintf("to[%d]", i), "%s is not a participant of operation %s", a, op.Name)
		}
	}
	want := sortedAgencies(w.To)
	if len(w.To) == 0 {
		want = op.Participants
	}
	if !slices.Equal(w.Recipients, want) {
		v.addf("recipients", "must be %v", want)
	}
	return v.err("warning")
}

// InForce reports whether the warning's window has not ended at now.
func (w *Warning) InForce(now time.Time) bool { return w.Window.To.After(now) }

func init() {
	RegisterRecordKind(KindWarning, RecordKind{Check: func(body []byte, h *Header) (string, error) {
		w, err := CheckRecordBody(body, h, (*Warning).Validate)
		if err != nil {
			return "", err
		}
		return w.Operation, nil
	}})
}
