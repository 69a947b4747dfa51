package refdata

import (
	"slices"
	"strings"
	"testing"
)

func TestCountries(t *testing.T) {
	all := Countries()
	if len(all) != 249 {
		t.Fatalf("len(Countries()) = %d, want 249", len(all))
	}
	if !slices.IsSortedFunc(all, func(a, b CountryEntry) int { return strings.Compare(a.Code, b.Code) }) {
		t.Error("Countries() is not sorted by code")
	}
	all[0].Name = "changed"
	if Countries()[0].Name == "changed" {
		t.Error("changing the result of Countries() changed the table")
	}
}

func TestCountry(t *testing.T) {
	tests := []struct {
		name, code, want string // want "" means not found
	}{
		{"Pakistan", "PK", "Pakistan"},
		{"China", "CN", "China"},
		{"Afghanistan", "AF", "Afghanistan"},
		{"Iran", "IR", "Iran, Islamic Republic of"},
		{"first", "AD", "Andorra"},
		{"last", "ZW", "Zimbabwe"},
		{"non-ASCII name", "CI", "Côte d'Ivoire"},
		{"Kosovo is user-assigned", "XK", ""},
		{"EU is exceptionally reserved", "EU", ""},
		{"UK is exceptionally reserved", "UK", ""},
		{"lower case", "pk", ""},
		{"alpha-3", "PAK", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Country(tt.code)
			if ok != (tt.want != "") || got != tt.want {
				t.Errorf("Country(%q) = %q, %v; want %q", tt.code, got, ok, tt.want)
			}
		})
	}
}

func TestCheckCountry(t *testing.T) {
	tests := []struct {
		name, code, wantErr string
	}{
		{"valid", "PK", ""},
		{"valid Tajikistan", "TJ", ""},
		{"empty", "", "country code is empty"},
		{"unassigned", "XX", `"XX" is not an ISO 3166-1 alpha-2 country code`},
		{"Kosovo", "XK", `"XK" is not an ISO 3166-1 alpha-2 country code`},
		{"lower case", "pk", `"pk" is not an ISO 3166-1 alpha-2 country code: use upper case: "PK"`},
		{"mixed case", "Pk", `"Pk" is not an ISO 3166-1 alpha-2 country code: use upper case: "PK"`},
		{"lower case unassigned", "xx", `"xx" is not an ISO 3166-1 alpha-2 country code`},
		{"alpha-3", "PAK", `"PAK" is not an ISO 3166-1 alpha-2 country code: it must be 2 letters`},
		{"digits", "12", `"12" is not an ISO 3166-1 alpha-2 country code: it must be 2 letters`},
		{"space", "PK ", `"PK " is not an ISO 3166-1 alpha-2 country code: it must be 2 letters`},
		{"dotless i is not upper-cased", "cı", `"cı" is not an ISO 3166-1 alpha-2 country code: it must be 2 letters`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertErr(t, "CheckCountry", tt.code, CheckCountry(tt.code), tt.wantErr)
		})
	}
}

func TestParseCodesPanics(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"bad header", "alpha2,name\n", `header is ["alpha2" "name"]`},
		{"lower-case code", "code,name\npk,Pakistan\n", `row 2: code "pk" is not 2 letters A-Z`},
		{"long code", "code,name\nPAK,Pakistan\n", `row 2: code "PAK" is not 2 letters A-Z`},
		{"out of order", "code,name\nPK,Pakistan\nCN,China\n", "row 3: code CN is out of order or repeated (after PK)"},
		{"repeated", "code,name\nPK,Pakistan\nPK,Pakistan\n", "row 3: code PK is out of order or repeated (after PK)"},
		{"no name", "code,name\nPK, \n", "row 2: code PK has no name"},
		{"extra field", "code,name\nPK,Pakistan,PAK\n", "wrong number of fields"},
		{"empty", "code,name\n", "has no codes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := panicMessage(func() {
				parseCodes("countries.csv", []byte(tt.data), 2, func(c, n string) CountryEntry { return CountryEntry{c, n} })
			})
			if !strings.HasPrefix(msg, "refdata: embedded countries.csv") || !strings.Contains(msg, tt.want) {
				t.Errorf("panic %q, want one containing %q", msg, tt.want)
			}
		})
	}
}
