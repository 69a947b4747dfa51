package storekit

import (
	"encoding/json"
	"fmt"
	"time"

	"crossguard"
)

// ScanRecord reads a record of a kind other than seizure from the columns
// target (NULL or "" for none) and body: the header comes from the body,
// which holds all of it (recipients included).
func ScanRecord(scan Scan) (*crossguard.Record, error) {
	var target *string
	var body []byte
	if err := scan(&target, &body); err != nil {
		return nil, err
	}
	r := &crossguard.Record{Body: body}
	if target != nil {
		r.Target = *target
	}
	if err := json.Unmarshal(body, &r.Header); err != nil {
		return nil, fmt.Errorf("decode stored record: %w", err)
	}
	return r, nil
}

// Tombstone returns the tombstone that replaces an own live record, of
// any kind, stored at version with body: the header of that last version
// (the body holds it), at the next version, updated at at, encoded as a
// store keeps it. It returns that next version too.
func Tombstone(body []byte, version int64, at time.Time) (int64, string, error) {
	var h crossguard.Header
	if err := json.Unmarshal(body, &h); err != nil {
		return 0, "", fmt.Errorf("decode stored record: %w", err)
	}
	h.Version, h.UpdatedAt = version+1, at
	tomb, err := json.Marshal(&h)
	if err != nil {
		return 0, "", fmt.Errorf("encode tombstone: %w", err)
	}
	return h.Version, string(tomb), nil
}
