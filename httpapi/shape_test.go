package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
)

// documentedCodes maps each documented error code to its status (API.md).
var documentedCodes = map[string]int{
	"invalid":             http.StatusBadRequest,
	"unauthorized":        http.StatusUnauthorized,
	"forbidden":           http.StatusForbidden,
	"not_found":           http.StatusNotFound,
	"conflict":            http.StatusConflict,
	"precondition_failed": http.StatusPreconditionFailed,
	"too_large":           http.StatusRequestEntityTooLarge,
	"internal":            http.StatusInternalServerError,
}

// checkErrorShape reports how body fails to be the documented error body
// {"error": {"code", "message", "fields": [{"field", "message"}]}} of a
// response with status, or returns nil.
func checkErrorShape(status int, body []byte) error {
	var top map[string]json.RawMessage
	if err := strictJSON(body, &top); err != nil {
		return fmt.Errorf("not a JSON object: %v", err)
	}
	if len(top) != 1 || top["error"] == nil {
		return fmt.Errorf("want exactly the key \"error\", got %d keys", len(top))
	}
	var inner map[string]json.RawMessage
	if err := strictJSON(top["error"], &inner); err != nil {
		return fmt.Errorf("error is not an object: %v", err)
	}
	for k := range inner {
		if k != "code" && k != "message" && k != "fields" {
			return fmt.Errorf("unexpected key %q in error", k)
		}
	}
	var code, message string
	if err := strictJSON(inner["code"], &code); err != nil || code == "" {
		return fmt.Errorf("code is not a non-empty string")
	}
	if err := strictJSON(inner["message"], &message); err != nil || message == "" {
		return fmt.Errorf("message is not a non-empty string")
	}
	want, ok := documentedCodes[code]
	switch {
	case !ok:
		return fmt.Errorf("undocumented code %q", code)
	case status == http.StatusMethodNotAllowed && code == "invalid",
		status == http.StatusServiceUnavailable && code == "internal":
	case status != want:
		return fmt.Errorf("code %q with status %d, documented with %d", code, status, want)
	}
	if code == "internal" && status == http.StatusInternalServerError && message != "Internal error." {
		return fmt.Errorf("internal error with message %q: details must stay in the log", message)
	}
	raw, ok := inner["fields"]
	if !ok {
		return nil
	}
	var fields []map[string]json.RawMessage
	if err := strictJSON(raw, &fields); err != nil || len(fields) == 0 {
		return fmt.Errorf("fields is not a non-empty array of objects (omit it when empty)")
	}
	for i, f := range fields {
		var name, msg string
		n := 2
		if raw, ok := f["personal_data"]; ok {
			var pd struct {
				Kind       string
				Start, End int
				Masked     string
			}
			if err := strictJSON(raw, &pd); err != nil || pd.Kind == "" || pd.End <= pd.Start || pd.Masked == "" {
				return fmt.Errorf("fields[%d].personal_data is not {\"kind\", \"start\", \"end\", \"masked\"}", i)
			}
			n = 3
		}
		if len(f) != n || strictJSON(f["field"], &name) != nil || strictJSON(f["message"], &msg) != nil || msg == "" {
			return fmt.Errorf("fields[%d] is not {\"field\": string, \"message\": non-empty string} (and personal_data)", i)
		}
	}
	return nil
}

// strictJSON decodes exactly one JSON value of data into v.
func strictJSON(data []byte, v any) error {
	if len(data) == 0 {
		return fmt.Errorf("missing")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data")
	}
	return nil
}
