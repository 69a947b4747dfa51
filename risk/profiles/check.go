package profiles

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"crossguard"
)

// Check validates the meaning of a profile's conditions, beyond what
// Profile.Validate checks: every field is a known declaration field, every
// operator applies to its field's type, every value has the right shape,
// and the conditions can all hold at once for some valid declaration. It
// returns a *crossguard.Error with code EINVALID naming each condition at
// fault (paths such as "conditions[1].value"), or nil.
func Check(p *crossguard.Profile) error {
	if p == nil {
		return crossguard.Errorf(crossguard.EINVALID, "no profile")
	}
	_, errs := analyse(p)
	if len(errs) == 0 {
		return nil
	}
	return &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid profile", Fields: errs}
}

// parsed is one condition read against its field.
type parsed struct {
	f      *field
	op     string
	texts  []string  // eq, in (deduplicated) and prefix on text fields
	nums   []float64 // eq, in (deduplicated) on number fields
	lo, hi float64   // comparisons and between on number fields
	loOpen bool
	hiOpen bool
}

// analysis gathers the field errors of a profile.
type analysis struct {
	p    *crossguard.Profile
	errs []crossguard.FieldError
}

func (a *analysis) addf(path, format string, args ...any) {
	a.errs = append(a.errs, crossguard.FieldError{Field: path, Message: fmt.Sprintf(format, args...)})
}

// describe names condition i for messages, e.g.
// `conditions[0] (net_mass gt 100)`.
func (a *analysis) describe(i int) string {
	c := a.p.Conditions[i]
	v := string(bytes.TrimSpace(c.Value))
	if len(v) > 60 {
		v = strings.ToValidUTF8(v[:57], "") + "..."
	}
	return fmt.Sprintf("conditions[%d] (%s %s %s)", i, c.Field, c.Op, v)
}

// analyse checks every condition and merges the conditions on each field
// into one constraint; the constraints are meaningful only without errors.
func analyse(p *crossguard.Profile) ([]*constraint, []crossguard.FieldError) {
	a := &analysis{p: p}
	switch {
	case len(p.Conditions) == 0:
		a.addf("conditions", "at least one condition is required: a profile without conditions would select every declaration")
		return nil, a.errs
	case len(p.Conditions) > crossguard.MaxConditions:
		a.addf("conditions", "%d conditions, at most %d", len(p.Conditions), crossguard.MaxConditions)
		return nil, a.errs
	}
	var cons []*constraint
	byField := map[string]*constraint{}
	for i := range p.Conditions {
		pc, ok := a.condition(i)
		if !ok {
			continue
		}
		c := byField[pc.f.name]
		if c == nil {
			c = newConstraint(pc.f)
			byField[pc.f.name] = c
			cons = append(cons, c)
		}
		if msg := c.merge(i, pc, a.describe); msg != "" {
			a.addf(fmt.Sprintf("conditions[%d].value", i), "%s", msg)
		}
	}
	return cons, a.errs
}

// condition reads condition i, recording its errors.
func (a *analysis) condition(i int) (*parsed, bool) {
	c := a.p.Conditions[i]
	path := fmt.Sprintf("conditions[%d]", i)
	n := len(a.errs)
	f := fieldByName[c.Field]
	switch {
	case c.Field == "":
		a.addf(path+".field", "required; one of %s", strings.Join(fieldNames, ", "))
	case f == nil:
		a.addf(path+".field", "unknown field %q; the known fields are %s", c.Field, strings.Join(fieldNames, ", "))
	}
	switch {
	case c.Op == "":
		a.addf(path+".op", "required; one of %s", strings.Join(crossguard.ConditionOps, ", "))
	case !slices.Contains(crossguard.ConditionOps, c.Op):
		a.addf(path+".op", "%q is not an operator; one of %s", c.Op, strings.Join(crossguard.ConditionOps, ", "))
	case f != nil && !slices.Contains(opsFor(f.typ), c.Op):
		a.addf(path+".op", "%s does not apply to %s field %s; use one of %s", c.Op, f.typ, f.name, strings.Join(opsFor(f.typ), ", "))
	}
	if len(bytes.TrimSpace(c.Value)) == 0 {
		a.addf(path+".value", "required")
	}
	if len(a.errs) > n {
		return nil, false
	}
	pc := &parsed{f: f, op: c.Op}
	if f.typ == crossguard.FieldNumber {
		a.numbers(path+".value", c.Value, pc)
	} else {
		a.texts(path+".value", c.Value, pc)
	}
	return pc, len(a.errs) == n
}

// texts reads the value of a condition on a text field.
func (a *analysis) texts(path string, raw []byte, pc *parsed) {
	switch pc.op {
	case crossguard.OpPrefix:
		s, err := textValue(raw)
		if err == nil {
			err = checkPrefix(pc.f, s)
		}
		if err != nil {
			a.addf(path, "%s", err.Error())
			return
		}
		pc.texts = []string{s}
	case crossguard.OpEq:
		s, err := textValue(raw)
		if err == nil {
			err = checkText(pc.f, s)
		}
		if err != nil {
			a.addf(path, "%s", err.Error())
			return
		}
		pc.texts = []string{s}
	case crossguard.OpIn:
		l, ok := a.list(path, raw)
		for k, e := range l {
			s, err := textValue(e)
			if err == nil {
				err = checkText(pc.f, s)
			}
			if err != nil {
				a.addf(fmt.Sprintf("%s[%d]", path, k), "%s", err.Error())
				ok = false
				continue
			}
			pc.texts = append(pc.texts, s)
		}
		if ok {
			slices.Sort(pc.texts)
			pc.texts = slices.Compact(pc.texts)
		}
	}
}

// list reads the non-empty list value of an in condition.
func (a *analysis) list(path string, raw []byte) ([]json.RawMessage, bool) {
	l, err := listValue(raw)
	switch {
	case err != nil:
		a.addf(path, "in needs a list of values: %s", err.Error())
		return nil, false
	case len(l) == 0:
		a.addf(path, "in needs at least one value: an empty list never holds")
		return nil, false
	case len(l) > crossguard.MaxInValues:
		a.addf(path, "%d values, at most %d", len(l), crossguard.MaxInValues)
		return nil, false
	}
	return l, true
}

// numbers reads the value of a condition on a number field.
func (a *analysis) numbers(path string, raw []byte, pc *parsed) {
	f := pc.f
	pc.lo, pc.hi = math.Inf(-1), math.Inf(1)
	switch pc.op {
	case crossguard.OpEq:
		x, err := numberValue(raw)
		if err == nil {
			err = checkNumber(f, x)
		}
		if err != nil {
			a.addf(path, "%s", err.Error())
			return
		}
		pc.nums = []float64{x}
	case crossguard.OpIn:
		l, ok := a.list(path, raw)
		for k, e := range l {
			x, err := numberValue(e)
			if err == nil {
				err = checkNumber(f, x)
			}
			if err != nil {
				a.addf(fmt.Sprintf("%s[%d]", path, k), "%s", err.Error())
				ok = false
				continue
			}
			pc.nums = append(pc.nums, x)
		}
		if ok {
			slices.Sort(pc.nums)
			pc.nums = slices.Compact(pc.nums)
		}
	case crossguard.OpBetween:
		l, err := listValue(raw)
		if err == nil && len(l) != 2 {
			a.addf(path, "between needs a pair [low, high], got %d values", len(l))
			return
		}
		if err != nil {
			a.addf(path, "between needs a pair [low, high]: %s", err.Error())
			return
		}
		lo, err1 := numberValue(l[0])
		hi, err2 := numberValue(l[1])
		if err1 != nil {
			a.addf(path+"[0]", "%s", err1.Error())
		}
		if err2 != nil {
			a.addf(path+"[1]", "%s", err2.Error())
		}
		if err1 != nil || err2 != nil {
			return
		}
		if lo > hi {
			a.addf(path, "low %v is above high %v: between can never hold", lo, hi)
			return
		}
		pc.lo, pc.hi = lo, hi
		a.inDomain(path, pc)
	default:
		x, err := numberValue(raw)
		if err != nil {
			a.addf(path, "%s", err.Error())
			return
		}
		switch pc.op {
		case crossguard.OpLt:
			pc.hi, pc.hiOpen = x, true
		case crossguard.OpLe:
			pc.hi = x
		case crossguard.OpGt:
			pc.lo, pc.loOpen = x, true
		case crossguard.OpGe:
			pc.lo = x
		}
		a.inDomain(path, pc)
	}
}

// inDomain refuses a comparison no value of the field can meet.
func (a *analysis) inDomain(path string, pc *parsed) {
	if !feasible(pc.f, pc.lo, pc.loOpen, pc.hi, pc.hiOpen) {
		a.addf(path, "can never hold: %s is %s", pc.f.name, domainText(pc.f))
	}
}

// checkNumber reports why no valid declaration can have x in field f.
func checkNumber(f *field, x float64) error {
	if x < f.lo || x > f.hi || (f.integer && x != math.Trunc(x)) {
		return fmt.Errorf("%v can never be: %s is %s", x, f.name, domainText(f))
	}
	return nil
}

// domainText says what values a number field takes.
func domainText(f *field) string {
	if f.about != "" {
		return f.about
	}
	return "a finite number"
}
