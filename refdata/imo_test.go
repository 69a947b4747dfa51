package refdata

import "testing"

func TestCheckIMO(t *testing.T) {
	tests := []struct {
		name, number, wantErr string
	}{
		{"with prefix", "IMO9074729", ""},
		{"with prefix and space", "IMO 9074729", ""},
		{"digits only", "9074729", ""},
		{"another", "9321483", ""},
		{"check digit 0", "9811000", ""},
		{"empty", "", "IMO number is empty"},
		{"wrong check digit", "IMO9074728", `"IMO9074728": check digit is 8, expected 9`},
		{"wrong check digit, digits only", "9321484", `"9321484": check digit is 4, expected 3`},
		{"transposed digits", "9704729", `"9704729": check digit is 9, expected 6`},
		{"six digits", "907472", `"907472" must be 7 digits, optionally preceded by "IMO", as in "IMO9074729"`},
		{"eight digits", "IMO90747290", `"IMO90747290" must be 7 digits, optionally preceded by "IMO", as in "IMO9074729"`},
		{"prefix only", "IMO", `"IMO" must be 7 digits, optionally preceded by "IMO", as in "IMO9074729"`},
		{"two spaces", "IMO  9074729", `"IMO  9074729" must be 7 digits, optionally preceded by "IMO", as in "IMO9074729"`},
		{"leading space", " 9074729", `" 9074729" must be 7 digits, optionally preceded by "IMO", as in "IMO9074729"`},
		{"hyphen", "IMO-9074729", `"IMO-9074729" must be 7 digits, optionally preceded by "IMO", as in "IMO9074729"`},
		{"lower-case prefix", "imo9074729", `"imo9074729": write the prefix in upper case, "IMO"`},
		{"letter", "907472X", `"907472X" must be 7 digits, optionally preceded by "IMO", as in "IMO9074729"`},
		{"MMSI is not an IMO number", "463012345", `"463012345" must be 7 digits, optionally preceded by "IMO", as in "IMO9074729"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertErr(t, "CheckIMO", tt.number, CheckIMO(tt.number), tt.wantErr)
		})
	}
}
