package federation_test

import (
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation"
	"crossguard/node"
	"crossguard/storetest"
)

// TestHostilePeerPersonalData has a hostile partner serve, signed with
// its own key, records whose free text carries personal identifiers: each
// is refused with the field and what was found (masked) in the victim's
// audit log and peer status, and nothing of it is stored, so nothing of
// it can be relayed. A record marked local is refused too: a received
// version is never local.
func TestHostilePeerPersonalData(t *testing.T) {
	w := newHostileWorld(t, false)
	v, evil := w.victim, w.evil
	held := createSeizure(t, v, crossguard.DistPartners, crossguard.TLPGreen)
	now := time.Now().UTC().Truncate(time.Microsecond)

	type hostileCase struct {
		name, id string
		item     federation.Item
		reason   string
	}
	var cases []hostileCase
	seizure := func(name, reason string, edit func(*crossguard.Seizure)) {
		s, sr := craft(t, evil.id, evil.key, edit)
		cases = append(cases, hostileCase{name, s.ID, recordItem(sr), reason})
	}
	seizure("CNIC in the narrative", "narrative: personal data: a Pakistani CNIC number (3****-*******-*) at characters 7 to 22",
		func(s *crossguard.Seizure) { s.Narrative = "Driver 35202-1234567-1 fled." })
	seizure("phone in a description", "goods[0].description: personal data: a phone number",
		func(s *crossguard.Seizure) { s.Goods[0].Description = "parcel for +86 138 0013 8000" })
	seizure("passport in the place", "place.name: personal data: a passport number",
		func(s *crossguard.Seizure) { s.Place.Name = "Sost, passport E12345678" })
	seizure("CNIC as a company registration", "identifiers[0].value: personal data: a Pakistani CNIC number",
		func(s *crossguard.Seizure) {
			s.Identifiers = []crossguard.Identifier{{Type: "company_registration", Value: "3520212345671"}}
		})
	seizure("personal data in a local record", "outside the sharing policy: the record's distribution is local",
		func(s *crossguard.Seizure) {
			s.Distribution, s.Narrative = crossguard.DistLocal, "Driver 35202-1234567-1 fled."
		})

	a := storetest.NewAnnotation(1, crossguard.RecordRef{ID: held.ID, Kind: crossguard.KindSeizure, Origin: held.Origin}, evil.id, now)
	a.ID, a.Distribution, a.Marking.TLP = node.NewUUIDv7(), crossguard.DistNetwork, crossguard.TLPGreen
	a.Text = "Same courier, e-mail courier@example.com"
	cases = append(cases, hostileCase{"e-mail in an annotation", a.ID, recordItem(signJSON(t, evil.key, a)),
		"text: personal data: an e-mail address (c******@*******.***)"})

	p := storetest.NewProfile(1, evil.id, now)
	p.ID, p.Distribution, p.Marking.TLP = node.NewUUIDv7(), crossguard.DistNetwork, crossguard.TLPGreen
	p.Description = "Tip from a driver born on 12 March 1985"
	cases = append(cases, hostileCase{"date of birth in a profile", p.ID, recordItem(signJSON(t, evil.key, p)),
		"description: personal data: a date of birth"})

	m := &crossguard.Message{Header: crossguard.Header{ID: node.NewUUIDv7(), Origin: evil.id, Version: 1, CreatedAt: now, UpdatedAt: now,
		Recipients: []string{"cn-customs", "pk-customs"}, Marking: crossguard.Marking{TLP: crossguard.TLPAmber, Handling: "H1"}},
		Operation: node.NewUUIDv7(), Text: "Ask Mr Khan at 0300-1234567"}
	m.Normalize()
	cases = append(cases, hostileCase{"name and phone in a message", m.ID, recordItem(signJSON(t, evil.key, m)),
		"text: personal data: a person's name (M* ****)"})

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			refusals := w.refuseOne(t, c.id, c.item, c.reason)
			for _, leak := range []string{"35202-1234567-1", "3520212345671", "0013 8000", "E12345678", "courier@example.com", "0300-1234567"} {
				if strings.Contains(refusals[0].Detail, leak) {
					t.Errorf("the audit entry repeats %q: %s", leak, refusals[0].Detail)
				}
			}
		})
	}
}

// refuseOne has the hostile peer serve item, the record id, beside a good
// record, and checks that the victim applies the good one and refuses
// item, stores nothing of it, and says reason in the peer's status and in
// the one federation.refuse audit entry, which it returns.
func (w *hostileWorld) refuseOne(t *testing.T, id string, item federation.Item, reason string) []*crossguard.AuditEntry {
	t.Helper()
	v, evil := w.victim, w.evil
	good, goodSR := w.relayable(t)
	seq, audit := w.head(t), auditHead(t, v)
	evil.serveItems(item, recordItem(goodSR))
	res, err := w.pull(t)
	if err != nil {
		t.Fatalf("pull: %v", err)
	}
	if res.Applied != 1 || res.Refused != 1 {
		t.Fatalf("pull %+v, want the good record applied and the other refused", res)
	}
	if got := w.changedSince(t, seq); len(got) != 1 || got[0] != good.ID {
		t.Fatalf("records changed: %v, want only the good one %s", got, good.ID)
	}
	if _, ok := v.Holds()[id]; ok {
		t.Fatalf("the victim holds %s", id)
	}
	if _, err := v.Store.Record(t.Context(), id); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
		t.Fatalf("the victim's record store has %s: %v", id, err)
	}
	if status := w.evilStatus(t).Status.LastError; !strings.Contains(status, reason) {
		t.Errorf("status says %q, want %q", status, reason)
	}
	refusals := auditSince(t, v, audit, crossguard.ActionFedRefuse)
	if len(refusals) != 1 || refusals[0].RecordID != id || !strings.Contains(refusals[0].Detail, reason) {
		t.Fatalf("federation.refuse entries %+v, want one for %s saying %q", refusals, id, reason)
	}
	return refusals
}
