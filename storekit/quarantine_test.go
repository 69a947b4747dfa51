package storekit

import (
	"reflect"
	"testing"
	"time"

	"crossguard"
)

// TestScanQuarantined checks that a version of the quarantine is read with
// its signed record and its time in UTC, whichever way the driver hands
// the time.
func TestScanQuarantined(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	want := &crossguard.Quarantined{HeldVersion: crossguard.HeldVersion{Kind: crossguard.KindSeizure, ID: "SZ-1", Origin: "tj-customs/dushanbe",
		Version: 2, Deleted: true, Via: "af-customs/a", Signed: crossguard.SignedRecord{Record: []byte(`{"v":2}`), Signature: "sig"}},
		Reason: "malformed", Actor: "cli:dpo", At: at}
	for _, tc := range []struct {
		name string
		at   any
	}{
		{"postgres hands a time in any zone", at.In(time.FixedZone("PKT", 5*3600))},
		{"sqlite hands the text it wrote", at.Format(time.RFC3339Nano)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ScanQuarantined(func(dest ...any) error {
				v := want.HeldVersion
				for i, src := range []any{v.Kind, v.ID, v.Origin, v.Version, v.Deleted, v.Via, string(v.Signed.Record), v.Signed.Signature,
					want.Reason, want.Actor} {
					reflect.ValueOf(dest[i]).Elem().Set(reflect.ValueOf(src))
				}
				return dest[10].(*Time).Scan(tc.at)
			})
			if err != nil {
				t.Fatalf("ScanQuarantined: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("ScanQuarantined = %+v, want %+v", got, want)
			}
		})
	}
}

// TestScanSigned checks that a row's signed record is read with its
// signature, and that a row that keeps none reads as nil.
func TestScanSigned(t *testing.T) {
	record, sig := `{"v":2}`, "sig"
	for _, tc := range []struct {
		name        string
		signed, sig *string
		want        *crossguard.SignedRecord
	}{
		{"a signed record with its signature", &record, &sig, &crossguard.SignedRecord{Record: []byte(record), Signature: sig}},
		{"a NULL signature is none", &record, nil, &crossguard.SignedRecord{Record: []byte(record)}},
		{"a NULL signed record is none at all", nil, &sig, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ScanSigned(func(dest ...any) error {
				*dest[0].(**string), *dest[1].(**string) = tc.signed, tc.sig
				return nil
			})
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ScanSigned = %+v, %v, want %+v", got, err, tc.want)
			}
		})
	}
}
