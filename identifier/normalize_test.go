package identifier

import (
	"errors"
	"strings"
	"testing"
)

// normalizeCase is one row of a normalisation table: the value as typed,
// and either its canonical form or a fragment of the error's reason.
type normalizeCase struct {
	name, value, want, wantErr string
}

// runNormalize checks each case of one type's table, and that every
// canonical form normalises to itself.
func runNormalize(t *testing.T, typ string, tests []normalizeCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(typ, tt.value)
			if tt.wantErr != "" {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("Normalize(%s, %q) = %q, %v; want an *Error with %q", typ, tt.value, got, err, tt.wantErr)
				}
				if !strings.Contains(e.Reason, tt.wantErr) || e.Type != typ || e.Value != tt.value {
					t.Fatalf("Normalize(%s, %q) error = %+v; want reason with %q", typ, tt.value, e, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Normalize(%s, %q) = %q, %v; want %q", typ, tt.value, got, err, tt.want)
			}
			if again, err := Normalize(typ, got); err != nil || again != got {
				t.Fatalf("Normalize(%s, %q) = %q, %v; canonical forms must normalise to themselves", typ, got, again, err)
			}
		})
	}
}

func TestNormalizeContainer(t *testing.T) {
	runNormalize(t, Container, []normalizeCase{
		// ISO 6346's own example, as the standard's annex and the BIC cite it.
		{"ISO 6346 example", "CSQU3054383", "CSQU3054383", ""},
		{"ISO 6346 example, lower case with spaces", "Csq u3054383", "CSQU3054383", ""},
		{"issue 14's container", "COSU1099521", "COSU1099521", ""},
		{"issue 14's container, lower case", "cosu1099521", "COSU1099521", ""},
		{"issue 14's container, grouped", "cosu 109952-1", "COSU1099521", ""},
		{"fullwidth", "ＣＳＱＵ３０５４３８３", "CSQU3054383", ""},
		{"Urdu digits", "CSQU۳۰۵۴۳۸۳", "CSQU3054383", ""},
		{"dots and slashes", "CSQU.305438/3", "CSQU3054383", ""},
		{"right-to-left mark copied along", "\u200fCSQU3054383", "CSQU3054383", ""},
		{"remainder 10 gives check digit 0", "MSKU9070323", "MSKU9070323", ""},
		{"wrong check digit", "CSQU3054384", "", "check digit is 4, expected 3"},
		{"wrong check digit, grouped", "csqu 305438 4", "", "check digit is 4, expected 3"},
		{"bad category", "CSQX3054383", "", "category identifier"},
		{"too short", "CSQU305438", "", "must be 11 characters"},
		{"empty", "  ", "", "value is empty"},
	})
}

func TestNormalizeIMO(t *testing.T) {
	runNormalize(t, VesselIMO, []normalizeCase{
		// The IMO scheme's example (Wikipedia, "IMO number": 9×7 + 0×6 +
		// 7×5 + 4×4 + 7×3 + 2×2 = 139, check digit 9).
		{"IMO example", "IMO 9074729", "IMO9074729", ""},
		{"IMO example without prefix", "9074729", "IMO9074729", ""},
		{"IMO example, lower case", "imo9074729", "IMO9074729", ""},
		// The example of the older article: 7×7 + 6×6 + 5×5 + 4×4 + 3×3 +
		// 2×2 = 139.
		{"older example", "IMO 7654329", "IMO7654329", ""},
		{"grouped", "IMO 907-4729", "IMO9074729", ""},
		{"wrong check digit", "IMO 9074728", "", "check digit is 8, expected 9"},
		{"six digits", "IMO 907472", "", "must be 7 digits"},
		{"prefix twice", "IMOIMO9074729", "", "must be 7 digits"},
		{"letters", "IMO 90747A9", "", "must be 7 digits"},
	})
}

func TestNormalizeWaybill(t *testing.T) {
	runNormalize(t, Waybill, []normalizeCase{
		// The Australian Border Force's ICS "Airway bill check digit
		// formula": serial number 1234567 divided by 7 leaves 5.
		{"ABF example", "176-12345675", "17612345675", ""},
		{"ABF example, spaced", "176 1234567 5", "17612345675", ""},
		// Freight forwarders' published example "589 8114074 3"
		// (8114074 divided by 7 leaves 3).
		{"forwarders' example", "589 8114074 3", "58981140743", ""},
		{"remainder 0", "020-00000070", "02000000070", ""},
		{"wrong check digit", "176-12345674", "", "check digit is 4, expected 5"},
		{"check digit 7 is never right", "176-12345677", "", "check digit is 7, expected 5"},
		{"ten digits", "176-1234567", "", "must be 11 digits"},
		{"letter", "176-1234567A", "", "must be 11 digits"},
	})
}

func TestNormalizePostalItem(t *testing.T) {
	runNormalize(t, PostalItem, []normalizeCase{
		// UPU S10's worked example: 47312482 weighted 8 6 4 2 3 5 9 7 sums
		// to 200, 11 - 200 mod 11 = 9 (S10, check-digit calculation).
		{"S10 example", "RR473124829GB", "RR473124829GB", ""},
		{"S10 example, grouped", "rr 473 124 829 gb", "RR473124829GB", ""},
		// The example of the UPU S10 barcode in BWIPP's documentation.
		{"BWIPP example", "EE471108151FR", "EE471108151FR", ""},
		// The examples of the s10 npm package's tests: EB000717595HK is
		// valid and EB000717594HK is not; 96633102 sums to 1 modulo 11, so
		// 11 - 1 = 10 gives check digit 0.
		{"s10 package example", "EB000717595HK", "EB000717595HK", ""},
		{"s10 package example, wrong check digit", "EB000717594HK", "", "check digit is 4, expected 5"},
		{"check 10 becomes 0", "RA966331020CN", "RA966331020CN", ""},
		{"check 10 is never 1", "RA966331021CN", "", "check digit is 1, expected 0"},
		// A serial of zeros sums to 0 modulo 11: 11 - 0 = 11 gives 5.
		{"check 11 becomes 5", "CP000000005PK", "CP000000005PK", ""},
		{"S10 example, wrong check digit", "RR473124828GB", "", "check digit is 8, expected 9"},
		{"unknown country", "RR473124829XX", "", `"XX" is not an ISO 3166-1 alpha-2 country code`},
		{"no country", "RR473124829", "", "must be 13 characters"},
		{"digit for letter", "R1473124829GB", "", "must be 13 characters"},
	})
}

func TestNormalizeFlight(t *testing.T) {
	runNormalize(t, Flight, []normalizeCase{
		// IATA's flight designator is xx(a)n(n)(n)(n)(a): the airline
		// designator, a number of up to four digits, an optional suffix.
		{"issue 14's example", "PK 0301", "PK301", ""},
		{"plain", "PK301", "PK301", ""},
		{"leading zeros", "PK0301", "PK301", ""},
		{"lower case, hyphen", "pk-301", "PK301", ""},
		{"one digit", "QF9", "QF9", ""},
		{"four digits", "EK 9999", "EK9999", ""},
		{"operational suffix", "PK 301a", "PK301A", ""},
		{"letter and digit designator", "U2 1234", "U21234", ""},
		{"letter and digit designator, joined", "U21234", "U21234", ""},
		{"digit and letter designator", "3U8633", "3U8633", ""},
		{"ICAO designator", "PIA 0301", "PIA301", ""},
		{"ICAO designator, joined", "pia301", "PIA301", ""},
		{"two digit designator", "12 345", "", "airline designator"},
		{"five digits", "PK 12345", "", "must be an airline designator"},
		{"zero", "PK 0000", "", "flight number must be 1 to 9999"},
		{"no number", "PK", "", "must be an airline designator"},
		{"three words", "PK 03 01", "", "must be an airline designator"},
	})
}

func TestNormalizeBillOfLading(t *testing.T) {
	runNormalize(t, BillOfLading, []normalizeCase{
		{"carrier code and serial", "MAEU 123456789", "MAEU123456789", ""},
		{"grouped", "maeu-123.456/789", "MAEU123456789", ""},
		{"digits only", "123456789", "123456789", ""},
		{"no digit", "MAEUABCD", "", "at least one a digit"},
		{"too short", "A1", "", "4 to 35"},
		{"too long", strings.Repeat("1", 36), "", "4 to 35"},
		{"other script", "ب123456", "", "letters A-Z and digits"},
	})
}

func TestNormalizePlate(t *testing.T) {
	runNormalize(t, VehiclePlate, []normalizeCase{
		{"space after country", "PK LEA-1234", "PK:LEA1234", ""},
		{"colon, lower case", "pk:lea 1234", "PK:LEA1234", ""},
		{"canonical", "PK:LEA1234", "PK:LEA1234", ""},
		{"colon and space", "PK: LEA 1234", "PK:LEA1234", ""},
		{"Chinese plate with middle dot", "CN 京A·12345", "CN:京A12345", ""},
		{"fullwidth Chinese plate", "ＣＮ：京Ａ１２３４５", "CN:京A12345", ""},
		{"Urdu letters and digits", "PK:لاہور ۱۲۳۴", "PK:لاہور1234", ""},
		{"Pashto with right-to-left marks", "AF \u200fکابل ۱۲۳\u200f", "AF:کابل123", ""},
		{"Cyrillic letters take upper case", "RU а123вс77", "RU:А123ВС77", ""},
		{"no country", "LEA-1234", "", "write the country code first"},
		{"country joined to plate", "PKLEA1234", "", "write the country code first"},
		{"unknown country", "XK:LEA1234", "", `"XK" is not an ISO 3166-1 alpha-2 country code`},
		{"punctuation in plate", "PK:LEA#1234", "", "only letters and digits"},
		{"nothing after country", "PK:", "", "the value after the country code is empty"},
		{"too long", "PK:" + strings.Repeat("A", 17), "", "at most 16"},
	})
}

func TestNormalizeCompany(t *testing.T) {
	runNormalize(t, CompanyRegistration, []normalizeCase{
		{"Pakistan", "PK:0012345", "PK:0012345", ""},
		{"United Kingdom, space", "gb 01234567", "GB:01234567", ""},
		{"German register with court", "DE:HRB 12345", "DE:HRB12345", ""},
		{"Chinese unified social credit code", "CN 91350100M000100Y43", "CN:91350100M000100Y43", ""},
		{"Chinese script", "CN:京工商字第12345号", "CN:京工商字第12345号", ""},
		{"no country", "0012345", "", "write the country code first"},
		{"too long", "PK:" + strings.Repeat("1", 41), "", "at most 40"},
	})
}

func TestNormalizeGoods(t *testing.T) {
	runNormalize(t, Goods, []normalizeCase{
		{"word", "Heroin", "heroin", ""},
		{"fullwidth", "ＨＥＲＯＩＮ", "heroin", ""},
		{"Urdu word", "چرس", "چرس", ""},
		{"HS heading", "hs:2939", "hs:2939", ""},
		{"HS subheading, upper case", "HS:293911", "hs:293911", ""},
		{"HS code not in HS 2022", "hs:2999", "", "not an HS 2022 code"},
		{"national code", "hs:29391100", "", "2, 4 or 6 digits"},
		{"stop word", "the", "", "a goods token is one word"},
		{"number", "25", "", "a goods token is one word"},
		{"two words", "white powder", "", "a goods token is one word"},
	})
}

func TestNormalizeTypes(t *testing.T) {
	if _, err := Normalize("shoe_size", "42"); !errors.Is(err, ErrUnknownType) {
		t.Errorf("unknown type: error %v, want ErrUnknownType", err)
	}
	for _, typ := range Types() {
		if _, err := Normalize(typ, ""); err == nil {
			t.Errorf("Normalize(%s, \"\") accepted an empty value", typ)
		}
	}
	want := []string{"container", "vehicle_plate", "vessel_imo", "flight", "waybill", "company_registration", "bill_of_lading", "postal_item", "goods"}
	if got := Types(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("Types() = %v, want %v", got, want)
	}
}
