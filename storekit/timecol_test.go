package storekit

import (
	"testing"
	"time"
)

func TestTimeScan(t *testing.T) {
	want := time.Date(2026, 3, 4, 5, 6, 7, 890123456, time.UTC)
	karachi := time.FixedZone("PKT", 5*3600)
	tests := []struct {
		name      string
		src       any
		wantValid bool
		wantErr   bool
	}{
		{"postgres hands a time.Time, in any zone", want.In(karachi), true, false},
		{"sqlite hands the text it wrote", "2026-03-04T05:06:07.890123456Z", true, false},
		{"text may come as bytes", []byte("2026-03-04T05:06:07.890123456Z"), true, false},
		{"NULL is not valid", nil, false, false},
		{"text that is no time fails", "yesterday", false, true},
		{"another type fails", int64(7), false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got Time
			err := got.Scan(tc.src)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Scan(%v) error = %v, want error %v", tc.src, err, tc.wantErr)
			}
			if tc.wantErr {
				return
			}
			if got.Valid != tc.wantValid {
				t.Fatalf("Scan(%v).Valid = %v, want %v", tc.src, got.Valid, tc.wantValid)
			}
			if !tc.wantValid {
				if got.Ptr() != nil {
					t.Fatalf("Ptr of NULL = %v, want nil", got.Ptr())
				}
				return
			}
			if !got.Time.Equal(want) || got.Time.Location() != time.UTC || !got.Ptr().Equal(want) {
				t.Fatalf("Scan(%v) = %v (%v), want %v in UTC", tc.src, got.Time, got.Time.Location(), want)
			}
		})
	}
}
