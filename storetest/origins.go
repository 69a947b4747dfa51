package storetest

import (
	"fmt"
	"testing"
	"time"

	"crossguard"
)

// matchesOrigin is the reference implementation of a filter with the
// origin filters.
func matchesOrigin(s *crossguard.Seizure, f crossguard.SeizureFilter) bool {
	return matches(s, f) && (f.Origin == "" || s.Origin == f.Origin) && (f.NotOrigin == "" || s.Origin != f.NotOrigin)
}

// testOriginFilters checks that received seizures are listed and searched
// like own ones, and the Origin and NotOrigin filters alone, combined with
// every other filter, and across pages.
func testOriginFilters(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		s := fedFresh(t, open)
		own := NewSeizures(0, 40, T0, 5*time.Hour+17*time.Minute)
		mustCreate(t, s, own...)
		live := map[string]*crossguard.Seizure{}
		for _, it := range own {
			live[it.ID] = it
		}
		var fromA, fromC []*crossguard.Incoming
		for k := range 30 {
			at := T0.Add(-time.Duration(k)*3*time.Hour - 7*time.Minute)
			if k%3 == 2 { // a tie with an own record
				at = own[k].OccurredAt
			}
			a := ForeignSeizure(100+k, at, PeerA, 1)
			c := ForeignSeizure(200+k, at.Add(-time.Minute), OriginC, 2)
			fromA, fromC = append(fromA, IncomingSeizure(a)), append(fromC, IncomingSeizure(c))
			live[a.ID], live[c.ID] = a, c
		}
		mustApply(t, s, newPage(PeerA, 30, fromA...))
		mustApply(t, s, newPage(PeerB, 30, fromC...))
		// A newer version with other goods and country, a deletion and a
		// withdrawal.
		upd := ForeignSeizure(100+3, fromA[3].Seizure.OccurredAt, PeerA, 2)
		upd.Country, upd.Goods = "CN", NewSeizure(7, T0).Goods
		tomb := fromA[4].Header
		tomb.Version = 2
		p := newPage(PeerA, 31, IncomingSeizure(upd), IncomingTombstone(tomb))
		p.Withdrawals = []crossguard.Withdrawal{withdrawal(fromA[5].Header, "gone")}
		wantResult(t, mustApply(t, s, p), 2, 0, 1)
		live[upd.ID] = upd
		delete(live, tomb.ID)
		delete(live, fromA[5].Header.ID)
		items := make([]*crossguard.Seizure, 0, len(live))
		for _, it := range live {
			items = append(items, it)
		}
		sortNewestFirst(items)

		mid := T0.Add(-40 * time.Hour)
		others := []crossguard.SeizureFilter{
			{}, {Country: "PK"}, {Country: "CN"}, {Category: "narcotics"}, {HS: "93"}, {HS: "2939"},
			{From: mid}, {To: mid}, {From: T0.Add(-80 * time.Hour), To: mid, Country: "AF"},
			{Query: CommonWord}, {Query: CommonWord, Country: "IR"}, {Query: "cartridges"}, {Query: CommonWord, Category: "weapons"},
		}
		origins := []crossguard.SeizureFilter{
			{Origin: Origin}, {Origin: PeerA}, {Origin: OriginC}, {Origin: "xx-customs/nowhere"},
			{NotOrigin: Origin}, {NotOrigin: PeerA}, {Origin: PeerA, NotOrigin: Origin}, {Origin: PeerA, NotOrigin: PeerA},
		}
		for _, o := range origins {
			for _, f := range others {
				f.Origin, f.NotOrigin = o.Origin, o.NotOrigin
				var want []string
				for _, it := range items {
					if matchesOrigin(it, f) {
						want = append(want, it.ID)
					}
				}
				for _, limit := range []int{0, 7} {
					f.Limit = limit
					wantIDs(t, "list "+describe(f), listAll(t, s, f), want)
				}
			}
		}
		wantChain(t, s, 3+40+3+1)
	}
}

// describe renders a filter in failure messages.
func describe(f crossguard.SeizureFilter) string { return fmt.Sprintf("%+v", f) }
