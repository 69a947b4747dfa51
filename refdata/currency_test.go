package refdata

import (
	"slices"
	"strings"
	"testing"
)

func TestCurrencies(t *testing.T) {
	all := Currencies()
	if len(all) != 176 {
		t.Errorf("len(Currencies()) = %d, want 176", len(all))
	}
	if !slices.IsSortedFunc(all, func(a, b CurrencyEntry) int { return strings.Compare(a.Code, b.Code) }) {
		t.Error("Currencies() is not sorted by code")
	}
}

func TestCurrency(t *testing.T) {
	active := map[string]string{
		"USD": "US Dollar", "EUR": "Euro", "CNY": "Yuan Renminbi", "PKR": "Pakistan Rupee",
		"AFN": "Afghani", "INR": "Indian Rupee", "IRR": "Iranian Rial", "TJS": "Somoni",
		"KGS": "Som", "KZT": "Tenge", "UZS": "Uzbekistan Sum", "RUB": "Russian Ruble",
		"GBP": "Pound Sterling", "CHF": "Swiss Franc", "JPY": "Yen", "AED": "UAE Dirham",
		"SAR": "Saudi Riyal", "TMT": "Turkmenistan New Manat", "XAU": "Gold",
		"XCG": "Caribbean Guilder", "ZWG": "Zimbabwe Gold", "SLE": "Leone", "VED": "Bolívar Soberano",
	}
	for code, want := range active {
		t.Run(code, func(t *testing.T) {
			if got, ok := Currency(code); !ok || got != want {
				t.Errorf("Currency(%q) = %q, %v; want %q", code, got, ok, want)
			}
		})
	}
	withdrawn := []string{"HRK", "ANG", "ZWL", "CUC", "SLL", "BGN", "DEM", "XTS", "XXX", "usd", "US", ""}
	for _, code := range withdrawn {
		t.Run("not "+code, func(t *testing.T) {
			if got, ok := Currency(code); ok {
				t.Errorf("Currency(%q) = %q, true; want not found", code, got)
			}
		})
	}
}

func TestCheckCurrency(t *testing.T) {
	tests := []struct {
		name, code, wantErr string
	}{
		{"valid", "PKR", ""},
		{"valid metal", "XAU", ""},
		{"empty", "", "currency code is empty"},
		{"withdrawn", "HRK", `"HRK" is not an active ISO 4217 currency code`},
		{"testing code", "XTS", `"XTS" is not an active ISO 4217 currency code`},
		{"lower case", "pkr", `"pkr" is not an active ISO 4217 currency code: use upper case: "PKR"`},
		{"two letters", "PK", `"PK" is not an active ISO 4217 currency code: it must be 3 letters`},
		{"numeric code", "586", `"586" is not an active ISO 4217 currency code: it must be 3 letters`},
		{"symbol", "$", `"$" is not an active ISO 4217 currency code: it must be 3 letters`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertErr(t, "CheckCurrency", tt.code, CheckCurrency(tt.code), tt.wantErr)
		})
	}
}
