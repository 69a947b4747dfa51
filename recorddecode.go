package crossguard

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"

	"crossguard/canonjson"
)

// DecodeRecord decodes data, the JSON of one record version as its origin
// signed it, into v, a pointer to the record's Go type. It is the one rule
// by which every version received from a peer (and every version held,
// when rescanned) is read, of every kind, tombstones included, so that a
// received version passes what a local write passes: the API refuses
// unknown fields, and so does this.
//
// The rule: data must be valid JSON with a canonical form (RFC 8785: no
// duplicate keys, valid UTF-8, numbers that are doubles); it decodes
// without unknown fields or trailing data; and every member of data must
// appear, with the same value, in the canonical encoding of what it
// decoded to. That last check closes what encoding/json leaves open: it
// matches keys without regard to case and keeps the last of two keys
// that differ only in case, while the signed bytes are stored and
// relayed as they are, so {"Narrative": "…"} or a case-variant duplicate
// would otherwise travel on unchecked. A member missing from the
// re-encoding is allowed only if it is a field of v's type under its
// exact name and its value is empty (null, "", 0, false, [] or {}): the
// omitempty fields of an older or newer crossguard.
//
// The error names the member at fault by its path, such as "unknown
// field goods[0].passport". The caller validates the values afterwards.
func DecodeRecord(data []byte, v any) error {
	canon, err := canonjson.Canonicalize(data)
	if err != nil {
		return fmt.Errorf("not canonical JSON: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(canon))
	dec.DisallowUnknownFields()
	decodeErr := dec.Decode(v)
	if decodeErr == nil {
		if _, err := dec.Token(); err != io.EOF {
			return errors.New("data after the record")
		}
	} else if !strings.HasPrefix(decodeErr.Error(), "json: unknown field ") {
		return decodeErr
	}
	decoded := v
	if decodeErr != nil {
		// Decode again without the check, so that the comparison below
		// names the unknown field by its path.
		decoded = reflect.New(reflect.TypeOf(v).Elem()).Interface()
		if err := json.Unmarshal(canon, decoded); err != nil {
			return decodeErr
		}
	}
	// Go writes its strings and numbers otherwise than the canonical form
	// may (escapes, exponents); the comparison reads both as values.
	again, err := json.Marshal(decoded)
	if err != nil {
		return fmt.Errorf("encode the decoded record: %w", err)
	}
	got, err := parseCanonical(canon)
	if err != nil {
		return err
	}
	want, err := parseCanonical(again)
	if err != nil {
		return err
	}
	if err := sameMembers(got, want, "", fieldNames(reflect.TypeOf(v))); err != nil {
		return err
	}
	return decodeErr // nil, unless the comparison missed an unknown field
}

// parseCanonical parses JSON into maps, slices and json.Numbers (see
// sameNumber).
func parseCanonical(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("parse canonical JSON: %w", err)
	}
	return v, nil
}

// sameMembers checks that every member of got (at path) is in want with
// the same value, or is an empty value under a field name of the record's
// type (names).
func sameMembers(got, want any, path string, names map[string]bool) error {
	switch g := got.(type) {
	case map[string]any:
		w, ok := want.(map[string]any)
		if !ok {
			return fmt.Errorf("field %s: the value is not what it decodes to", pathOr(path))
		}
		for _, k := range slices.Sorted(maps.Keys(g)) {
			p := k
			if path != "" {
				p = path + "." + k
			}
			wv, ok := w[k]
			switch {
			case ok:
				if err := sameMembers(g[k], wv, p, names); err != nil {
					return err
				}
			case !isEmptyJSON(g[k]) || !names[k]:
				return fmt.Errorf("unknown field %s", p)
			}
		}
	case []any:
		w, ok := want.([]any)
		if !ok || len(w) != len(g) {
			return fmt.Errorf("field %s: the value is not what it decodes to", pathOr(path))
		}
		for i := range g {
			if err := sameMembers(g[i], w[i], fmt.Sprintf("%s[%d]", path, i), names); err != nil {
				return err
			}
		}
	case json.Number:
		if w, ok := want.(json.Number); !ok || !sameNumber(g, w) {
			return fmt.Errorf("field %s: the value is not what it decodes to", pathOr(path))
		}
	default:
		if got != want {
			return fmt.Errorf("field %s: the value is not what it decodes to", pathOr(path))
		}
	}
	return nil
}

// sameNumber reports whether two numbers are the same: the same text (the
// canonical form and encoding/json write the same numbers alike), or the
// same double.
func sameNumber(a, b json.Number) bool {
	if a == b {
		return true
	}
	x, errA := a.Float64()
	y, errB := b.Float64()
	return errA == nil && errB == nil && x == y
}

// pathOr names the record itself when path is empty.
func pathOr(path string) string {
	if path == "" {
		return "(the record)"
	}
	return path
}

// isEmptyJSON reports whether v is null, "", 0, false, [] or {}.
func isEmptyJSON(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case json.Number:
		return x == "0"
	case bool:
		return !x
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// fieldNamesCache holds the field names of record types, by type.
var fieldNamesCache sync.Map

// fieldNames returns the JSON names of the struct fields of t and of
// every type it contains, exactly as encoding/json writes them.
func fieldNames(t reflect.Type) map[string]bool {
	if names, ok := fieldNamesCache.Load(t); ok {
		return names.(map[string]bool)
	}
	names := map[string]bool{}
	collectFieldNames(t, names, map[reflect.Type]bool{})
	fieldNamesCache.Store(t, names)
	return names
}

// collectFieldNames adds the JSON field names of t to names.
func collectFieldNames(t reflect.Type, names map[string]bool, seen map[reflect.Type]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return
	}
	seen[t] = true
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			collectFieldNames(f.Type, names, seen)
			continue
		}
		if name == "" {
			name = f.Name
		}
		names[name] = true
		collectFieldNames(f.Type, names, seen)
	}
}
