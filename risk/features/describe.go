package features

import (
	"math"
	"strconv"

	"crossguard"
)

// Describe says in words what the declaration's value of a feature group
// is, with the training statistics the model saw for it: for example
// "country_of_origin=TR (past fraud rate 0.27 over 91)" or
// "value_per_kg=3.2 (HS6 851712 usual: 45.1)". It returns "" for a
// group index out of range.
func (e *Encoder) Describe(d *crossguard.Declaration, group int) string {
	if group < 0 || group >= len(groupNames) {
		return ""
	}
	name := groupNames[group]
	for i, f := range catFields {
		if f.name != name {
			continue
		}
		value := string(f.get(d))
		shown := value
		if shown == "" {
			shown = "(none)"
		}
		v := &e.Vocabs[i]
		b := make([]byte, 0, 64)
		b = append(append(append(b, name...), '='), shown...)
		j, ok := v.index[value]
		if !ok {
			return string(append(b, " (not seen in training)"...))
		}
		c := v.Categories[j]
		b = append(b, " (past fraud rate "...)
		b = strconv.AppendFloat(b, float64(c.Frauds)/float64(c.Count), 'f', 2, 64)
		b = append(b, " over "...)
		b = strconv.AppendInt(b, int64(c.Count), 10)
		return string(append(b, ')'))
	}
	switch name {
	case "hs2":
		return "hs2=" + d.HSPrefix(2)
	case "hs4":
		return "hs4=" + d.HSPrefix(4)
	case "tax_rate":
		return "tax_rate=" + strconv.FormatFloat(d.TaxRate, 'f', -1, 64)
	case "tax_amount":
		return "tax_amount=" + derived(d.TaxAmount())
	case "item_price":
		return e.describeMeasure(d, name, strconv.FormatFloat(d.ItemPrice, 'f', -1, 64), measurePrice)
	case "net_mass":
		return e.describeMeasure(d, name, strconv.FormatFloat(d.NetMass, 'f', -1, 64), measureMass)
	case "value_per_kg":
		return e.describeMeasure(d, name, derived(d.ValuePerKg()), measureValuePerKg)
	}
	return name
}

// describeMeasure describes a measure with the usual value for the
// declaration's HS6 code (the value at the mean of its logs).
func (e *Encoder) describeMeasure(d *crossguard.Declaration, name, value string, m int) string {
	b := make([]byte, 0, 64)
	b = append(append(append(b, name...), '='), value...)
	b = append(append(b, " (HS6 "...), d.HS6Code...)
	s := e.hsStats(d, 0)
	if s == nil || math.IsNaN(s.Mean[m]) {
		return string(append(b, " not seen in training)"...))
	}
	b = append(append(b, " usual: "...), derived(math.Expm1(s.Mean[m]))...)
	return string(append(b, ')'))
}

// derived formats a computed number with a precision that suits its
// size.
func derived(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v):
		return "undefined"
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 1:
		return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}
