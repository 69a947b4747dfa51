// Package refdata holds the reference data that seizure records are checked
// against, embedded in the binary, and the validators built on it.
//
// The data sets are:
//
//   - the Harmonized System 2022 nomenclature (chapters, headings and
//     subheadings with their sections), from the UN Comtrade
//     datasets/harmonized-system data package, PDDL 1.0 (see
//     hs2022/LICENSE.md); the data package's TOTAL rows and chapter 99
//     ("commodities not specified according to kind", a statistical
//     convention, not part of the nomenclature) are left out;
//   - the 249 officially assigned ISO 3166-1 alpha-2 country codes with their
//     English short names (countries.csv); user-assigned codes such as XK are
//     not included;
//   - the active ISO 4217 alphabetic currency, fund and precious-metal codes
//     (currencies.csv), up to amendment 180 (Bulgarian lev withdrawn), less
//     XTS (reserved for testing) and XXX (no currency involved).
//
// The validators that need no data, for ISO 6346 container numbers,
// UN/LOCODE location codes and IMO vessel numbers, check format and check
// digits only.
//
// Each data set is parsed once, on first use. A malformed embedded file is a
// build defect and makes that first use panic with a message naming the file
// and row. Every function is safe for concurrent use, and every error
// returned by a Check function is a plain message fit to show a person, which
// quotes the input as given.
package refdata
