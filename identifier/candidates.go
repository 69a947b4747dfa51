package identifier

import (
	"strings"
	"unicode"
)

// maxJoin is the most query words Candidates joins into one value, enough
// for a postal item written in groups ("RR 473 124 829 GB").
const maxJoin = 5

// Candidates returns every identifier that a free-text query could be
// written as, so that q=cosu 1099521 finds the container COSU1099521 in
// whatever spelling it was recorded. The query is split into words at white
// space, and each run of one to five adjacent words is read as:
//
//   - a container, a vessel IMO number, an air waybill, a postal item or a
//     flight, when it is one in the sense of Normalize (check digit and
//     all): "cosu 109952-1", "IMO 9074729", "176-12345675", "PK 0301";
//   - a bill of lading, when it folds to 8 to 35 letters and digits of
//     which at least 4 are digits (shorter ones are mostly other things);
//   - a vehicle plate and a company registration, when its first word is
//     an ISO 3166-1 alpha-2 code written in capitals and the rest holds a
//     digit ("PK LEA 1234"), or when it is one word of the form
//     "CC:VALUE" in any case ("pk:lea-1234");
//   - TYPE:VALUE as Parse reads it, when it is one word, and an HS token
//     such as "hs:2939".
//
// Finally every goods token of the whole query is a goods candidate. Each
// candidate is in canonical form and appears once, in the order found.
func Candidates(q string) []Identifier {
	var out []Identifier
	seen := map[Identifier]bool{}
	add := func(typ, value string) {
		canon, err := Normalize(typ, value)
		id := Identifier{Type: typ, Value: canon}
		if err == nil && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	words := strings.Fields(q)
	compacts := make([]string, len(words))
	for i, w := range words {
		if len(w) <= MaxValueBytes {
			compacts[i] = compact(w)
		}
	}
	for i := range words {
		joined := "" // the compact form of the window, to pick the types worth trying
		for n := 1; n <= maxJoin && i+n <= len(words); n++ {
			term := strings.Join(words[i:i+n], " ")
			joined += compacts[i+n-1]
			countryWindow := countryFirst(words[i : i+n])
			if len(term) > MaxValueBytes || len(joined) > maxBillOfLading && !countryWindow {
				break
			}
			for _, typ := range typesOfLength(len(joined)) {
				add(typ, term)
			}
			if likelyBillOfLading(joined) {
				add(BillOfLading, term)
			}
			if n == 1 && strings.HasPrefix(strings.ToLower(term), "hs:") {
				add(Goods, term)
			}
			if n == 1 {
				if id, err := Parse(term); err == nil && !seen[id] {
					seen[id] = true
					out = append(out, id)
				}
			}
			if countryWindow {
				add(VehiclePlate, term)
				add(CompanyRegistration, term)
			}
		}
	}
	for _, w := range goodsWords(q) {
		add(Goods, w)
	}
	return out
}

// maxBillOfLading is the length of the longest bill of lading, and of the
// longest value of a type that is not written with its country.
const maxBillOfLading = 35

// typesOfLength returns the types whose canonical value, without the
// country types, can be n characters long: a cheap filter that keeps
// Candidates from normalising every run of words as every type.
func typesOfLength(n int) []string {
	var ts []string
	switch n {
	case 7, 10: // with or without "IMO"
		ts = append(ts, VesselIMO)
	case 11:
		ts = append(ts, Container, Waybill)
	case 13:
		ts = append(ts, PostalItem)
	}
	if n >= 3 && n <= 11 { // up to 8, and a few leading zeros of the number
		ts = append(ts, Flight)
	}
	return ts
}

// likelyBillOfLading reports whether s, a value as compact writes it, is
// 8 to 35 letters and digits of which at least 4 are digits, the shape of
// the bills of lading that carriers issue.
func likelyBillOfLading(s string) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			n++
		}
	}
	return len(s) >= 8 && len(s) <= maxBillOfLading && n >= 4
}

// countryFirst reports whether words read as a country and a value: two or
// more words of which the first is a country code in capitals and the rest
// hold a digit, or one word "CC:VALUE" with a country code in any case.
func countryFirst(words []string) bool {
	if len(words) == 1 {
		cc, _, ok := strings.Cut(words[0], ":")
		return ok && len(cc) == 2
	}
	return len(words[0]) == 2 && letters(words[0]) &&
		strings.IndexFunc(strings.Join(words[1:], ""), unicode.IsDigit) >= 0
}
