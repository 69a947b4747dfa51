package refdata

import "testing"

func TestCheckLOCODE(t *testing.T) {
	tests := []struct {
		name, code, want, wantErr string // want is the normalized form
	}{
		{"Karachi", "PKKHI", "PKKHI", ""},
		{"with space", "PK KHI", "PKKHI", ""},
		{"format only", "PKSST", "PKSST", ""},
		{"digits 2-9", "CN2A9", "CN2A9", ""},
		{"empty", "", "", "UN/LOCODE is empty"},
		{"lower case", "pkkhi", "", `"pkkhi" must be written in upper case: "PKKHI"`},
		{"lower case with space", "pk khi", "", `"pk khi" must be written in upper case: "PK KHI"`},
		{"unknown country", "XXABC", "", `"XXABC": "XX" is not an ISO 3166-1 alpha-2 country code`},
		{"Kosovo", "XKPRN", "", `"XKPRN": "XK" is not an ISO 3166-1 alpha-2 country code`},
		{"digit 0", "PKK0I", "", `"PKK0I": location code "K0I" may contain only letters A-Z and digits 2-9`},
		{"digit 1", "PK1HI", "", `"PK1HI": location code "1HI" may contain only letters A-Z and digits 2-9`},
		{"lower-case location, bad too", "PKk0i", "", `"PKk0i": location code "k0i" may contain only letters A-Z and digits 2-9`},
		{"too short", "PKKH", "", `"PKKH" must be 5 characters, a country code and a 3-character location code, optionally separated by one space, as in "PKKHI" or "PK KHI"`},
		{"too long", "PKKHIX", "", `"PKKHIX" must be 5 characters, a country code and a 3-character location code, optionally separated by one space, as in "PKKHI" or "PK KHI"`},
		{"hyphen", "PK-KHI", "", `"PK-KHI" must be 5 characters, a country code and a 3-character location code, optionally separated by one space, as in "PKKHI" or "PK KHI"`},
		{"two spaces", "PK  KHI", "", `"PK  KHI" must be 5 characters, a country code and a 3-character location code, optionally separated by one space, as in "PKKHI" or "PK KHI"`},
		{"space elsewhere", "PKK HI", "", `"PKK HI" must be 5 characters, a country code and a 3-character location code, optionally separated by one space, as in "PKKHI" or "PK KHI"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertErr(t, "CheckLOCODE", tt.code, CheckLOCODE(tt.code), tt.wantErr)
			got, err := NormalizeLOCODE(tt.code)
			assertErr(t, "NormalizeLOCODE", tt.code, err, tt.wantErr)
			if got != tt.want {
				t.Errorf("NormalizeLOCODE(%q) = %q, want %q", tt.code, got, tt.want)
			}
		})
	}
}
