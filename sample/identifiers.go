package sample

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"crossguard/refdata"
)

// containerOwners are owner codes of container lines calling at Karachi,
// Port Qasim and Gwadar, with the category identifier U.
var containerOwners = []string{"CSQU", "MSCU", "MAEU", "CMAU", "COSU", "OOLU", "HLXU", "TGHU", "TCLU", "EGHU", "PONU", "SEGU"}

// container returns a random ISO 6346 container number with a correct
// check digit, such as CSQU3054383.
func container(r *rand.Rand) string {
	s, err := refdata.CompleteContainer(pick(r, containerOwners) + fmt.Sprintf("%06d", r.IntN(1000000)))
	if err != nil {
		panic(err) // the owner codes above are well-formed
	}
	return s
}

// vesselIMO returns a random IMO ship number with a correct check digit.
func vesselIMO(r *rand.Rand) string {
	s, err := refdata.CompleteIMO(fmt.Sprintf("9%05d", r.IntN(100000)))
	if err != nil {
		panic(err) // six digits by construction
	}
	return s
}

// airlinePrefixes are IATA air waybill prefixes of carriers serving the
// corridor's airports.
var airlinePrefixes = []string{"214", "176", "157", "235", "784", "141"}

// airWaybill returns an air waybill number: a carrier prefix, a 7-digit
// serial and its check digit (the serial modulo 7).
func airWaybill(r *rand.Rand) string {
	serial := r.IntN(10000000)
	return fmt.Sprintf("%s-%07d%d", pick(r, airlinePrefixes), serial, serial%7)
}

// postalItem returns a UPU S10 item identifier for express mail, with its
// check digit, such as EE123456785CN, recorded as a postal_item.
func postalItem(r *rand.Rand, country string) string {
	d := fmt.Sprintf("%08d", r.IntN(100000000))
	weights := [8]int{8, 6, 4, 2, 3, 5, 9, 7}
	sum := 0
	for i, w := range weights {
		sum += int(d[i]-'0') * w
	}
	check := 11 - sum%11
	switch check {
	case 10:
		check = 0
	case 11:
		check = 5
	}
	return fmt.Sprintf("E%c%s%d%s", 'A'+rune(r.IntN(26)), d, check, country)
}

// billOfLading returns an ocean bill of lading number in a carrier's style.
func billOfLading(r *rand.Rand) string {
	return fmt.Sprintf("%s%s%08d", pick(r, []string{"COSU", "MEDU", "MAEU", "CMDU", "OOLU"}), pick(r, []string{"KHI", "QSM", "GWD", "SHA", "NGB"}), r.IntN(100000000))
}

// consignmentNote returns the number of a road or rail consignment note
// (CMR or CIM). It is the land counterpart of an ocean bill of lading, a
// carrier's transport document number without a standard form, and is
// recorded as a bill_of_lading.
func consignmentNote(r *rand.Rand, country string) string {
	return fmt.Sprintf("CMR-%s-%06d", country, r.IntN(1000000))
}

// plate returns a vehicle registration plate in the style of country,
// written after the country code as package identifier reads plates
// ("PK LEA-1234"): the same characters are different plates in different
// countries.
func plate(r *rand.Rand, country string) string {
	return country + " " + plateNumber(r, country)
}

// plateNumber returns the characters of a plate in the style of country.
func plateNumber(r *rand.Rand, country string) string {
	switch country {
	case "CN":
		const letters = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
		var b strings.Builder
		for range 5 {
			b.WriteByte(letters[r.IntN(len(letters))])
		}
		return pick(r, []string{"新Q·", "新A·", "新C·"}) + b.String()
	case "AF":
		return fmt.Sprintf("%s-%05d", pick(r, []string{"KBL", "KDR", "NGR", "HRT"}), r.IntN(100000))
	default:
		return fmt.Sprintf("%s-%d", pick(r, []string{"LEA", "LES", "ICT", "PRA", "PRB", "QTA", "KHI", "GLT", "BKR"}), 100+r.IntN(9900))
	}
}

// companyRegistration returns a company registration number in the style
// of country, after the country code of the register ("PK 1234567-8"): a
// Chinese unified social credit code, a Pakistani NTN or an Afghan TIN.
func companyRegistration(r *rand.Rand, country string) string {
	return country + " " + registrationNumber(r, country)
}

// registrationNumber returns a registration number in the style of
// country.
func registrationNumber(r *rand.Rand, country string) string {
	switch country {
	case "CN":
		const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
		var b strings.Builder
		b.WriteString("91650")
		for range 13 {
			b.WriteByte(chars[r.IntN(len(chars))])
		}
		return b.String()
	case "AF":
		return fmt.Sprintf("%010d", 1000000000+r.IntN(900000000))
	default:
		return fmt.Sprintf("%07d-%d", r.IntN(10000000), r.IntN(10))
	}
}

// flights are flight designators by airport key.
var flights = map[string][]string{
	"lahore":    {"PK203", "PK759", "EK623", "QR629", "TK715", "FZ354", "GF765", "PK8851"},
	"islamabad": {"PK233", "EK615", "QR633", "TK711", "CZ6008", "PK854", "SV723"},
	"peshawar":  {"PK283", "FZ382", "G9547", "PK731"},
	"kabul":     {"FG301", "RQ4401", "FZ306", "TK706", "CZ6036"},
	"urumqi":    {"CZ6026", "CZ6008", "PK8852", "FZ8351", "CZ6009"},
	"kashgar":   {"CZ6803", "CZ6804", "PK8853"},
}
