package storetest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/storekit"
)

// testTallies checks that SeizureTallies counts the live seizures by the
// keys of storekit.TallyKeys after every kind of write.
func testTallies(t *testing.T, open Opener) {
	t.Run("empty store", func(t *testing.T) {
		s := fresh(t, open)
		wantTallies(t, s, "", "", []*crossguard.Tally{})
	})
	t.Run("create, update and delete", func(t *testing.T) {
		s := fresh(t, open)
		a := talliedSeizure(0, time.Date(2026, 2, 28, 23, 59, 59, 999999999, time.UTC))
		b := talliedSeizure(1, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
		b.Goods = b.Goods[:1]
		b.Route.Destination = ""
		b.Place.Lat, b.Place.Lon = nil, nil
		mustCreate(t, s, a, b)
		feb, mar := "2026-02", "2026-03"
		wantTallies(t, s, "", "", []*crossguard.Tally{
			{Month: feb, Dim: "category", Key: "narcotics", Count: 1},
			{Month: feb, Dim: "category", Key: "weapons", Count: 1},
			{Month: feb, Dim: "concealment", Key: "false_compartment", Count: 1},
			{Month: feb, Dim: "origin", Key: Origin, Count: 1},
			{Month: feb, Dim: "place", Key: "35.1,71.5", Count: 1},
			{Month: feb, Dim: "route", Key: "AF>CN", Count: 1},
			{Month: mar, Dim: "category", Key: "narcotics", Count: 1},
			{Month: mar, Dim: "concealment", Key: "false_compartment", Count: 1},
			{Month: mar, Dim: "origin", Key: Origin, Count: 1},
		})

		// a moves to March and changes every key but its origin.
		a2 := clone(a)
		a2.Version, a2.UpdatedAt = 2, a.UpdatedAt.Add(time.Hour)
		a2.OccurredAt = time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC) // April in Pakistan, March in UTC
		a2.Goods = []crossguard.Goods{a.Goods[0], a.Goods[0]}
		a2.Goods[1].Category = "tobacco"
		a2.Concealment = "in_cargo"
		a2.Route = crossguard.Route{Origin: "AF", Departure: "AF", Transit: []string{}, Destination: "PK"}
		lat, lon := -0.04, 60.25
		a2.Place.Lat, a2.Place.Lon = &lat, &lon
		if err := s.UpdateSeizure(t.Context(), actor, a2); err != nil {
			t.Fatalf("UpdateSeizure: %v", err)
		}
		wantTallies(t, s, "", "", []*crossguard.Tally{
			{Month: mar, Dim: "category", Key: "narcotics", Count: 2},
			{Month: mar, Dim: "category", Key: "tobacco", Count: 1},
			{Month: mar, Dim: "concealment", Key: "false_compartment", Count: 1},
			{Month: mar, Dim: "concealment", Key: "in_cargo", Count: 1},
			{Month: mar, Dim: "origin", Key: Origin, Count: 2},
			{Month: mar, Dim: "place", Key: "0.0,60.3", Count: 1},
			{Month: mar, Dim: "route", Key: "AF>PK", Count: 1},
		})

		if err := s.DeleteSeizure(t.Context(), actor, b.ID, 1, T0); err != nil {
			t.Fatalf("DeleteSeizure: %v", err)
		}
		wantTallies(t, s, "", "", []*crossguard.Tally{
			{Month: mar, Dim: "category", Key: "narcotics", Count: 1},
			{Month: mar, Dim: "category", Key: "tobacco", Count: 1},
			{Month: mar, Dim: "concealment", Key: "in_cargo", Count: 1},
			{Month: mar, Dim: "origin", Key: Origin, Count: 1},
			{Month: mar, Dim: "place", Key: "0.0,60.3", Count: 1},
			{Month: mar, Dim: "route", Key: "AF>PK", Count: 1},
		})
		if err := s.DeleteSeizure(t.Context(), actor, a.ID, 0, T0); err != nil {
			t.Fatalf("DeleteSeizure: %v", err)
		}
		wantTallies(t, s, "", "", []*crossguard.Tally{})
	})
	t.Run("place keys", func(t *testing.T) {
		s := fresh(t, open)
		coords := [][2]float64{{35.05, 71.45}, {-0.05, -89.95}, {-0.04, 0.04}, {0.25, 33.75}, {36, 75}, {24.96, 69.99}, {36.849999, 75.15}}
		want := []string{"35.1,71.5", "-0.1,-90.0", "0.0,0.0", "0.3,33.8", "36.0,75.0", "25.0,70.0", "36.8,75.2"}
		var items []*crossguard.Seizure
		var tallies []*crossguard.Tally
		for i, c := range coords {
			sz := talliedSeizure(i, T0)
			sz.Place.Lat, sz.Place.Lon = &c[0], &c[1]
			items = append(items, sz)
			if key := storekit.TallyPlaceKey(c[0], c[1]); key != want[i] {
				t.Fatalf("TallyPlaceKey(%v, %v) = %q, want %q", c[0], c[1], key, want[i])
			}
			tallies = append(tallies, &crossguard.Tally{Month: "2026-03", Dim: "place", Key: want[i], Count: 1})
		}
		mustCreate(t, s, items...)
		slices.SortFunc(tallies, storekit.CompareTallies)
		got := onlyDim(mustTallies(t, s, "", ""), "place")
		wantEqual(t, "place tallies", got, tallies)
	})
	t.Run("months", func(t *testing.T) {
		s := fresh(t, open)
		var items []*crossguard.Seizure
		for i, m := range []time.Month{1, 2, 2, 3, 5} {
			items = append(items, talliedSeizure(i, time.Date(2026, m, 10, 12, 0, 0, 0, time.UTC)))
		}
		mustCreate(t, s, items...)
		all := recount(items)
		inMonths := func(from, to string) []*crossguard.Tally {
			out := []*crossguard.Tally{}
			for _, tl := range all {
				if (from == "" || tl.Month >= from) && (to == "" || tl.Month <= to) {
					out = append(out, tl)
				}
			}
			return out
		}
		for _, c := range []struct{ from, to string }{
			{"", ""}, {"2026-02", ""}, {"", "2026-02"}, {"2026-02", "2026-03"}, {"2026-02", "2026-02"},
			{"2026-04", "2026-04"}, {"2026-03", "2026-02"}, {"2025-01", "2027-12"},
		} {
			wantTallies(t, s, c.from, c.to, inMonths(c.from, c.to))
		}
		for _, bad := range []string{"2026-3", "2026-13", "March", "2026-03-01"} {
			_, err := s.SeizureTallies(t.Context(), bad, "")
			wantCode(t, err, crossguard.EINVALID)
			_, err = s.SeizureTallies(t.Context(), "", bad)
			wantCode(t, err, crossguard.EINVALID)
		}
	})
	t.Run("received versions, tombstones and withdrawals", func(t *testing.T) {
		s := fedFresh(t, open)
		own := talliedSeizure(0, T0)
		mustCreate(t, s, own)
		v1 := ForeignSeizure(1, T0.Add(-40*24*time.Hour), PeerA, 1)
		relayed := ForeignSeizure(2, T0, OriginC, 3)
		mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(v1), IncomingSeizure(relayed)))
		wantTallies(t, s, "", "", recount([]*crossguard.Seizure{own, v1, relayed}))

		// A newer version moves v1 to T0's month with other goods.
		v2 := ForeignSeizure(1, T0, PeerA, 2)
		v2.ID = v1.ID
		v2.Goods = v2.Goods[:1]
		v2.Goods[0].Category = "wildlife"
		v2.Route.Origin = ""
		mustApply(t, s, newPage(PeerA, 2, IncomingSeizure(v2)))
		wantTallies(t, s, "", "", recount([]*crossguard.Seizure{own, v2, relayed}))

		// The same version again changes nothing.
		mustApply(t, s, newPage(PeerB, 3, IncomingSeizure(v2)))
		wantTallies(t, s, "", "", recount([]*crossguard.Seizure{own, v2, relayed}))

		// The origin's tombstone removes v2; a withdrawal the relayed copy.
		gone := v2.Header
		gone.Version, gone.UpdatedAt = 3, v2.UpdatedAt.Add(time.Hour)
		mustApply(t, s, newPage(PeerA, 4, IncomingTombstone(gone)))
		wantTallies(t, s, "", "", recount([]*crossguard.Seizure{own, relayed}))
		p := newPage(PeerA, 5)
		p.Withdrawals = []crossguard.Withdrawal{withdrawal(relayed.Header, "gone")}
		wantResult(t, mustApply(t, s, p), 0, 0, 1)
		wantTallies(t, s, "", "", recount([]*crossguard.Seizure{own}))

		// A version newer than the tombstone brings the record back.
		v4 := ForeignSeizure(1, T0, PeerA, 4)
		v4.ID = v1.ID
		mustApply(t, s, newPage(PeerA, 6, IncomingSeizure(v4)))
		wantTallies(t, s, "", "", recount([]*crossguard.Seizure{own, v4}))
	})
	t.Run("random writes", testTalliesRandom(open))
}

// testTalliesRandom makes a seeded sequence of random creates, updates,
// deletes, received versions and tombstones, and checks that the tallies
// equal a count over all live seizures, read back page by page.
func testTalliesRandom(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		s := fedFresh(t, open)
		rng := rand.New(rand.NewPCG(7, 2026))
		start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		when := func() time.Time {
			return start.Add(time.Duration(rng.Int64N(int64(3 * 365 * 24 * time.Hour))))
		}
		live := map[string]*crossguard.Seizure{} // own and received seizures that are live
		var liveIDs []string                     // of live, in the order of creation
		held := map[string]int64{}               // version held of every received id
		var received []string
		next := 0
		pick := func(origin string) *crossguard.Seizure {
			var ids []string
			for _, id := range liveIDs {
				if sz := live[id]; sz != nil && (sz.Origin == Origin) == (origin == Origin) {
					ids = append(ids, id)
				}
			}
			if len(ids) == 0 {
				return nil
			}
			return live[ids[rng.IntN(len(ids))]]
		}
		for op := range 300 {
			switch r := rng.IntN(10); {
			case r < 3: // create a batch of own seizures
				var batch []*crossguard.Seizure
				for range 1 + rng.IntN(5) {
					sz := randomTallied(rng, next, when())
					next++
					batch = append(batch, sz)
					live[sz.ID], liveIDs = sz, append(liveIDs, sz.ID)
				}
				mustCreate(t, s, batch...)
			case r < 5: // update an own seizure
				old := pick(Origin)
				if old == nil {
					continue
				}
				sz := randomTallied(rng, next, when())
				next++
				sz.Header = old.Header
				sz.Version, sz.UpdatedAt = old.Version+1, old.UpdatedAt.Add(time.Minute)
				if err := s.UpdateSeizure(t.Context(), actor, sz); err != nil {
					t.Fatalf("op %d: UpdateSeizure: %v", op, err)
				}
				live[sz.ID] = sz
			case r < 6: // delete an own seizure
				old := pick(Origin)
				if old == nil {
					continue
				}
				if err := s.DeleteSeizure(t.Context(), actor, old.ID, old.Version, T0); err != nil {
					t.Fatalf("op %d: DeleteSeizure: %v", op, err)
				}
				delete(live, old.ID)
			case r < 9: // a received version, new or of a received seizure
				var sz *crossguard.Seizure
				if len(received) > 0 && rng.IntN(2) == 0 {
					id := received[rng.IntN(len(received))]
					sz = randomTallied(rng, next, when())
					sz.ID, sz.Origin, sz.Version = id, PeerA, held[id]+1
				} else {
					sz = randomTallied(rng, next, when())
					sz.Origin = PeerA
					received = append(received, sz.ID)
					liveIDs = append(liveIDs, sz.ID)
				}
				next++
				held[sz.ID] = sz.Version
				mustApply(t, s, newPage(PeerA, int64(op+1), IncomingSeizure(sz)))
				live[sz.ID] = sz
			default: // the origin's tombstone of a received seizure
				old := pick(PeerA)
				if old == nil {
					continue
				}
				h := old.Header
				h.Version, h.UpdatedAt = old.Version+1, old.UpdatedAt.Add(time.Minute)
				held[h.ID] = h.Version
				mustApply(t, s, newPage(PeerA, int64(op+1), IncomingTombstone(h)))
				delete(live, old.ID)
			}
		}
		stored := allSeizures(t, s)
		if len(stored) != len(live) {
			t.Fatalf("%d live seizures stored, want %d", len(stored), len(live))
		}
		want := recount(stored)
		wantTallies(t, s, "", "", want)
		from, to := "2025-02", "2025-11"
		var some []*crossguard.Tally
		for _, tl := range want {
			if tl.Month >= from && tl.Month <= to {
				some = append(some, tl)
			}
		}
		wantTallies(t, s, from, to, some)
	}
}

// talliedSeizure returns seizure i occurred at at, with two goods lines
// (narcotics and weapons), the route AF>CN, coordinates whose decimals end
// in 5 and a false compartment.
func talliedSeizure(i int, at time.Time) *crossguard.Seizure {
	sz := NewSeizure(i, at)
	sz.Goods = []crossguard.Goods{goodsOf(0, "narcotics"), goodsOf(1, "weapons")}
	sz.Route = crossguard.Route{Origin: "AF", Departure: "AF", Transit: []string{"PK"}, Destination: "CN"}
	lat, lon := 35.05, 71.45
	sz.Place.Lat, sz.Place.Lon = &lat, &lon
	sz.Concealment = "false_compartment"
	return sz
}

// goodsOf returns a goods line of the first kind of goods in category.
func goodsOf(line int, category string) crossguard.Goods {
	for _, k := range goodsKinds {
		if k.category == category {
			return crossguard.Goods{Category: category, HS: k.hs, Description: k.descriptions[0], Quantity: float64(line + 1), Unit: k.unit}
		}
	}
	panic("storetest: no goods of category " + category)
}

// randomTallied returns seizure i occurred at at, with one to four goods
// lines (categories may repeat), a route that lacks its origin or
// destination one time in five, coordinates (near a tenth's half one time
// in four) or none, and a random concealment.
func randomTallied(rng *rand.Rand, i int, at time.Time) *crossguard.Seizure {
	sz := NewSeizure(i, at)
	sz.Goods = nil
	for line := range 1 + rng.IntN(4) {
		sz.Goods = append(sz.Goods, goodsOf(line, crossguard.Categories[rng.IntN(5)]))
	}
	sz.Route.Origin, sz.Route.Destination = countries[rng.IntN(4)], countries[rng.IntN(4)]
	switch rng.IntN(10) {
	case 0:
		sz.Route.Origin = ""
	case 1:
		sz.Route.Destination = ""
	}
	sz.Place.Lat, sz.Place.Lon = nil, nil
	if rng.IntN(5) > 0 {
		lat, lon := 30+rng.Float64()*2, 70+rng.Float64()*2
		if rng.IntN(4) == 0 {
			lat = float64(int(lat*10))/10 + 0.05
			lon = -float64(int(lon*10))/10 - 0.05
		}
		sz.Place.Lat, sz.Place.Lon = &lat, &lon
	}
	sz.Concealment = crossguard.Concealments[rng.IntN(len(crossguard.Concealments))]
	return sz
}

// recount returns the tallies of items, counted in Go.
func recount(items []*crossguard.Seizure) []*crossguard.Tally { return storekit.CountTallies(items) }

// allSeizures reads every live seizure, page by page.
func allSeizures(t *testing.T, s crossguard.Store) []*crossguard.Seizure {
	t.Helper()
	var out []*crossguard.Seizure
	f := crossguard.SeizureFilter{Limit: crossguard.MaxPageSize}
	for {
		page := mustList(t, s, f)
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			return out
		}
		f.Cursor = page.NextCursor
	}
}

// mustTallies returns the tallies of the months from to to, failing t on
// error.
func mustTallies(t *testing.T, s crossguard.Store, from, to string) []*crossguard.Tally {
	t.Helper()
	got, err := s.SeizureTallies(t.Context(), from, to)
	if err != nil {
		t.Fatalf("SeizureTallies(%q, %q): %v", from, to, err)
	}
	if got == nil {
		t.Fatalf("SeizureTallies(%q, %q) = nil, want a non-nil slice", from, to)
	}
	return got
}

// wantTallies fails t unless the tallies of the months from to to are
// want.
func wantTallies(t *testing.T, s crossguard.Store, from, to string, want []*crossguard.Tally) {
	t.Helper()
	if want == nil {
		want = []*crossguard.Tally{}
	}
	got := mustTallies(t, s, from, to)
	if !slices.EqualFunc(got, want, func(a, b *crossguard.Tally) bool { return *a == *b }) {
		t.Fatalf("SeizureTallies(%q, %q):\n%s", from, to, tallyDiff(got, want))
	}
}

// onlyDim returns the tallies of one dimension.
func onlyDim(ts []*crossguard.Tally, dim string) []*crossguard.Tally {
	out := []*crossguard.Tally{}
	for _, tl := range ts {
		if tl.Dim == dim {
			out = append(out, tl)
		}
	}
	return out
}

// tallyDiff lists the tallies only in got, only in want, or counted
// differently.
func tallyDiff(got, want []*crossguard.Tally) string {
	type key struct{ month, dim, key string }
	g, w := map[key]int64{}, map[key]int64{}
	for _, tl := range got {
		g[key{tl.Month, tl.Dim, tl.Key}] = tl.Count
	}
	for _, tl := range want {
		w[key{tl.Month, tl.Dim, tl.Key}] = tl.Count
	}
	var lines []string
	for k, n := range g {
		if w[k] != n {
			lines = append(lines, fmt.Sprintf("  %s %s %q: got %d, want %d", k.month, k.dim, k.key, n, w[k]))
		}
	}
	for k, n := range w {
		if _, ok := g[k]; !ok {
			lines = append(lines, fmt.Sprintf("  %s %s %q: got none, want %d", k.month, k.dim, k.key, n))
		}
	}
	slices.Sort(lines)
	if len(lines) == 0 {
		return fmt.Sprintf("  the same tallies in another order: got %d, want %d", len(got), len(want))
	}
	return fmt.Sprintf("%d differences (got %d tallies, want %d):\n%s", len(lines), len(got), len(want), strings.Join(lines, "\n"))
}
