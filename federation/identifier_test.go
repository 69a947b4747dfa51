package federation_test

import (
	"testing"

	"crossguard"
)

// TestHostilePeerBadIdentifiers has a partner serve seizures whose
// identifiers a local write would refuse: a received version passes the
// same checks of package identifier, so each is refused with the field
// and the identifier package's reason, and nothing of it is stored.
func TestHostilePeerBadIdentifiers(t *testing.T) {
	w := newHostileWorld(t, false)
	for _, c := range []struct {
		name   string
		id     crossguard.Identifier
		reason string
	}{
		{"air waybill check digit", crossguard.Identifier{Type: "waybill", Value: "176-12345676"},
			"identifiers[0].value: check digit is 6, expected 5"},
		{"postal item check digit", crossguard.Identifier{Type: "postal_item", Value: "RR473124828GB"},
			"identifiers[0].value: check digit is 8, expected 9"},
		{"identifier of a person", crossguard.Identifier{Type: "passport", Value: "AB1234567"},
			"identifiers[0].type: \"passport\" identifies a natural person"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, sr := craft(t, w.evil.id, w.evil.key, func(s *crossguard.Seizure) { s.Identifiers = []crossguard.Identifier{c.id} })
			w.refuseOne(t, s.ID, recordItem(sr), c.reason)
		})
	}
}
