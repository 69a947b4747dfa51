package refdata

import (
	_ "embed"
	"sync"
)

//go:embed currencies.csv
var currenciesCSV []byte

// CurrencyEntry is one active ISO 4217 alphabetic code and the name of its
// currency, fund or precious metal.
type CurrencyEntry struct {
	Code string `json:"code"` // "PKR"
	Name string `json:"name"` // "Pakistan Rupee"
}

// currencyData parses the embedded currency list on first use.
var currencyData = sync.OnceValue(func() codeTable[CurrencyEntry] {
	list, names := parseCodes("currencies.csv", currenciesCSV, 3,
		func(code, name string) CurrencyEntry { return CurrencyEntry{Code: code, Name: name} })
	return codeTable[CurrencyEntry]{list, names}
})

// Currency returns the ISO 4217 name of the currency with this alphabetic
// code, and whether the code is active. Codes must be upper case. Withdrawn
// codes (HRK, ANG, ZWL, BGN, ...) and the codes XTS (testing) and XXX (no
// currency) are not found.
func Currency(code string) (name string, ok bool) {
	name, ok = currencyData().names[code]
	return name, ok
}

// Currencies returns every active ISO 4217 alphabetic code with its name,
// sorted by code. The slice is a fresh copy.
func Currencies() []CurrencyEntry {
	return append([]CurrencyEntry(nil), currencyData().list...)
}

// CheckCurrency returns nil if code is an active ISO 4217 alphabetic code
// written in upper case, and otherwise an error saying why; if code is only
// in the wrong case, the error gives the right form.
func CheckCurrency(code string) error {
	return checkCode(code, "currency code", "active ISO 4217 currency code", 3, Currency)
}
