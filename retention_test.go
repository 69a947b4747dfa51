package crossguard_test

import (
	"testing"
	"time"

	"crossguard"
)

// TestRecordRetention checks the retention rule by table: which
// agreements bring a record, the shortest for a copy, the longest for an
// own record, and the records that are kept.
func TestRecordRetention(t *testing.T) {
	const (
		self    = "pk-customs/sost"
		partner = "cn-customs/tashkurgan"
		third   = "kz-customs/khorgos"
		post    = "pk-customs/khunjerab"
	)
	day := time.Date(2027, 1, 10, 12, 0, 0, 0, time.UTC)
	ag := func(id string, days int, signed string, kinds []string, parties ...string) *crossguard.Agreement {
		a := &crossguard.Agreement{Title: "Agreement " + id, Parties: parties, SignedOn: signed,
			Scope: crossguard.AgreementScope{Kinds: kinds, RetentionDays: days}}
		a.ID = id
		return a
	}
	sz := []string{crossguard.KindSeizure}
	pkcn30 := ag("a30", 30, "2026-01-01", sz, "pk-customs", "cn-customs")
	pkcn90 := ag("a90", 90, "2026-01-01", sz, "cn-customs", "pk-customs")
	pkcnOpen := ag("a00", 0, "2026-01-01", sz, "pk-customs", "cn-customs")
	pkkz60 := ag("k60", 60, "2026-01-01", sz, "pk-customs", "kz-customs")
	future := ag("f10", 10, "2027-01-11", sz, "pk-customs", "cn-customs")
	warnings := ag("w05", 5, "2026-01-01", []string{crossguard.KindWarning}, "pk-customs", "cn-customs")
	cnkz := ag("c07", 7, "2026-01-01", sz, "cn-customs", "kz-customs")
	seizure := func(origin, dist string) crossguard.RetentionSubject {
		return crossguard.RetentionSubject{Kind: crossguard.KindSeizure, Origin: origin, Distribution: dist}
	}
	for _, c := range []struct {
		name       string
		subject    crossguard.RetentionSubject
		agreements []*crossguard.Agreement
		days       int
		agreement  string
		rule       string
	}{
		{"a copy with no agreement is kept", seizure(partner, crossguard.DistPartners), nil, 0, "", crossguard.RetentionKept},
		{"a copy goes at its agreement's retention", seizure(partner, crossguard.DistPartners), []*crossguard.Agreement{pkcn90}, 90, "a90", crossguard.RetentionCopy},
		{"a copy goes at the shortest retention", seizure(partner, crossguard.DistNetwork), []*crossguard.Agreement{pkcn90, pkcn30}, 30, "a30", crossguard.RetentionCopy},
		{"an agreement without retention sets no limit on a copy", seizure(partner, crossguard.DistPartners), []*crossguard.Agreement{pkcnOpen, pkcn90}, 90, "a90", crossguard.RetentionCopy},
		{"a copy under open agreements alone is kept", seizure(partner, crossguard.DistPartners), []*crossguard.Agreement{pkcnOpen}, 0, "", crossguard.RetentionKept},
		{"an agreement not yet signed brings nothing", seizure(partner, crossguard.DistPartners), []*crossguard.Agreement{future}, 0, "", crossguard.RetentionKept},
		{"an agreement of other kinds brings nothing", seizure(partner, crossguard.DistPartners), []*crossguard.Agreement{warnings}, 0, "", crossguard.RetentionKept},
		{"the kind decides", crossguard.RetentionSubject{Kind: crossguard.KindWarning, Origin: partner, Distribution: crossguard.DistPartners},
			[]*crossguard.Agreement{warnings, pkcn30}, 5, "w05", crossguard.RetentionCopy},
		{"an agreement of the origin with another agency brings nothing", seizure(third, crossguard.DistNetwork), []*crossguard.Agreement{cnkz, pkcn30}, 0, "", crossguard.RetentionKept},
		{"a relayed copy follows the agreement with its origin", seizure(third, crossguard.DistNetwork), []*crossguard.Agreement{cnkz, pkkz60, pkcn30}, 60, "k60", crossguard.RetentionCopy},
		{"an own shared record goes at the longest retention", seizure(self, crossguard.DistPartners), []*crossguard.Agreement{pkcn30, pkcn90, pkkz60}, 90, "a90", crossguard.RetentionOrigin},
		{"an own record shared under an open agreement is kept", seizure(self, crossguard.DistNetwork), []*crossguard.Agreement{pkcn30, pkcnOpen}, 0, "", crossguard.RetentionKeptOpen},
		{"an own record no agreement covers is kept", seizure(self, crossguard.DistNetwork), []*crossguard.Agreement{warnings}, 0, "", crossguard.RetentionKept},
		{"an own agency record is kept", seizure(self, crossguard.DistAgency), []*crossguard.Agreement{pkcn30}, 0, "", crossguard.RetentionKeptLocal},
		{"an own local record is kept", seizure(self, crossguard.DistLocal), []*crossguard.Agreement{pkcn30}, 0, "", crossguard.RetentionKeptLocal},
		{"a copy of the own agency's record is left to its origin", seizure(post, crossguard.DistNetwork), []*crossguard.Agreement{pkcn30}, 0, "", crossguard.RetentionKeptAgency},
		{"agreements are never deleted", crossguard.RetentionSubject{Kind: crossguard.KindAgreement, Origin: partner, Distribution: crossguard.DistNetwork},
			[]*crossguard.Agreement{ag("all", 1, "2026-01-01", []string{crossguard.KindAgreement}, "pk-customs", "cn-customs")}, 0, "", crossguard.RetentionKeptKind},
		{"ties go to the lowest id", seizure(partner, crossguard.DistPartners), []*crossguard.Agreement{ag("z", 30, "2026-01-01", sz, "pk-customs", "cn-customs"), pkcn30}, 30, "a30", crossguard.RetentionCopy},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := crossguard.RecordRetention(self, c.subject, c.agreements, day)
			if got.Days != c.days || got.Agreement != c.agreement || got.Rule != c.rule {
				t.Fatalf("RecordRetention = %+v, want %d days by %q (%s)", got, c.days, c.agreement, c.rule)
			}
		})
	}
}

// TestRetentionExpires checks the instant a record goes and the cutoff
// of a run.
func TestRetentionExpires(t *testing.T) {
	created := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	r := crossguard.Retention{Days: 30}
	at, ok := r.Expires(created)
	if want := time.Date(2026, 3, 31, 8, 0, 0, 0, time.UTC); !ok || !at.Equal(want) {
		t.Fatalf("Expires = %v %v, want %v", at, ok, want)
	}
	if !created.Before(r.Cutoff(at.Add(time.Nanosecond))) || created.Before(r.Cutoff(at)) {
		t.Fatalf("a record is past its retention only after created_at + days")
	}
	if _, ok := (crossguard.Retention{}).Expires(created); ok {
		t.Fatal("a record kept never expires")
	}
}
