package crossguard_test

import (
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"
)

// identifierCase is one identifier and what validation says about it: the
// field at fault and part of its message, or no field for an accepted one.
type identifierCase struct {
	name  string
	id    crossguard.Identifier
	field string // "" when the identifier is accepted
	msg   string
}

// checkIdentifierCase asserts what err says about the identifier of tc at
// path.
func checkIdentifierCase(t *testing.T, tc identifierCase, path string, err error) {
	t.Helper()
	fields := crossguard.ErrorFields(err)
	if tc.field == "" {
		for _, f := range fields {
			if strings.HasPrefix(f.Field, path) {
				t.Fatalf("%v refused: %s: %s", tc.id, f.Field, f.Message)
			}
		}
		return
	}
	for _, f := range fields {
		if f.Field == path+tc.field && strings.Contains(f.Message, tc.msg) {
			return
		}
	}
	t.Errorf("no field error %s%s containing %q in %v", path, tc.field, tc.msg, fields)
}

// TestSeizureIdentifiers checks every identifier type of a seizure with
// package identifier: check digits, forms, and plates and registrations
// read with the seizure's country (PK) when written without one.
func TestSeizureIdentifiers(t *testing.T) {
	id := func(typ, value string) crossguard.Identifier { return crossguard.Identifier{Type: typ, Value: value} }
	tests := []identifierCase{
		{"container any spelling", id("container", "csqu 305438-3"), "", ""},
		{"container check digit", id("container", "CSQU3054384"), ".value", "check digit is 4, expected 3"},
		{"imo", id("vessel_imo", "IMO 9074729"), "", ""},
		{"imo check digit", id("vessel_imo", "IMO9074728"), ".value", "check digit is 8, expected 9"},
		{"flight", id("flight", "PK 0301"), "", ""},
		{"bad flight", id("flight", "??"), ".value", "airline designator"},
		{"waybill", id("waybill", "176-1234567 5"), "", ""},
		{"waybill check digit", id("waybill", "17612345676"), ".value", "check digit is 6, expected 5"},
		{"waybill not 11 digits", id("waybill", "AWB-000000123"), ".value", ""},
		{"postal item", id("postal_item", "RR 473 124 829 GB"), "", ""},
		{"postal item S10 check digit", id("postal_item", "RR473124828GB"), ".value", "check digit is 8, expected 9"},
		{"bill of lading", id("bill_of_lading", "MAEU-123 456 789"), "", ""},
		{"bill of lading without digit", id("bill_of_lading", "MAEU"), ".value", "at least one a digit"},
		{"plate with country", id("vehicle_plate", "AF:KBL-40512"), "", ""},
		{"plate with country and space", id("vehicle_plate", "CN 新Q·7K351"), "", ""},
		{"plate without country takes the seizure's", id("vehicle_plate", "LEA-1234"), "", ""},
		{"plate with unknown country", id("vehicle_plate", "XX:LEA1234"), ".value", "not an ISO 3166-1 alpha-2 country code"},
		{"plate with a symbol", id("vehicle_plate", "LEA@1234"), ".value", "the record's country, PK"},
		{"registration without country", id("company_registration", "1234567-8"), "", ""},
		{"registration with country", id("company_registration", "GB 01234567"), "", ""},
		{"person type refused", id("passport", "AB1234567"), ".type", "identifies a natural person"},
		{"person type in any spelling", id("Passport No", "AB1234567"), ".type", "never indexed"},
		{"goods is not a record identifier", id("goods", "heroin"), ".type", "not one of"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := mustExample(t)
			s.Identifiers = []crossguard.Identifier{tc.id}
			checkIdentifierCase(t, tc, "identifiers[0]", s.Validate(now))
		})
	}
}

// TestIdentifiersOfOtherRecords checks that warnings, watch-list entries
// and declarations check identifiers as seizures do. They have no country
// of their own, so a plate without one is accepted as text, as before.
func TestIdentifiersOfOtherRecords(t *testing.T) {
	tests := []identifierCase{
		{"container check digit", crossguard.Identifier{Type: "container", Value: "CSQU3054384"}, ".value", "check digit"},
		{"waybill check digit", crossguard.Identifier{Type: "waybill", Value: "17612345676"}, ".value", "check digit"},
		{"plate without country", crossguard.Identifier{Type: "vehicle_plate", Value: "LEA-4471"}, "", ""},
		{"plate with bad country", crossguard.Identifier{Type: "vehicle_plate", Value: "XX:LEA4471"}, ".value", "country code"},
		{"person type refused", crossguard.Identifier{Type: "id_card", Value: "3520212345671"}, ".type", "natural person"},
	}
	for _, tc := range tests {
		t.Run("warning/"+tc.name, func(t *testing.T) {
			w := operationRecords()[0].(*crossguard.Warning)
			w.Identifiers = []crossguard.Identifier{tc.id}
			checkIdentifierCase(t, tc, "identifiers[0]", w.Validate())
		})
		t.Run("watch/"+tc.name, func(t *testing.T) {
			w := &crossguard.WatchEntry{Identifier: tc.id, Channel: crossguard.ChannelYellow, Reason: "tip-off", ExpiresAt: now.Add(time.Hour)}
			checkIdentifierCase(t, tc, "identifier", w.Validate(now))
		})
		t.Run("declaration/"+tc.name, func(t *testing.T) {
			d := storetest.NewDeclaration(1, "sost")
			d.Identifiers = []crossguard.Identifier{tc.id}
			checkIdentifierCase(t, tc, "identifiers[0]", d.Validate())
		})
	}
}
