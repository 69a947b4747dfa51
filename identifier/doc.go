// Package identifier gives every identifier a seizure, warning, watch-list
// entry or declaration carries one canonical spelling, checks it against its
// standard, and says which identifiers a search could mean, so that records
// can be indexed and correlated by value whatever way a person typed them.
//
// Every type first folds the value: Unicode NFKC (fullwidth "ＣＳＱＵ" is
// "CSQU"), full case folding, and the decimal digits of every script as
// ASCII digits (Urdu and Arabic-Indic digits included). Spaces, dashes,
// full stops, middle dots, slashes, invisible format characters such as the
// right-to-left mark, and the Arabic tatweel separate groups and are
// dropped. The canonical forms, and why:
//
//   - container: ISO 6346, 4 letters, 6 digits and the check digit in upper
//     case ("cosu 109952-1" is "COSU1099521"), the form painted on the box
//     and the one refdata.CheckContainer checks.
//   - vessel_imo: "IMO" and 7 digits with the IMO check digit
//     ("9074729" and "imo 907 4729" are "IMO9074729"), as the IMO scheme
//     writes the number.
//   - flight: the airline designator (2 IATA characters or 3 ICAO
//     letters), the flight number without leading zeros and any
//     operational suffix ("PK 0301" is "PK301"), as timetables write it.
//     IATA and ICAO designators of one airline stay different values.
//   - waybill: the 11 digits of an IATA air waybill, a 3-digit airline
//     prefix and an 8-digit serial whose last digit is the remainder of the
//     first seven divided by 7 ("176-1234567 5" is "17612345675").
//   - postal_item: the 13 characters of a UPU S10 identifier, a 2-letter
//     service indicator, 8 digits, the S10 check digit and the issuing
//     country ("rr 473 124 829 gb" is "RR473124829GB").
//   - bill_of_lading: no standard fixes the form, so the letters and digits
//     in upper case, 4 to 35 of them with at least one digit
//     ("MAEU-123 456 789" is "MAEU123456789").
//   - vehicle_plate: "CC:PLATE", the ISO 3166-1 alpha-2 code of the issuing
//     country, a colon, and the plate's letters and digits in any script
//     ("PK LEA-1234", "pk:lea 1234" and "PK:LEA1234" are "PK:LEA1234").
//     The country is part of the value because the same characters are
//     different plates in different countries. Letters of scripts with case
//     are written upper case, as plates are; Han, Arabic and other scripts
//     without case keep their letters.
//   - company_registration: "CC:NUMBER" like a plate, the country of the
//     register and the registration number of a legal person, never of a
//     natural person.
//   - goods: one folded word of a goods description that is not an English
//     stop word or a number ("Heroin" is "heroin"), or "hs:" and an HS 2022
//     chapter, heading or subheading ("hs:2939"); GoodsTokens turns a
//     description and its HS code into these tokens.
//
// A check digit that does not match, or a value not in its type's form, is
// an *Error whose Reason a person can act on; the root package reports it as
// a field error. Identifiers of natural persons (passport, identity card,
// national identity number, telephone, e-mail, driving licence and the
// like) are never indexed: Personal names them and Normalize refuses them
// with an error wrapping ErrPersonal.
//
// The package is pure: it depends on the standard library, refdata and
// golang.org/x/text only, and not on the root package, which builds on it.
package identifier
