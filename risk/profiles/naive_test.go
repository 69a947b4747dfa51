package profiles

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"crossguard"
)

// naiveMatch evaluates a profile on a declaration condition by condition,
// straight from the registry and the raw JSON values: the reference the
// index must agree with.
func naiveMatch(p *crossguard.Profile, d *crossguard.Declaration, day string) bool {
	if !p.ValidOn(day) {
		return false
	}
	for _, c := range p.Conditions {
		if !naiveCondition(c, d) {
			return false
		}
	}
	return true
}

// rawValue decodes a condition value keeping numbers as written.
func rawValue(raw json.RawMessage) any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	return v
}

func asText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	}
	return "\x00not text"
}

func asNumber(v any) float64 {
	n, _ := v.(json.Number)
	f, _ := strconv.ParseFloat(string(n), 64)
	return f
}

func naiveCondition(c crossguard.Condition, d *crossguard.Declaration) bool {
	f, ok := crossguard.LookupDeclarationField(c.Field)
	if !ok {
		return false
	}
	v := rawValue(c.Value)
	list, _ := v.([]any)
	if f.Type == crossguard.FieldText {
		s := f.Text(d)
		switch c.Op {
		case crossguard.OpEq:
			return s == asText(v)
		case crossguard.OpPrefix:
			return strings.HasPrefix(s, asText(v))
		case crossguard.OpIn:
			for _, e := range list {
				if s == asText(e) {
					return true
				}
			}
		}
		return false
	}
	x := f.Number(d)
	switch c.Op {
	case crossguard.OpEq:
		return x == asNumber(v)
	case crossguard.OpIn:
		for _, e := range list {
			if x == asNumber(e) {
				return true
			}
		}
		return false
	case crossguard.OpLt:
		return x < asNumber(v)
	case crossguard.OpLe:
		return x <= asNumber(v)
	case crossguard.OpGt:
		return x > asNumber(v)
	case crossguard.OpGe:
		return x >= asNumber(v)
	case crossguard.OpBetween:
		return len(list) == 2 && x >= asNumber(list[0]) && x <= asNumber(list[1])
	}
	return false
}
