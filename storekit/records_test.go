package storekit

import (
	"encoding/json"
	"testing"
	"time"

	"crossguard"
)

// scanOf returns a Scan that hands target and body to ScanRecord's
// destinations, as a driver would.
func scanOf(target *string, body []byte) Scan {
	return func(dest ...any) error {
		*dest[0].(**string) = target
		*dest[1].(*[]byte) = body
		return nil
	}
}

// TestScanRecord checks that a record is read from its target and body,
// its header from the body.
func TestScanRecord(t *testing.T) {
	ref := "SZ-1"
	body := []byte(`{"id":"AN-1","kind":"annotation","origin":"pk-customs/hq","version":2}`)
	tests := []struct {
		name       string
		target     *string
		body       []byte
		wantTarget string
		wantErr    bool
	}{
		{"a record with a target", &ref, body, ref, false},
		{"NULL is no target", nil, body, "", false},
		{"a body that is no JSON fails", nil, []byte(`{`), "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ScanRecord(scanOf(tc.target, tc.body))
			if (err != nil) != tc.wantErr {
				t.Fatalf("ScanRecord error = %v, want error %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if r.Target != tc.wantTarget || r.ID != "AN-1" || r.Kind != "annotation" || r.Version != 2 || string(r.Body) != string(body) {
				t.Errorf("ScanRecord = %+v", r)
			}
		})
	}
}

// TestTombstone checks that a tombstone is the header of the last
// version, at the next version and updated when deleted, and nothing more.
func TestTombstone(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	created := at.Add(-time.Hour)
	stored, err := json.Marshal(&crossguard.Seizure{Header: crossguard.Header{ID: "SZ-1", Kind: crossguard.KindSeizure,
		Origin: "pk-customs/hq", Version: 3, CreatedAt: created, UpdatedAt: created}, Country: "PK"})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the header of the last version at the next version", func(t *testing.T) {
		next, tomb, err := Tombstone(stored, 3, at)
		if err != nil {
			t.Fatalf("Tombstone: %v", err)
		}
		var h crossguard.Header
		if err := json.Unmarshal([]byte(tomb), &h); err != nil {
			t.Fatalf("decode the tombstone %s: %v", tomb, err)
		}
		want := crossguard.Header{ID: "SZ-1", Kind: crossguard.KindSeizure, Origin: "pk-customs/hq", Version: 4, CreatedAt: created, UpdatedAt: at}
		if next != 4 || !h.CreatedAt.Equal(want.CreatedAt) || !h.UpdatedAt.Equal(at) || h.ID != want.ID || h.Kind != want.Kind ||
			h.Origin != want.Origin || h.Version != want.Version {
			t.Errorf("Tombstone = %d, %s", next, tomb)
		}
		var all map[string]any
		if err := json.Unmarshal([]byte(tomb), &all); err != nil || all["country"] != nil {
			t.Errorf("the tombstone %s keeps more than the header", tomb)
		}
	})
	t.Run("a body that is no JSON fails", func(t *testing.T) {
		if _, _, err := Tombstone([]byte(`{`), 3, at); err == nil {
			t.Error("Tombstone of a broken body: no error")
		}
	})
}
