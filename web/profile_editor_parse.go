package web

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"crossguard"
)

// Condition rows of the profile editor: how many an empty form shows and
// how many it may grow to with "add a condition".
const (
	profileFormRows    = 6
	profileFormMaxRows = crossguard.MaxConditions
)

// profileInputs are the inputs of the profile editor other than its
// condition rows, in the order the form shows them.
var profileInputs = []string{"name", "description", "channel", "score", "valid_from", "valid_to", "owner",
	"distribution", "recipients", "marking.tlp", "marking.handling", "marking.conditions"}

// conditionInput names input part ("field", "op" or "value") of
// condition row n.
func conditionInput(n int, part string) string {
	return "cond." + strconv.Itoa(n) + "." + part
}

// parsedProfile is a profile read from the editor's form, the form row of
// each of its conditions, and the errors found before the node saw it,
// by input name.
type parsedProfile struct {
	profile *crossguard.Profile
	rowOf   []int
	errs    map[string]string
}

// profileFormRowCount returns the number of condition rows of the form v:
// its cond.rows, at least profileFormRows and at most
// profileFormMaxRows.
func profileFormRowCount(v map[string][]string) int {
	n := profileFormRows
	if rows := first(v["cond.rows"]); rows != "" {
		if x, err := strconv.Atoi(rows); err == nil && x > n {
			n = x
		}
	}
	return min(n, profileFormMaxRows)
}

// first returns the first of vs, or "".
func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// parseProfileForm reads the draft profile of the posted editor form.
// Rows with neither a field nor a value are skipped. A value is read as
// the field's type asks: numbers for a number field, a list separated by
// commas for "in" and "between".
func parseProfileForm(v map[string][]string) *parsedProfile {
	get := func(name string) string { return strings.TrimSpace(first(v[name])) }
	p := &parsedProfile{errs: map[string]string{}}
	pr := &crossguard.Profile{
		Name: get("name"), Description: get("description"), Channel: get("channel"),
		ValidFrom: get("valid_from"), ValidTo: get("valid_to"), Owner: get("owner"),
	}
	pr.Distribution = get("distribution")
	pr.Recipients = listSplit(strings.ToLower(get("recipients")))
	pr.Marking = crossguard.Marking{TLP: get("marking.tlp"), Handling: get("marking.handling"), Conditions: get("marking.conditions")}
	if s := get("score"); s != "" {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			p.errs["score"] = "profileform.error.score"
		}
		pr.Score = x
	} else {
		p.errs["score"] = "profileform.error.score"
	}
	for n := range profileFormRowCount(v) {
		field, op, value := get(conditionInput(n, "field")), get(conditionInput(n, "op")), get(conditionInput(n, "value"))
		if field == "" && value == "" {
			continue
		}
		pr.Conditions = append(pr.Conditions, crossguard.Condition{Field: field, Op: op, Value: conditionValue(field, op, value)})
		p.rowOf = append(p.rowOf, n)
	}
	p.profile = pr
	return p
}

// conditionValue encodes the typed value of a condition as its JSON: a
// list for "in" and "between", each item a number when the field holds
// numbers and the item reads as one, else a string (which the node then
// refuses with its reason). An empty value is no value.
func conditionValue(field, op, value string) json.RawMessage {
	if value == "" {
		return nil
	}
	f, known := crossguard.LookupDeclarationField(field)
	number := known && f.Type == crossguard.FieldNumber
	item := func(s string) any {
		if number {
			if x, err := strconv.ParseFloat(s, 64); err == nil {
				return x
			}
		}
		return s
	}
	var out any
	switch op {
	case crossguard.OpIn, crossguard.OpBetween:
		var list []any
		for _, s := range strings.Split(value, ",") {
			if s = strings.TrimSpace(s); s != "" {
				list = append(list, item(s))
			}
		}
		out = list
	default:
		out = item(value)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil
	}
	return b
}

// conditionText writes a stored condition's value as the form shows it:
// a string or number as it is, a list separated by commas.
func conditionText(raw json.RawMessage) string {
	var x any
	if err := json.Unmarshal(raw, &x); err != nil {
		return string(raw)
	}
	one := func(x any) string {
		switch v := x.(type) {
		case string:
			return v
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
		b, _ := json.Marshal(x)
		return string(b)
	}
	if list, ok := x.([]any); ok {
		parts := make([]string, len(list))
		for i, e := range list {
			parts[i] = one(e)
		}
		return strings.Join(parts, ", ")
	}
	return one(x)
}

// profileErrorPath splits a field path of the node's errors about a
// profile: conditions[2].value[1] is condition 2, part "value".
var profileErrorPath = regexp.MustCompile(`^conditions\[(\d+)\]\.(field|op|value)`)

// inputOf returns the form input a field path of the node's errors
// refers to, "" for one the form has no input for.
func (p *parsedProfile) inputOf(path string) string {
	if m := profileErrorPath.FindStringSubmatch(path); m != nil {
		i, _ := strconv.Atoi(m[1])
		if i < len(p.rowOf) {
			return conditionInput(p.rowOf[i], m[2])
		}
		return ""
	}
	if strings.HasPrefix(path, "recipients") {
		return "recipients"
	}
	for _, name := range profileInputs {
		if path == name {
			return name
		}
	}
	return ""
}
