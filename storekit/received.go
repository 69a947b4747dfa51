package storekit

import (
	"encoding/json"
	"fmt"
)

// EncodePath returns a received copy's path as the stores keep it: a JSON
// array of node ids, or "" for none.
func EncodePath(path []string) string {
	if len(path) == 0 {
		return ""
	}
	b, err := json.Marshal(path)
	if err != nil {
		panic(fmt.Sprintf("storekit: encode a path: %v", err)) // a []string always encodes
	}
	return string(b)
}

// DecodePath returns the path kept as s by EncodePath (or as an empty JSON
// array), nil for none.
func DecodePath(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	var path []string
	if err := json.Unmarshal([]byte(s), &path); err != nil {
		return nil, fmt.Errorf("decode path %q: %w", s, err)
	}
	if len(path) == 0 {
		return nil, nil
	}
	return path, nil
}

// WithdrawnBody is the body a withdrawn copy keeps: what names the record.
func WithdrawnBody(id, kind, origin string, version int64) (string, error) {
	b, err := json.Marshal(struct {
		ID      string `json:"id"`
		Kind    string `json:"kind"`
		Origin  string `json:"origin"`
		Version int64  `json:"version"`
	}{id, kind, origin, version})
	if err != nil {
		return "", fmt.Errorf("encode withdrawn copy %s: %w", id, err)
	}
	return string(b), nil
}
