package sample

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"crossguard"
)

// DeclarationSpan is the period sample declarations are dated over: they
// fall in the DeclarationSpan after from, earliest first.
const DeclarationSpan = 365 * 24 * time.Hour

// Labelled is a sample declaration with its known outcome, as in the
// Fraud and Critical Fraud columns of the declaration files: what an
// inspection of it would have found.
type Labelled struct {
	Declaration *crossguard.Declaration
	Label       crossguard.Label
}

// Declarations returns n sample cargo declarations lodged on the
// Karakoram corridor over the DeclarationSpan after from: goods entering
// Pakistan from China at Sost (crossing "sost") and goods entering China
// from Pakistan at the Khunjerab port (crossing "khunjerab"). The same
// seed gives the same declarations; every one passes
// crossguard.Declaration.Validate. They are the declarations of
// LabelledDeclarations without their labels.
func Declarations(n int, seed int64, from time.Time) []*crossguard.Declaration {
	out := make([]*crossguard.Declaration, 0, n)
	_ = EachDeclaration(n, seed, from, func(d *crossguard.Declaration, _ crossguard.Label) error {
		out = append(out, d)
		return nil
	})
	return out
}

// LabelledDeclarations returns the declarations of Declarations with
// their labels. About one in six is a fraud, and the frauds follow a
// pattern a model can learn: some importers commit far more of them
// than others, goods re-routed through certain countries of origin
// (Afghanistan, the United Arab Emirates, Hong Kong) are riskier, and
// frauds in valuable goods (alkaloids, cigarettes, firearms, phones,
// gemstones...) are mostly values declared far below the usual value
// per kg of their HS code.
func LabelledDeclarations(n int, seed int64, from time.Time) []Labelled {
	out := make([]Labelled, 0, n)
	_ = EachDeclaration(n, seed, from, func(d *crossguard.Declaration, l crossguard.Label) error {
		out = append(out, Labelled{d, l})
		return nil
	})
	return out
}

// EachDeclaration calls fn with the n declarations of
// LabelledDeclarations, one at a time, so that many can be made in little
// memory. It stops at fn's first error and returns it.
func EachDeclaration(n int, seed int64, from time.Time, fn func(*crossguard.Declaration, crossguard.Label) error) error {
	g := newDeclGenerator(seed, from, n)
	for i := range n {
		if err := fn(g.declaration(i)); err != nil {
			return err
		}
	}
	return nil
}

// Declaration ids are 8-digit numbers, as in the declaration files: the
// i-th declaration of a seed gets (base + i × idStride) mod idSpace, which
// is distinct for every i below idSpace because idStride is prime to it.
const (
	idSpace  = 90_000_000
	idStride = 48_271
)

// The odds of fraud, in log-odds: a base rate, raised for risky importers
// and by the goods' and the origin's risk.
const (
	baseFraudLogit     = -2.45
	riskyImporterLogit = 2.6
)

// Codes of the declaration files' categorical fields, weighted as they
// occur there.
var (
	importTypes      = []weighted{{"11", 88}, {"15", 4}, {"29", 3}, {"87", 5}}
	importUses       = []weighted{{"21", 90}, {"11", 6}, {"26", 4}}
	paymentTypes     = []weighted{{"11", 60}, {"43", 25}, {"18", 8}, {"14", 7}}
	originIndicators = []weighted{{"E", 30}, {"G", 25}, {"Y", 20}, {"B", 15}, {"S", 10}}
)

// roadTransport is the mode of transport code of every declaration over
// the pass (UN/ECE Recommendation 19: 3, road).
const roadTransport = "30"

// declGenerator makes declarations from one random stream.
type declGenerator struct {
	r      *rand.Rand
	from   time.Time
	n      int
	idBase int64
}

// newDeclGenerator returns a generator of n declarations from from,
// seeded with seed.
func newDeclGenerator(seed int64, from time.Time, n int) *declGenerator {
	r := rand.New(rand.NewPCG(uint64(seed), 0x2545f4914f6cdd1d))
	y, m, d := from.UTC().Date()
	return &declGenerator{r: r, from: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), n: max(n, 1), idBase: r.Int64N(idSpace)}
}

// declaration makes the i-th declaration and its label.
func (g *declGenerator) declaration(i int) (*crossguard.Declaration, crossguard.Label) {
	r := g.r
	s := sides[r.IntN(len(sides))]
	gd := s.pickGoods(r)
	im := s.traders.importer(r)
	origin := pickWeighted(r, s.origins)
	declarant := im.declarant
	if r.IntN(5) == 0 {
		declarant = pick(r, s.traders.declarants)
	}
	taxType := pickWeighted(r, s.taxTypes)

	logit := baseFraudLogit + gd.risk + s.originRisk[origin]
	if im.risky {
		logit += riskyImporterLogit
	}
	var label crossguard.Label
	if r.Float64() < 1/(1+math.Exp(-logit)) {
		label = crossguard.Label{Fraud: 1, Critical: 1}
		if gd.critical && r.IntN(2) == 0 {
			label.Critical = 2
		}
	}
	mass := math.Exp(math.Log(gd.minKg) + r.Float64()*(math.Log(gd.maxKg)-math.Log(gd.minKg)))
	price := gd.usdPerKg * mass * math.Exp(0.3*r.NormFloat64())
	switch {
	case label.Positive() && r.Float64() < gd.underValue:
		// Under-declared: 5% to 35% of the usual value.
		price *= math.Exp(math.Log(0.05) + r.Float64()*(math.Log(0.35)-math.Log(0.05)))
	case !label.Positive() && r.IntN(100) < 3:
		// A genuine clearance sale or damaged goods.
		price *= 0.4 + 0.3*r.Float64()
	}
	days := int(int64(i) * int64(DeclarationSpan/(24*time.Hour)) / int64(g.n))
	d := &crossguard.Declaration{
		DeclarationID:            crossguard.Code(fmt.Sprintf("%08d", 10_000_000+(g.idBase+int64(i)*idStride)%idSpace)),
		Date:                     g.from.AddDate(0, 0, days).Format(time.DateOnly),
		OfficeID:                 crossguard.Code(pickWeighted(r, s.offices)),
		ProcessType:              "B",
		ImportType:               crossguard.Code(pickWeighted(r, importTypes)),
		ImportUse:                crossguard.Code(pickWeighted(r, importUses)),
		PaymentType:              crossguard.Code(pickWeighted(r, paymentTypes)),
		ModeOfTransport:          roadTransport,
		DeclarantID:              crossguard.Code(declarant),
		ImporterID:               crossguard.Code(im.id),
		SellerID:                 crossguard.Code(pick(r, im.sellers)),
		HS6Code:                  crossguard.Code(gd.hs),
		CountryOfDeparture:       crossguard.Code(s.departure),
		CountryOfOrigin:          crossguard.Code(origin),
		TaxRate:                  taxRate(gd.tax, taxType),
		TaxType:                  crossguard.Code(taxType),
		CountryOfOriginIndicator: crossguard.Code(pickWeighted(r, originIndicators)),
		NetMass:                  roundMass(mass),
		ItemPrice:                math.Max(0.01, math.Round(price*100)/100),
		Identifiers:              g.declIdentifiers(s),
		Crossing:                 s.crossing,
	}
	return d, label
}

// pickGoods draws goods of a side by weight.
func (s *side) pickGoods(r *rand.Rand) declGoods {
	total := 0
	for _, gd := range s.goods {
		total += gd.weight
	}
	n := r.IntN(total)
	for _, gd := range s.goods {
		if n < gd.weight {
			return gd
		}
		n -= gd.weight
	}
	return s.goods[0]
}

// taxRate is the rate a tax type applies to goods of full rate tax: the
// free trade agreement's preferential rate is 40% of it, a concession
// nothing.
func taxRate(tax float64, taxType string) float64 {
	switch taxType {
	case "A":
		return tax
	case "C":
		return 0
	}
	return math.Round(tax*4) / 10
}

// roundMass rounds a net mass as a declarant would: to 10 g under 10 kg,
// to 100 g above.
func roundMass(kg float64) float64 {
	if kg < 10 {
		return math.Max(0.01, math.Round(kg*100)/100)
	}
	return math.Round(kg*10) / 10
}

// declIdentifiers gives most declarations the plate of the truck that
// carries the goods (mostly from the exporting side's fleet) and some a
// container number.
func (g *declGenerator) declIdentifiers(s *side) []crossguard.Identifier {
	r := g.r
	var ids []crossguard.Identifier
	if r.IntN(100) < 80 {
		country := s.plateHome
		if r.IntN(100) < 35 {
			country = s.plateOther
		}
		ids = append(ids, crossguard.Identifier{Type: "vehicle_plate", Value: plate(r, country)})
	}
	if r.IntN(100) < 30 {
		ids = append(ids, crossguard.Identifier{Type: "container", Value: container(r)})
	}
	return ids
}
