package crossguard

import "testing"

func TestCheckProfileState(t *testing.T) {
	tests := []struct {
		name, id, state string
		wantErr         bool
	}{
		{"active", "p-1", ProfileActive, false},
		{"inactive", "p-1", ProfileInactive, false},
		{"disabled", "p-1", ProfileDisabled, false},
		{"unknown state refused", "p-1", "paused", true},
		{"empty state refused", "p-1", "", true},
		{"no profile id refused", "", ProfileActive, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckProfileState(tc.id, tc.state)
			if tc.wantErr && ErrorCode(err) != EINVALID || !tc.wantErr && err != nil {
				t.Fatalf("CheckProfileState(%q, %q) = %v, want error %v (EINVALID)", tc.id, tc.state, err, tc.wantErr)
			}
		})
	}
}
