package sample

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"crossguard"
)

// Span is how far back before now the sample seizures occurred.
const Span = 2 * 365 * 24 * time.Hour

// Seizures returns n sample seizures that occurred within Span before now.
// The same seed gives the same seizures. They are valid at now but not
// stamped: the header's id, origin, version and timestamps are left for
// node.Sharing.PrepareSeizure or the caller to set.
func Seizures(n int, seed int64, now time.Time) []*crossguard.Seizure {
	out := make([]*crossguard.Seizure, 0, n)
	_ = Each(n, seed, now, func(s *crossguard.Seizure) error {
		out = append(out, s)
		return nil
	})
	return out
}

// Each calls fn with n sample seizures, the same ones that Seizures
// returns, one at a time so that millions can be made in little memory. It
// stops at fn's first error and returns it.
func Each(n int, seed int64, now time.Time, fn func(*crossguard.Seizure) error) error {
	g := newGenerator(seed, now)
	for range n {
		if err := fn(g.seizure()); err != nil {
			return err
		}
	}
	return nil
}

// generator makes seizures from one random stream.
type generator struct {
	r           *rand.Rand
	now         time.Time
	totalWeight int
}

// newGenerator returns a generator seeded with seed.
func newGenerator(seed int64, now time.Time) *generator {
	g := &generator{r: rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15)), now: now.UTC()}
	for _, k := range goodsKinds {
		g.totalWeight += k.weight
	}
	return g
}

// seizure makes the next seizure.
func (g *generator) seizure() *crossguard.Seizure {
	r := g.r
	kind := g.kind()
	laneKey := pick(r, kind.lanes)
	ln := lanes[laneKey]
	placeKey := pick(r, ln.places)
	pl := places[placeKey]
	mode := pick(r, pl.modes)
	dest := pick(r, ln.destinations)
	cover := pick(r, covers)
	conveyance := g.conveyance(mode)
	concealment := g.concealment(kind, mode)
	detection := pickWeighted(r, detectionWeights)

	s := &crossguard.Seizure{
		OccurredAt:      g.now.Add(-time.Duration(r.Int64N(int64(Span/time.Minute))) * time.Minute).Truncate(time.Minute),
		Country:         pl.country,
		Place:           crossguard.Place{Name: pl.name, LOCODE: pl.locode, Lat: ptr(pl.lat), Lon: ptr(pl.lon)},
		Office:          pl.office,
		Direction:       direction(pl.country, ln.origin, dest),
		TransportMode:   mode,
		Conveyance:      conveyance,
		DetectionMethod: detection,
		Concealment:     concealment,
		Route:           crossguard.Route{Origin: ln.origin, Departure: departure(ln), Transit: slices.Clone(ln.transit), Destination: dest},
	}
	// What travels on a body, in luggage or in a parcel is small.
	small := concealment == "on_body" || concealment == "in_luggage" || concealment == "in_parcel"
	s.Goods = append(s.Goods, g.goods(kind, pl.country, small))
	if r.IntN(100) < 15 {
		for range 1 + r.IntN(2) {
			if other, ok := g.companion(kind, laneKey); ok {
				s.Goods = append(s.Goods, g.goods(other, pl.country, small))
			}
		}
	}
	s.Identifiers = g.identifiers(mode, conveyance, placeKey, ln.origin, dest)
	s.Narrative = narrative(r, concealment, detection, cover, conveyance, ln.origin, dest)
	g.marking(s)
	s.Normalize()
	return s
}

// kind draws a kind of goods by weight.
func (g *generator) kind() goodsKind {
	n := g.r.IntN(g.totalWeight)
	for _, k := range goodsKinds {
		if n < k.weight {
			return k
		}
		n -= k.weight
	}
	return goodsKinds[0]
}

// companion draws another kind of goods that travels the same lane, for a
// seizure of several lines of goods.
func (g *generator) companion(kind goodsKind, laneKey string) (goodsKind, bool) {
	var fits []goodsKind
	for _, k := range goodsKinds {
		if slices.Contains(k.lanes, laneKey) && k.description() != kind.description() {
			fits = append(fits, k)
		}
	}
	if len(fits) == 0 {
		return goodsKind{}, false
	}
	return fits[g.r.IntN(len(fits))], true
}

// description returns a kind's first description, which identifies it.
func (k goodsKind) description() string { return k.descriptions[0] }

// goods makes one line of goods of kind, valued in the currency used where
// it was seized; a small one holds at most a twentieth of the largest
// quantity.
func (g *generator) goods(kind goodsKind, country string, small bool) crossguard.Goods {
	r := g.r
	hi := kind.max
	if small {
		hi = math.Max(kind.min, kind.max/20)
	}
	// Quantities spread log-uniformly: many small seizures, few large.
	q := math.Exp(math.Log(kind.min) + r.Float64()*(math.Log(hi)-math.Log(kind.min)))
	switch {
	case kind.unit == "kg" && q < 10, kind.unit == "t", kind.unit == "l" && q < 10:
		q = math.Round(q*100) / 100
	case kind.unit == "kg" || kind.unit == "l":
		q = math.Round(q*10) / 10
	case q >= 10000:
		q = math.Round(q/1000) * 1000
	default:
		q = math.Round(q)
	}
	q = math.Max(q, kind.min)
	gd := crossguard.Goods{Category: kind.category, HS: kind.hs, Description: pick(r, kind.descriptions), Quantity: q, Unit: kind.unit}
	if kind.category == "currency" {
		gd.Value = &crossguard.Money{Amount: q * kind.usdPerUnit, Currency: "USD"}
	} else if r.IntN(10) < 7 {
		usd := q * kind.usdPerUnit * (0.6 + 0.8*r.Float64())
		cur, rate := localCurrency(r, country)
		gd.Value = &crossguard.Money{Amount: math.Round(usd*rate*100) / 100, Currency: cur}
	}
	return gd
}

// localCurrency returns the currency a seizure in country is valued in and
// its approximate rate to the US dollar.
func localCurrency(r *rand.Rand, country string) (string, float64) {
	switch {
	case r.IntN(2) == 0:
		return "USD", 1
	case country == "PK":
		return "PKR", 280
	case country == "CN":
		return "CNY", 7.2
	case country == "AF":
		return "AFN", 70
	}
	return "USD", 1
}

// conveyances are the conveyances seen, by transport mode.
var conveyances = map[string][]string{
	"road":       {"Hino truck", "Bedford truck", "Shacman tractor-trailer", "pickup truck", "passenger coach", "minivan", "container trailer", "fuel tanker"},
	"rail":       {"freight wagon", "container flat wagon"},
	"air":        {"passenger flight", "cargo flight"},
	"sea":        {"container vessel", "general cargo vessel", "dhow"},
	"postal":     {"express mail", "parcel post"},
	"pedestrian": {"on foot", "pack animals", "handcart"},
}

// conveyance draws a conveyance for a transport mode.
func (g *generator) conveyance(mode string) string {
	return pick(g.r, conveyances[mode])
}

// modeConcealments are the concealments possible in each transport mode
// (no spare tyres on a flight).
var modeConcealments = map[string][]string{
	"road":       {"false_compartment", "natural_cavity", "in_cargo", "mixed_with_goods", "other"},
	"rail":       {"false_compartment", "in_cargo", "mixed_with_goods"},
	"sea":        {"false_compartment", "in_cargo", "mixed_with_goods"},
	"air":        {"in_luggage", "on_body", "in_cargo", "in_parcel"},
	"postal":     {"in_parcel"},
	"pedestrian": {"on_body", "in_luggage", "other"},
}

// concealment draws how kind was hidden, keeping to what the transport
// mode allows.
func (g *generator) concealment(kind goodsKind, mode string) string {
	allowed := modeConcealments[mode]
	var fits []string
	for _, c := range kind.concealments {
		if slices.Contains(allowed, c) {
			fits = append(fits, c)
		}
	}
	if len(fits) == 0 {
		return pick(g.r, allowed)
	}
	return pick(g.r, fits)
}

// detectionWeights weight the detection methods: most seizures come from
// risk profiles, scanners and dogs.
var detectionWeights = []weighted{
	{"risk_profile", 30}, {"xray", 25}, {"canine", 12}, {"intelligence", 12},
	{"tip_off", 8}, {"random", 5}, {"routine", 8},
}

// identifiers makes the identifiers recorded for a seizure by transport
// mode: plates and consignment notes on the road, containers, vessels and
// bills of lading at sea, flights and air waybills in the air, S10 item
// numbers in the post.
func (g *generator) identifiers(mode, conveyance, placeKey, origin, dest string) []crossguard.Identifier {
	r := g.r
	pl := places[placeKey]
	var ids []crossguard.Identifier
	add := func(typ, value string) { ids = append(ids, crossguard.Identifier{Type: typ, Value: value}) }
	switch mode {
	case "road":
		plateCountry := pl.country
		if r.IntN(10) < 3 {
			plateCountry = pick(r, []string{origin, dest})
		}
		add("vehicle_plate", plate(r, plateCountry))
		if r.IntN(10) < 3 {
			add("container", container(r))
		}
		if r.IntN(10) < 3 {
			add("bill_of_lading", consignmentNote(r, pl.country))
		}
		if r.IntN(10) < 2 {
			add("company_registration", companyRegistration(r, pl.country))
		}
	case "rail":
		add("container", container(r))
		add("bill_of_lading", consignmentNote(r, pl.country))
	case "sea":
		if conveyance != "dhow" {
			for range 1 + r.IntN(3) {
				add("container", container(r))
			}
		}
		if r.IntN(10) < 6 {
			add("vessel_imo", vesselIMO(r))
		}
		if r.IntN(2) == 0 {
			add("bill_of_lading", billOfLading(r))
		}
		if r.IntN(10) < 3 {
			add("company_registration", companyRegistration(r, pl.country))
		}
	case "air":
		if len(flights[placeKey]) > 0 && r.IntN(10) < 9 {
			add("flight", pick(r, flights[placeKey]))
		}
		if r.IntN(2) == 0 {
			add("waybill", airWaybill(r))
		}
	case "postal":
		add("postal_item", postalItem(r, pick(r, []string{"CN", "PK", "AE"})))
	}
	return ids
}

// marking sets distribution, recipients and the marking: mostly TLP:GREEN
// and TLP:AMBER shared with partners, a few records kept in the agency,
// and TLP:RED only with named recipients.
func (g *generator) marking(s *crossguard.Seizure) {
	r := g.r
	s.Marking.TLP = pickWeighted(r, []weighted{{"clear", 5}, {"green", 45}, {"amber", 40}, {"amber+strict", 7}, {"red", 3}})
	s.Marking.Handling = pickWeighted(r, []weighted{{"H0", 50}, {"H1", 25}, {"H2", 20}, {"H3", 5}})
	if s.Marking.Handling == crossguard.HandlingH3 {
		// A fixed text, so that the random stream (and every sample
		// after this one) stays as it was before H3 needed one.
		s.Marking.Conditions = "Inform the originating agency before any operational use."
	}
	if r.IntN(10) < 8 {
		s.Marking.SourceReliability = pickWeighted(r, []weighted{{"A", 25}, {"B", 45}, {"C", 25}, {"X", 5}})
		s.Marking.InfoAccuracy = pickWeighted(r, []weighted{{"1", 20}, {"2", 50}, {"3", 25}, {"4", 5}})
	}
	switch s.Marking.TLP {
	case "amber+strict":
		s.Distribution = pick(r, []string{"agency", "local"})
	case "red":
		s.Distribution = "partners"
		s.Recipients = recipients(r)
	default:
		s.Distribution = pickWeighted(r, []weighted{{"partners", 60}, {"network", 20}, {"agency", 15}, {"local", 5}})
		if s.Distribution == "partners" && r.IntN(100) < 15 {
			s.Recipients = recipients(r)
		}
	}
}

// recipients draws one or two distinct partner agencies.
func recipients(r *rand.Rand) []string {
	a := pick(r, agencies)
	b := pick(r, agencies)
	if a == b || r.IntN(2) == 0 {
		return []string{a}
	}
	return []string{a, b}
}

// direction is import where goods were seized in their destination
// country, export where they were seized in their origin country, and
// transit elsewhere.
func direction(country, origin, dest string) string {
	switch country {
	case dest:
		return "import"
	case origin:
		return "export"
	}
	return "transit"
}

// departure is the country goods left for the last leg: the last transit
// country, or the origin.
func departure(ln lane) string {
	if len(ln.transit) > 0 {
		return ln.transit[len(ln.transit)-1]
	}
	return ln.origin
}

// weighted is a choice and its weight.
type weighted struct {
	value  string
	weight int
}

// pickWeighted draws one of choices by weight.
func pickWeighted(r *rand.Rand, choices []weighted) string {
	total := 0
	for _, c := range choices {
		total += c.weight
	}
	n := r.IntN(total)
	for _, c := range choices {
		if n < c.weight {
			return c.value
		}
		n -= c.weight
	}
	return choices[0].value
}

// pick draws one element of list.
func pick[T any](r *rand.Rand, list []T) T {
	return list[r.IntN(len(list))]
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }
