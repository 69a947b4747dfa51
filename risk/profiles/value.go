package profiles

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
)

// kindOf names the JSON kind of a raw value for messages.
func kindOf(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch c := raw[0]; {
	case c == '"':
		return "a string"
	case c == '[':
		return "a list"
	case c == '{':
		return "an object"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c == '-' || (c >= '0' && c <= '9'):
		return "a number"
	}
	return "not JSON"
}

// textValue reads a text value: a JSON string, or a JSON number taken
// by its text as written (office_id 30 is "30").
func textValue(raw []byte) (string, error) {
	raw = bytes.TrimSpace(raw)
	switch kindOf(raw) {
	case "a string":
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", errors.New("not a valid JSON string")
		}
		return s, nil
	case "a number":
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil {
			return "", errors.New("not a valid JSON number")
		}
		return n.String(), nil
	}
	return "", errors.New("must be text (a string, or a number taken as written), not " + kindOf(raw))
}

// numberValue reads a finite JSON number.
func numberValue(raw []byte) (float64, error) {
	raw = bytes.TrimSpace(raw)
	switch k := kindOf(raw); k {
	case "a number":
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil {
			return 0, errors.New("not a valid JSON number")
		}
		f, err := strconv.ParseFloat(n.String(), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return 0, errors.New("must be a finite number, got " + n.String())
		}
		return f, nil
	case "a string":
		var s string
		_ = json.Unmarshal(raw, &s)
		return 0, errors.New("must be a number such as 50, not the string " + strconv.Quote(s))
	default:
		return 0, errors.New("must be a number such as 50, not " + k)
	}
}

// listValue reads a JSON list of raw elements.
func listValue(raw []byte) ([]json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if kindOf(raw) != "a list" {
		return nil, errors.New("must be a list, not " + kindOf(raw))
	}
	var l []json.RawMessage
	if err := json.Unmarshal(raw, &l); err != nil {
		return nil, errors.New("not a valid JSON list")
	}
	return l, nil
}
