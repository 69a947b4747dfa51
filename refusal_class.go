package crossguard

import "strings"

// Classes of refusal reasons, a small fixed set so that counting refusals
// by class (per peer, in the status and in /metrics) keeps few series
// whatever words a reason uses.
const (
	RefusalSignature     = "signature"      // no valid signature of the origin
	RefusalUnknownOrigin = "unknown_origin" // signed by a node this one does not know
	RefusalPolicy        = "policy"         // the sender was not allowed to send it here
	RefusalMalformed     = "malformed"      // not a record this protocol can read
	RefusalInvalid       = "invalid"        // readable, but its values fail the checks of a local write
	RefusalReplay        = "replay"         // not newer than the version held
	RefusalConflict      = "conflict"       // an id held under another origin or kind, or a withdrawal not from a source
	RefusalLooped        = "looped"         // this node's own record coming back to it
	RefusalOther         = "other"          // anything else
)

// RefusalClasses lists the classes of refusal reasons, RefusalOther last.
var RefusalClasses = []string{RefusalSignature, RefusalUnknownOrigin, RefusalPolicy, RefusalMalformed,
	RefusalInvalid, RefusalReplay, RefusalConflict, RefusalLooped, RefusalOther}

// refusalPrefixes map the stable beginnings of refusal reasons to their
// class, in the order they are tried: the first that matches wins (so
// "malformed signature" is a signature refusal, not a malformed record).
var refusalPrefixes = []struct{ prefix, class string }{
	{"signed by a key", RefusalSignature},
	{"malformed signature", RefusalSignature},
	{"signature", RefusalSignature},
	{"origin ", RefusalUnknownOrigin}, // "origin X is not a known node ..."
	{"unknown origin", RefusalUnknownOrigin},
	{"outside the sharing policy", RefusalPolicy},
	{"malformed", RefusalMalformed},
	{"page refused", RefusalMalformed}, // a page that cannot be read at all
	{"record of ", RefusalMalformed},   // "record of N bytes, over the protocol's limit"
	{"kind ", RefusalMalformed},        // "kind K is not a shareable record kind"
	{"invalid", RefusalInvalid},
	{"version ", RefusalReplay}, // "version 1 is older than the version 2 held here: a replay"
	{"not newer", RefusalReplay},
	{"replay", RefusalReplay},
	{"record ", RefusalConflict}, // "record X belongs to O, not P", "record X is a K, not a J"
	{"withdrawal ", RefusalConflict},
	{"a version of this node's own record", RefusalLooped},
	{"loop", RefusalLooped},
}

// RefusalClass returns the class of a refusal reason (one of
// RefusalClasses) from the reason's stable beginning, so that a refusal
// needs no class of its own wherever it is made. A reason that names none
// of them is RefusalOther.
func RefusalClass(reason string) string {
	r := strings.ToLower(strings.TrimSpace(reason))
	for _, p := range refusalPrefixes {
		if strings.HasPrefix(r, p.prefix) {
			return p.class
		}
	}
	return RefusalOther
}

// RefusalCounts counts refusals by class of reason, one field per class of
// RefusalClasses, so that a peer's status shows every class (zeros too)
// and stays comparable.
type RefusalCounts struct {
	Signature     int64 `json:"signature"`
	UnknownOrigin int64 `json:"unknown_origin"`
	Policy        int64 `json:"policy"`
	Malformed     int64 `json:"malformed"`
	Invalid       int64 `json:"invalid"`
	Replay        int64 `json:"replay"`
	Conflict      int64 `json:"conflict"`
	Looped        int64 `json:"looped"`
	Other         int64 `json:"other"`
}

// field returns the count of class; a class not of RefusalClasses counts
// as RefusalOther.
func (c *RefusalCounts) field(class string) *int64 {
	switch class {
	case RefusalSignature:
		return &c.Signature
	case RefusalUnknownOrigin:
		return &c.UnknownOrigin
	case RefusalPolicy:
		return &c.Policy
	case RefusalMalformed:
		return &c.Malformed
	case RefusalInvalid:
		return &c.Invalid
	case RefusalReplay:
		return &c.Replay
	case RefusalConflict:
		return &c.Conflict
	case RefusalLooped:
		return &c.Looped
	}
	return &c.Other
}

// Add adds n refusals of class.
func (c *RefusalCounts) Add(class string, n int64) { *c.field(class) += n }

// Of returns the count of class.
func (c RefusalCounts) Of(class string) int64 { return *c.field(class) }
