// Package benchdata makes realistic seizure records in bulk for benchmarks
// of storage and of the dashboard: a seeded stream of valid, fully stamped
// seizures of the border region between Pakistan, China and Afghanistan.
package benchdata

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"crossguard"
	"crossguard/identifier"

	"github.com/google/uuid"
)

// Now is the clock of Seizures: the records occur in the three years up
// to it. Tests may replace it to make records independent of the day.
var Now = time.Now

// Span is how far back from Now the records occur: three years.
const Span = 3 * 365 * 24 * time.Hour

// Seizures makes n seizures of the node origin (AGENCY/NODE), as a store's
// CreateSeizures takes them, and hands them to fn batch at a time (the
// last batch may be shorter), stopping at fn's first error, which it
// returns. Each seizure passes Validate at Now, carries a unique UUIDv7 id,
// version 1 and created and updated times a few hours after it occurred,
// and occurred at a time spread over the Span before Now, a little more
// often in recent months. The same seed gives the same records for the
// same Now.
//
// The records look like what the corridor's agencies seize: about 150
// places of the region (latitude 23–45, longitude 60–90) with coordinates,
// of which the main crossings and ports see most seizures; goods of every
// category, mostly narcotics, tobacco and counterfeit goods; routes mostly
// from Afghanistan, Iran, China and the Gulf; every concealment, the
// common ones more often; identifiers that fit the transport mode.
func Seizures(origin string, n int, seed int64, batch int, fn func([]*crossguard.Seizure) error) error {
	if batch <= 0 {
		return fmt.Errorf("benchdata: batch size %d, want at least 1", batch)
	}
	g := newGenerator(seed)
	end := Now().UTC().Add(-time.Minute)
	out := make([]*crossguard.Seizure, 0, min(batch, n))
	for i := range n {
		out = append(out, g.seizure(origin, i, end))
		if len(out) == batch || i == n-1 {
			if err := fn(out); err != nil {
				return err
			}
			out = make([]*crossguard.Seizure, 0, min(batch, n-i-1))
		}
	}
	return nil
}

// generator draws the fields of seizures from one seeded source.
type generator struct {
	rng  *rand.Rand
	salt uint32 // seed bits in every id, so that seeds give distinct ids
}

// newGenerator returns a generator of seed.
func newGenerator(seed int64) *generator {
	return &generator{rng: rand.New(rand.NewPCG(uint64(seed), 0x5eed)), salt: uint32(uint64(seed)*0x9e3779b97f4a7c15>>40) & 0x3fffff}
}

// seizure returns seizure number i of origin, occurred before end.
func (g *generator) seizure(origin string, i int, end time.Time) *crossguard.Seizure {
	r := g.rng
	// Occurred: at any time of day, more often in recent months, the
	// density rising by half over the span (u has density ∝ 1+u on
	// [0, 0.5], drawn by inverting its distribution function).
	u := math.Sqrt(1+1.25*r.Float64()) - 1
	at := end.Add(-Span + time.Duration(u/0.5*float64(Span))).Truncate(time.Second)
	created := at.Add(time.Duration(1+r.IntN(48)) * time.Hour)
	if created.After(end) {
		created = end
	}
	p := pick(r, places, placeWeights)
	lat := p.lat + (r.Float64()-0.5)*0.02
	lon := p.lon + (r.Float64()-0.5)*0.02
	mode := pick(r, transportModes, p.modeWeights())
	tlp := pick(r, tlps, tlpWeights)
	s := &crossguard.Seizure{
		Header: crossguard.Header{
			ID: g.id(i, created), Kind: crossguard.KindSeizure, Origin: origin, Version: 1,
			CreatedAt: created, UpdatedAt: created,
			Distribution: pick(r, crossguard.Distributions, distributionWeights),
			Marking: crossguard.Marking{
				TLP:               tlp,
				Handling:          crossguard.HandlingCodes[r.IntN(len(crossguard.HandlingCodes))],
				SourceReliability: crossguard.SourceReliabilities[r.IntN(len(crossguard.SourceReliabilities))],
				InfoAccuracy:      crossguard.InfoAccuracies[r.IntN(len(crossguard.InfoAccuracies))],
			},
		},
		OccurredAt:      at,
		Country:         p.country,
		Place:           crossguard.Place{Name: p.name, Lat: &lat, Lon: &lon},
		Office:          "Customs, " + p.name,
		Direction:       crossguard.Directions[r.IntN(len(crossguard.Directions))],
		TransportMode:   mode,
		DetectionMethod: pick(r, crossguard.DetectionMethods, detectionWeights),
		Concealment:     pick(r, crossguard.Concealments, concealmentWeights),
		Route:           g.route(p.country),
		Identifiers:     g.identifiers(mode, i),
	}
	if s.Marking.Handling == crossguard.HandlingH3 {
		s.Marking.Conditions = "Inform the originating agency before any operational use."
	}
	if tlp == crossguard.TLPRed {
		s.Recipients = []string{"af-customs", "cn-customs"}
	}
	if r.IntN(8) == 0 {
		s.Place.Lat, s.Place.Lon = nil, nil // reported without coordinates
	}
	for range 1 + pickIndex(r, lineWeights) {
		k := pick(r, goodsKinds, goodsWeights)
		gl := crossguard.Goods{
			Category: k.category, HS: k.hs, Description: k.description, Unit: k.unit,
			Quantity: math.Round(k.quantity*math.Exp(r.NormFloat64())*100) / 100,
		}
		if gl.Quantity <= 0 {
			gl.Quantity = 1
		}
		if r.IntN(3) > 0 {
			gl.Value = &crossguard.Money{Amount: math.Round(gl.Quantity * k.unitValue * (0.5 + r.Float64())), Currency: "USD"}
		}
		s.Goods = append(s.Goods, gl)
	}
	s.Narrative = narratives[r.IntN(len(narratives))]
	s.Normalize()
	return s
}

// id returns a UUIDv7 of time at whose random bits hold the seed's salt
// and i, so that ids are unique within a run and across seeds.
func (g *generator) id(i int, at time.Time) string {
	var b [16]byte
	ms := uint64(at.UnixMilli())
	b[0], b[1], b[2], b[3], b[4], b[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	binary.BigEndian.PutUint64(b[8:], uint64(g.salt)<<40|uint64(i)&(1<<40-1))
	b[6] = 0x70 | byte(g.rng.Uint32())&0x0f // version 7
	b[7] = byte(g.rng.Uint32())
	b[8] = 0x80 | b[8]&0x3f // RFC 9562 variant
	return uuid.UUID(b).String()
}

// route returns a route into or through country: mostly from a source
// country of the region, one in twenty without an origin.
func (g *generator) route(country string) crossguard.Route {
	r := g.rng
	origin := pick(r, sourceCountries, sourceWeights)
	dest := pick(r, destCountries, destWeights)
	for dest == origin {
		dest = destCountries[r.IntN(len(destCountries))]
	}
	rt := crossguard.Route{Origin: origin, Departure: origin, Transit: []string{}, Destination: dest}
	if country != origin && country != dest {
		rt.Transit = append(rt.Transit, country)
	}
	if r.IntN(20) == 0 {
		rt.Origin = ""
	}
	return rt
}

// identifiers returns identifiers that fit the transport mode.
func (g *generator) identifiers(mode string, i int) []crossguard.Identifier {
	r := g.rng
	switch mode {
	case "road":
		return []crossguard.Identifier{{Type: "vehicle_plate", Value: fmt.Sprintf("%s-%04d", plates[r.IntN(len(plates))], r.IntN(10000))}}
	case "rail", "sea":
		return []crossguard.Identifier{{Type: "container", Value: containerNumber(owners[r.IntN(len(owners))], i)}}
	case "air":
		return []crossguard.Identifier{{Type: "flight", Value: fmt.Sprintf("%s%d", airlines[r.IntN(len(airlines))], 100+r.IntN(900))},
			{Type: "waybill", Value: airWaybill(r.IntN(1e7))}}
	case "postal":
		return []crossguard.Identifier{{Type: "postal_item", Value: postalItem(r.IntN(1e8))}}
	}
	return []crossguard.Identifier{}
}

// airWaybill returns the IATA air waybill of a carrier with a 7-digit
// serial and its check digit, the serial modulo 7.
func airWaybill(serial int) string {
	return fmt.Sprintf("176-%07d%d", serial, serial%7)
}

// postalItem returns the UPU S10 identifier of an express mail item from
// Pakistan with an 8-digit serial. Its check digit is the one of the ten
// that package identifier, where the S10 weights live, accepts.
func postalItem(serial int) string {
	for d := range 10 {
		s := fmt.Sprintf("EE%08d%dPK", serial, d)
		if _, err := identifier.Normalize(identifier.PostalItem, s); err == nil {
			return s
		}
	}
	panic("no S10 check digit for serial " + fmt.Sprint(serial)) // one of ten always fits
}

// containerNumber returns a valid ISO 6346 container number of owner code
// owner (3 letters) with serial i modulo a million.
func containerNumber(owner string, i int) string {
	s := fmt.Sprintf("%sU%06d", owner, i%1000000)
	sum := 0
	for k := range 10 {
		c := s[k]
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = 10 + int(c-'A')
			v += (v - 1) / 10 // skip 11, 22 and 33
		}
		sum += v << k
	}
	return fmt.Sprintf("%s%d", s, sum%11%10)
}

// pick returns one of items, drawn with weights (of the same length).
func pick[T any](r *rand.Rand, items []T, weights []float64) T {
	return items[pickIndex(r, weights)]
}

// pickIndex returns an index drawn with weights.
func pickIndex(r *rand.Rand, weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := r.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}
