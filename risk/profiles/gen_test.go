package profiles

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"crossguard"
)

// generator makes realistic random profiles, deterministically for a
// seed: each profile describes the traffic of a random train.csv row (its
// HS code to 2-6 digits, its countries, office, traders, value per kg and
// mass), so that profiles hit as often as real ones would.
type generator struct {
	r    *rand.Rand
	rows []*crossguard.Declaration
	// exotic adds the rarer fields and operators (dates, weekdays,
	// months, tax amounts, codes given as JSON numbers...).
	exotic bool
}

func newGenerator(tb testing.TB, seed uint64, exotic bool) *generator {
	return &generator{r: rand.New(rand.NewPCG(seed, 0x5eed)), rows: loadDeclarations(tb, trainCSV), exotic: exotic}
}

// profiles returns n profiles that pass Check, sorted as the index
// orders its matches.
func (g *generator) profiles(tb testing.TB, n int) []*crossguard.Profile {
	tb.Helper()
	var out []*crossguard.Profile
	refused := 0
	for len(out) < n {
		p := g.profile(len(out) + refused)
		if err := Check(p); err != nil {
			refused++
			if refused > n/2+100 {
				tb.Fatalf("the generator makes too many refused profiles; last: %v", err)
			}
			continue
		}
		out = append(out, p)
	}
	slices.SortStableFunc(out, func(a, b *crossguard.Profile) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

func (g *generator) row() *crossguard.Declaration { return g.rows[g.r.IntN(len(g.rows))] }

// round keeps two significant digits, as an analyst would write.
func round(x float64) float64 {
	if x <= 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	e := math.Pow(10, math.Floor(math.Log10(x))-1)
	return math.Round(x/e) * e
}

func cond(field, op string, v any) crossguard.Condition {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return crossguard.Condition{Field: field, Op: op, Value: b}
}

func (g *generator) profile(i int) *crossguard.Profile {
	d := g.row()
	var cs []crossguard.Condition
	numericOnly := false
	switch k := g.r.IntN(100); {
	case k < 40:
		cs = append(cs, cond("hs6_code", crossguard.OpPrefix, d.HSPrefix(2+g.r.IntN(5))))
	case k < 52:
		cs = append(cs, cond("importer_id", crossguard.OpEq, d.ImporterID))
	case k < 58:
		cs = append(cs, cond("declarant_id", crossguard.OpEq, d.DeclarantID))
	case k < 63:
		cs = append(cs, cond("seller_id", crossguard.OpEq, d.SellerID))
	case k < 73:
		l := []string{string(d.CountryOfOrigin)}
		for range g.r.IntN(3) {
			l = append(l, string(g.row().CountryOfOrigin))
		}
		cs = append(cs, cond("country_of_origin", crossguard.OpIn, l), cond("hs6_code", crossguard.OpPrefix, d.HSPrefix(2+g.r.IntN(3))))
	case k < 80:
		cs = append(cs, cond("office_id", crossguard.OpEq, d.OfficeID))
	case k < 88:
		l := []string{string(d.HS6Code)}
		for range 1 + g.r.IntN(4) {
			l = append(l, string(g.row().HS6Code))
		}
		cs = append(cs, cond("hs6_code", crossguard.OpIn, l))
	case k < 92:
		if g.r.IntN(2) == 0 {
			cs = append(cs, cond("hs2", crossguard.OpEq, d.HSPrefix(2)))
		} else {
			cs = append(cs, cond("hs4", crossguard.OpEq, d.HSPrefix(4)))
		}
	case k < 95:
		cs = append(cs, cond("country_of_departure", crossguard.OpEq, d.CountryOfDeparture), cond("tax_type", crossguard.OpEq, d.TaxType))
	default:
		numericOnly = true
		v := d.ValuePerKg()
		if math.IsNaN(v) {
			v = 1
		}
		cs = append(cs, cond("value_per_kg", crossguard.OpBetween, []float64{round(v * 0.8), round(v*1.25) + 1}))
		cs = append(cs, cond("net_mass", crossguard.OpGe, round(d.NetMass*0.5)))
	}
	for range g.r.IntN(4) {
		if len(cs) >= 4 {
			break
		}
		cs = append(cs, g.extra(d, numericOnly))
	}
	from := time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.r.IntN(270))
	p := &crossguard.Profile{
		Header:    crossguard.Header{ID: fmt.Sprintf("p%06d", i), Kind: crossguard.KindProfile},
		Name:      fmt.Sprintf("generated %d", i),
		Channel:   crossguard.SelectingChannels[g.r.IntN(3)],
		Score:     float64(g.r.IntN(101)) / 100,
		ValidFrom: from.Format(time.DateOnly),
	}
	if g.r.IntN(10) < 6 {
		p.ValidTo = from.AddDate(0, 0, 30+g.r.IntN(335)).Format(time.DateOnly)
	}
	p.Conditions = cs
	return p
}

// extra is a further condition on the traffic of row d.
func (g *generator) extra(d *crossguard.Declaration, numericOnly bool) crossguard.Condition {
	v := d.ValuePerKg()
	if math.IsNaN(v) {
		v = 1
	}
	n := 6
	if numericOnly {
		n = 3
	}
	if g.exotic {
		n += 10
	}
	switch g.r.IntN(n) {
	case 0:
		return cond("value_per_kg", crossguard.OpLt, round(v*1.5)+1)
	case 1:
		return cond("net_mass", crossguard.OpGt, round(d.NetMass*0.3))
	case 2:
		return cond("item_price", crossguard.OpBetween, []float64{round(d.ItemPrice * 0.5), round(d.ItemPrice*2) + 1})
	case 3:
		return cond("country_of_origin", crossguard.OpEq, d.CountryOfOrigin)
	case 4:
		return cond("office_id", crossguard.OpEq, d.OfficeID)
	case 5:
		return cond("import_use", crossguard.OpEq, d.ImportUse)
	case 6:
		return cond("date", crossguard.OpPrefix, d.Date[:7])
	case 7:
		return cond("weekday", crossguard.OpIn, []int{g.r.IntN(7), g.r.IntN(7), g.r.IntN(7)})
	case 8:
		lo := 1 + g.r.IntN(12)
		return cond("month", crossguard.OpBetween, []int{lo, lo + g.r.IntN(13-lo)})
	case 9:
		return cond("tax_amount", crossguard.OpGe, round(d.TaxAmount()*0.5))
	case 10:
		return cond("tax_rate", crossguard.OpIn, []float64{d.TaxRate, 0, 8})
	case 11:
		// An office as a JSON number, as exporters write it.
		n, _ := strconv.Atoi(string(d.OfficeID))
		return cond("office_id", crossguard.OpIn, []any{n, "99"})
	case 12:
		return cond("value_per_kg", crossguard.OpLe, round(v))
	case 13:
		return cond("process_type", crossguard.OpIn, []string{string(d.ProcessType), "A"})
	case 14:
		return cond("net_mass", crossguard.OpEq, d.NetMass)
	}
	return cond("hs4", crossguard.OpPrefix, d.HSPrefix(3))
}
