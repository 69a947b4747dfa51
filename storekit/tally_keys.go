package storekit

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"time"

	"crossguard"
)

// TallyMonth returns the month that tallies count t in: its UTC year and
// month, "YYYY-MM".
func TallyMonth(t time.Time) string { return t.UTC().Format("2006-01") }

// TallyPlaceKey returns the key of the place tally of coordinates lat and
// lon: each rounded to 0.1 degree, "LAT,LON" as %.1f writes them.
//
// The rounding is defined so that every store computes it exactly alike in
// SQL: k = floor(|x|×10 + 0.5) in IEEE 754 double arithmetic, and the key
// is k/10 with the sign of x. Coordinates written with a final 5 round half
// away from zero, as a person would round them, since the multiplication
// lands on the half exactly: 35.05 gives 35.1 and -0.25 gives -0.3, where
// %.1f, rounding the binary value, writes 35.0 and -0.2. A coordinate that
// rounds to zero is "0.0", never "-0.0", so that the cell across the
// equator or the prime meridian has one key.
func TallyPlaceKey(lat, lon float64) string {
	b := appendTenths(nil, lat)
	b = append(b, ',')
	return string(appendTenths(b, lon))
}

// appendTenths appends x rounded to tenths as TallyPlaceKey defines it.
func appendTenths(b []byte, x float64) []byte {
	// The explicit conversion stops the compiler from fusing the multiply
	// and the add, which SQL engines do not do.
	k := int64(math.Floor(float64(math.Abs(x)*10) + 0.5))
	if x < 0 && k > 0 {
		b = append(b, '-')
	}
	b = strconv.AppendInt(b, k/10, 10)
	b = append(b, '.')
	return strconv.AppendInt(b, k%10, 10)
}

// TallyKeys returns the tallies that the live seizure s counts in, each
// with Count 1, ordered by dimension and key: one per distinct goods
// category, its route if both origin and destination are set, its
// concealment, its place if it has coordinates, and its origin. Empty keys
// are not counted. Stores compute the same keys in SQL; this is their
// definition in Go.
func TallyKeys(s *crossguard.Seizure) []*crossguard.Tally {
	month := TallyMonth(s.OccurredAt)
	var out []*crossguard.Tally
	add := func(dim, key string) {
		if key == "" {
			return
		}
		for _, t := range out {
			if t.Dim == dim && t.Key == key {
				return
			}
		}
		out = append(out, &crossguard.Tally{Month: month, Dim: dim, Key: key, Count: 1})
	}
	for _, g := range s.Goods {
		add(crossguard.TallyCategory, g.Category)
	}
	if s.Route.Origin != "" && s.Route.Destination != "" {
		add(crossguard.TallyRoute, s.Route.Origin+">"+s.Route.Destination)
	}
	add(crossguard.TallyConcealment, s.Concealment)
	if s.Place.Lat != nil && s.Place.Lon != nil {
		add(crossguard.TallyPlace, TallyPlaceKey(*s.Place.Lat, *s.Place.Lon))
	}
	add(crossguard.TallyOrigin, s.Origin)
	slices.SortFunc(out, CompareTallies)
	return out
}

// CompareTallies orders tallies as SeizureTallies returns them: by month,
// dimension and key (byte order).
func CompareTallies(a, b *crossguard.Tally) int {
	if c := cmp.Compare(a.Month, b.Month); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Dim, b.Dim); c != 0 {
		return c
	}
	return cmp.Compare(a.Key, b.Key)
}

// CheckTallyMonths returns an crossguard.EINVALID error unless the bounds of a
// SeizureTallies call are each empty or a month written YYYY-MM, so that
// stores compare them as text safely.
func CheckTallyMonths(fromMonth, toMonth string) error {
	for _, m := range []string{fromMonth, toMonth} {
		if m == "" {
			continue
		}
		if _, err := time.Parse("2006-01", m); err != nil || len(m) != len("2006-01") {
			return crossguard.Errorf(crossguard.EINVALID, "month %q: want YYYY-MM, e.g. 2026-03", m)
		}
	}
	return nil
}

// CountTallies returns the tallies of the live seizures items as
// SeizureTallies returns them: what stores keep, counted in Go, for tests
// and benchmarks to compare with.
func CountTallies(items []*crossguard.Seizure) []*crossguard.Tally {
	type key struct{ month, dim, key string }
	counts := map[key]int64{}
	for _, s := range items {
		for _, t := range TallyKeys(s) {
			counts[key{t.Month, t.Dim, t.Key}]++
		}
	}
	out := make([]*crossguard.Tally, 0, len(counts))
	for k, n := range counts {
		out = append(out, &crossguard.Tally{Month: k.month, Dim: k.dim, Key: k.key, Count: n})
	}
	slices.SortFunc(out, CompareTallies)
	return out
}
