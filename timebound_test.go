package crossguard_test

import (
	"testing"
	"time"

	"crossguard"
)

func TestParseTimeBound(t *testing.T) {
	tests := []struct {
		name string
		in   string
		end  bool
		want time.Time
		err  bool
	}{
		{"empty is no bound", "", false, time.Time{}, false},
		{"date as lower bound", "2026-11-20", false, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), false},
		{"date as upper bound includes the day", "2026-11-20", true, time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC), false},
		{"rfc3339 with offset", "2026-11-20T10:00:00+05:00", true, time.Date(2026, 11, 20, 5, 0, 0, 0, time.UTC), false},
		{"garbage", "yesterday", false, time.Time{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := crossguard.ParseTimeBound(tc.in, tc.end)
			if (err != nil) != tc.err {
				t.Fatalf("err = %v, want error %v", err, tc.err)
			}
			if !got.Equal(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSeizureCursorRoundTrip(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	gotAt, gotID, err := crossguard.DecodeSeizureCursor(crossguard.EncodeSeizureCursor(at, "abc"))
	if err != nil || !gotAt.Equal(at) || gotID != "abc" {
		t.Fatalf("round trip = %v %q %v", gotAt, gotID, err)
	}
	if _, _, err := crossguard.DecodeSeizureCursor("not-a-cursor!"); crossguard.ErrorCode(err) != crossguard.EINVALID {
		t.Fatalf("bad cursor: code %q, want invalid", crossguard.ErrorCode(err))
	}
}
