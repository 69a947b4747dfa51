package model

import (
	"fmt"
	"math"
	"math/rand/v2"

	"crossguard"
)

// usualValuePerKg is the typical declared value per kg of the synthetic
// goods.
var usualValuePerKg = map[string]float64{
	"851712": 900, "852580": 400, "293911": 3000, "610910": 25, "870324": 12, "440890": 2,
}

// syntheticExamples makes n labelled declarations in which fraud is
// undervaluation: a declaration is a fraud when its value per kg is under
// a third of what is usual for its goods. About a quarter are frauds.
func syntheticExamples(n int, seed uint64) []Example {
	rng := rand.New(rand.NewPCG(seed, 7))
	codes := []string{"851712", "852580", "293911", "610910", "870324", "440890"}
	countries := []string{"CN", "VN", "DE", "US", "PK", "TR"}
	out := make([]Example, n)
	for i := range out {
		hs := codes[rng.IntN(len(codes))]
		mass := math.Round(math.Exp(rng.NormFloat64()*1.2+4)*10) / 10
		vpk := usualValuePerKg[hs] * math.Exp(rng.NormFloat64()*0.3)
		fraud := rng.Float64() < 0.25
		if fraud {
			vpk *= 0.1 + 0.2*rng.Float64()
		}
		c := countries[rng.IntN(len(countries))]
		d := &crossguard.Declaration{
			DeclarationID:            crossguard.Code(fmt.Sprintf("S%d-%06d", seed, i)),
			Date:                     "2026-11-27",
			OfficeID:                 crossguard.Code(fmt.Sprint(10 * (1 + rng.IntN(5)))),
			ProcessType:              "B",
			ImportType:               "11",
			ImportUse:                "21",
			PaymentType:              "11",
			ModeOfTransport:          crossguard.Code([]string{"10", "40"}[rng.IntN(2)]),
			DeclarantID:              crossguard.Code(fmt.Sprintf("D%03d", rng.IntN(50))),
			ImporterID:               crossguard.Code(fmt.Sprintf("I%04d", rng.IntN(500))),
			SellerID:                 crossguard.Code(fmt.Sprintf("X%04d", rng.IntN(500))),
			HS6Code:                  crossguard.Code(hs),
			CountryOfDeparture:       crossguard.Code(c),
			CountryOfOrigin:          crossguard.Code(c),
			TaxRate:                  8,
			TaxType:                  "A",
			CountryOfOriginIndicator: "Y",
			NetMass:                  mass,
			ItemPrice:                math.Round(mass*vpk*100) / 100,
		}
		label := crossguard.Label{}
		if fraud {
			label = crossguard.Label{Fraud: 1, Critical: 1}
		}
		out[i] = Example{Decl: d, Label: label}
	}
	return out
}
