package crossguard

import (
	"encoding/json"
	"fmt"
	"time"
)

// KindProfile is the kind of a risk profile record.
const KindProfile = "profile"

// Control channels, most intrusive first.
const (
	ChannelRed    = "red"    // physical inspection
	ChannelYellow = "yellow" // documentary check
	ChannelBlue   = "blue"   // post-clearance audit
	ChannelGreen  = "green"  // release
)

// Channels lists the control channels, most intrusive first.
var Channels = []string{ChannelRed, ChannelYellow, ChannelBlue, ChannelGreen}

// SelectingChannels are the channels a profile or a watch-list entry can
// send a declaration to: every channel but release.
var SelectingChannels = []string{ChannelRed, ChannelYellow, ChannelBlue}

// ChannelRank orders channels by intrusiveness: red 3, yellow 2, blue 1,
// green 0 (and -1 for anything else).
func ChannelRank(c string) int {
	switch c {
	case ChannelRed:
		return 3
	case ChannelYellow:
		return 2
	case ChannelBlue:
		return 1
	case ChannelGreen:
		return 0
	}
	return -1
}

// Condition operators of a profile.
const (
	OpEq      = "eq"
	OpIn      = "in"
	OpPrefix  = "prefix"
	OpLt      = "lt"
	OpLe      = "le"
	OpGt      = "gt"
	OpGe      = "ge"
	OpBetween = "between"
)

// ConditionOps lists the operators a condition can use.
var ConditionOps = []string{OpEq, OpIn, OpPrefix, OpLt, OpLe, OpGt, OpGe, OpBetween}

// Condition is one test of a profile on a declaration field (see
// LookupDeclarationField): Value is a string or number for eq, prefix and
// the comparisons, a list for in, and a two-element list [low, high]
// (both included) for between.
type Condition struct {
	Field string          `json:"field"`
	Op    string          `json:"op"`
	Value json.RawMessage `json:"value"`
}

// Profile is a risk profile: declarations meeting every condition go to
// the profile's channel, with its score as their risk, while the current
// date is within the validity dates. It is a shareable record; its
// owner is an organisational unit, never a person.
type Profile struct {
	Header
	Name        string      `json:"name"`
	Description string      `json:"description,omitempty"`
	Channel     string      `json:"channel"`
	Score       float64     `json:"score"`
	Conditions  []Condition `json:"conditions"`
	ValidFrom   string      `json:"valid_from"`         // YYYY-MM-DD
	ValidTo     string      `json:"valid_to,omitempty"` // YYYY-MM-DD, inclusive; empty: open-ended
	Owner       string      `json:"owner"`
}

// Profile limits.
const (
	MaxConditions   = 50
	MaxInValues     = 10000
	MaxProfileBytes = 1 << 20
)

// Local states of a profile on a node. Profiles of the node's own agency
// start active; a profile received from a partner agency starts inactive
// until an analyst adopts it; an analyst can disable any profile.
const (
	ProfileActive   = "active"
	ProfileInactive = "inactive"
	ProfileDisabled = "disabled"
)

// CheckProfileState returns the EINVALID error of setting the local state
// of profile id to state unless id is set and state is one of
// ProfileActive, ProfileInactive and ProfileDisabled.
func CheckProfileState(id, state string) error {
	switch state {
	case ProfileActive, ProfileInactive, ProfileDisabled:
		if id != "" {
			return nil
		}
	}
	return Errorf(EINVALID, "profile state %q of %q: a profile id and one of active, inactive or disabled are required", state, id)
}

// Validate checks the fields a client sets other than the conditions'
// meaning, which the risk/profiles package checks against the declaration
// fields. Personal data in free text or in a condition's value is a field
// error, unless the profile is local (see Warnings).
func (p *Profile) Validate() error {
	v := newValidator(p.Distribution)
	p.validate(v)
	return v.err("profile")
}

// Warnings returns what Validate lets pass but the writer should hear:
// personal data in the free text or condition values of a local profile.
func (p *Profile) Warnings() []FieldError {
	v := newValidator(p.Distribution)
	p.validate(v)
	return v.warnings
}

// validate checks the profile into v.
func (p *Profile) validate(v *validator) {
	validateSharing(v, p.Distribution, p.Recipients, p.Marking)
	v.freeText("name", p.Name, 200, true)
	v.freeText("description", p.Description, 2000, false)
	v.freeText("owner", p.Owner, 200, false)
	v.oneOf("channel", p.Channel, SelectingChannels)
	if v.finite("score", p.Score) && (p.Score < 0 || p.Score > 1) {
		v.addf("score", "must be between 0 and 1, got %v", p.Score)
	}
	from, errFrom := time.Parse(time.DateOnly, p.ValidFrom)
	if errFrom != nil {
		v.addf("valid_from", "required, a date such as 2026-11-01")
	}
	if p.ValidTo != "" {
		to, err := time.Parse(time.DateOnly, p.ValidTo)
		switch {
		case err != nil:
			v.addf("valid_to", "%q is not a date such as 2027-05-01", p.ValidTo)
		case errFrom == nil && to.Before(from):
			v.addf("valid_to", "%s is before valid_from %s: the profile could never match", p.ValidTo, p.ValidFrom)
		}
	}
	switch {
	case len(p.Conditions) == 0:
		v.addf("conditions", "at least one condition is required: a profile without conditions would select every declaration")
	case len(p.Conditions) > MaxConditions:
		v.addf("conditions", "%d conditions, at most %d", len(p.Conditions), MaxConditions)
	}
	for i, c := range p.Conditions {
		path := fmt.Sprintf("conditions[%d]", i)
		v.text(path+".field", c.Field, 64, true)
		v.oneOf(path+".op", c.Op, ConditionOps)
		if len(c.Value) == 0 {
			v.addf(path+".value", "required")
		}
		v.screenValues(path+".value", c.Value)
	}
}

// ValidOn reports whether the profile is in force on day (YYYY-MM-DD
// compares as text).
func (p *Profile) ValidOn(day string) bool {
	return p.ValidFrom <= day && (p.ValidTo == "" || day <= p.ValidTo)
}
