package httpapi

import (
	"net/http/httptest"
	"strings"
	"testing"

	"crossguard"
)

// TestDecodeJSONPaths checks that decoding errors name the exact path of
// the value at fault, array indices, embedded header fields and keys in
// another case included.
func TestDecodeJSONPaths(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, body, field, message string
	}{
		{"second goods line", `{"goods": [{"hs": "2939"}, {"hs": 5}]}`, "goods[1].hs", "must be a string, not a number"},
		{"nested object", `{"goods": [{}, {"value": {"amount": "x"}}]}`, "goods[1].value.amount", "must be a number, not a string"},
		{"object for a number", `{"place": {"lat": [1]}}`, "place.lat", "must be a number, not an array"},
		{"array for an object", `{"place": [1]}`, "place", "must be an object, not an array"},
		{"transit element", `{"route": {"transit": ["AF", 3]}}`, "route.transit[1]", "must be a string, not a number"},
		{"fractional version", `{"version": 1.5}`, "version", "must be an integer, not the number 1.5"},
		{"number out of range", `{"goods": [{"quantity": 1e999}]}`, "goods[0].quantity", "the number 1e999 is out of range"},
		{"key in another case", `{"Goods": [{"Quantity": "1"}]}`, "Goods[0].Quantity", "must be a number, not a string"},
		{"header time", `{"created_at": true}`, "created_at", "must be an RFC 3339 date and time as a string, such as 2026-11-20T09:30:00Z"},
		{"time of day missing", `{"occurred_at": "2026-11-20"}`, "occurred_at", "must be an RFC 3339 date and time as a string, such as 2026-11-20T09:30:00Z"},
		{"unknown nested field", `{"goods": [{}, {"bogus": {"a": [1]}}]}`, "goods[1].bogus", "unknown field: see API.md for the fields of this record"},
		{"unknown field after known ones", `{"place": {"name": "x"}, "name": "y"}`, "name", "unknown field: see API.md for the fields of this record"},
		{"empty key", `{"place": {"": 1}}`, `place.""`, "unknown field: see API.md for the fields of this record"},
	}
	s := New(Services{}, nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tc.body))
			r.Header.Set("Content-Type", "application/json; charset=UTF-8")
			var v crossguard.Seizure
			err := s.decodeJSON(httptest.NewRecorder(), r, &v)
			if crossguard.ErrorCode(err) != crossguard.EINVALID {
				t.Fatalf("error %v, want code invalid", err)
			}
			fields := crossguard.ErrorFields(err)
			if len(fields) != 1 || fields[0].Field != tc.field || fields[0].Message != tc.message {
				t.Fatalf("fields %+v, want %s: %s", fields, tc.field, tc.message)
			}
		})
	}
}

// TestDecodeJSONPositions checks the line and column of syntax errors and
// trailing data.
func TestDecodeJSONPositions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, body, message string
	}{
		{"bad value", "{\n\"x\":\n  ?}", "malformed JSON at line 3, column 3 (byte 10): invalid character '?' looking for beginning of value"},
		{"missing colon", `{"a" 1}`, "malformed JSON at line 1, column 6 (byte 6): invalid character '1' after object key"},
		{"truncated", `{"a"`, "malformed JSON: the body ends at line 1, column 5 before the JSON object is complete"},
		{"trailing", "{}\n  x", "request body has data after the JSON object, at line 2, column 3 (byte 6): send exactly one JSON object"},
		{"not an object", `12`, "request body must be a JSON object, not a number"},
	}
	s := New(Services{}, nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tc.body))
			r.Header.Set("Content-Type", "application/json")
			var v crossguard.Seizure
			err := s.decodeJSON(httptest.NewRecorder(), r, &v)
			if crossguard.ErrorCode(err) != crossguard.EINVALID || crossguard.ErrorMessage(err) != tc.message {
				t.Fatalf("error %q (%s), want %q", crossguard.ErrorMessage(err), crossguard.ErrorCode(err), tc.message)
			}
		})
	}
}
