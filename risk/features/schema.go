// Package features turns a cargo declaration into the vector of numbers
// the fraud model learns from and scores.
//
// An Encoder is fitted on the training declarations and travels inside
// the model file, so that a declaration is encoded at scoring time exactly
// as at training time. It holds, for each categorical field, the values
// seen in training ranked by frequency (the rank is the feature, the
// count another), and per HS code (6 and 4 digits) the mean and spread of
// the log price, log mass and log value per kg, from which a
// declaration's distance to what is usual for its goods is measured.
// Values never seen in training (a new office, say) encode as missing
// rank and count 0, which the trees route like rare values.
//
// Features come in groups named after the declaration field they describe
// (country_of_origin, value_per_kg, ...), the names profiles use, so that
// a model's explanation can speak in terms an analyst knows.
package features

import (
	"fmt"

	"crossguard"
)

// catField is a categorical declaration field.
type catField struct {
	name string
	get  func(*crossguard.Declaration) crossguard.Code
}

// catFields are the categorical fields, in feature order. Changing them
// changes the feature layout: bump the model format version.
//
// The trader identifiers (declarant, importer, seller) are left out on
// purpose: on the labelled declarations, every way of feeding them to the
// model tried (frequency ranks, counts, smoothed past fraud rates, out of
// fold or in time order) made it worse on later months, and worse the
// longer the gap, while the goods, their origin and their declared values
// carry the signal that lasts.
var catFields = []catField{
	{"office_id", func(d *crossguard.Declaration) crossguard.Code { return d.OfficeID }},
	{"process_type", func(d *crossguard.Declaration) crossguard.Code { return d.ProcessType }},
	{"import_type", func(d *crossguard.Declaration) crossguard.Code { return d.ImportType }},
	{"import_use", func(d *crossguard.Declaration) crossguard.Code { return d.ImportUse }},
	{"payment_type", func(d *crossguard.Declaration) crossguard.Code { return d.PaymentType }},
	{"mode_of_transport", func(d *crossguard.Declaration) crossguard.Code { return d.ModeOfTransport }},
	{"courier_id", func(d *crossguard.Declaration) crossguard.Code { return d.CourierID }},
	{"hs6_code", func(d *crossguard.Declaration) crossguard.Code { return d.HS6Code }},
	{"country_of_departure", func(d *crossguard.Declaration) crossguard.Code { return d.CountryOfDeparture }},
	{"country_of_origin", func(d *crossguard.Declaration) crossguard.Code { return d.CountryOfOrigin }},
	{"tax_type", func(d *crossguard.Declaration) crossguard.Code { return d.TaxType }},
	{"country_of_origin_indicator", func(d *crossguard.Declaration) crossguard.Code { return d.CountryOfOriginIndicator }},
}

// Measures of a declaration compared with the usual for its HS6 code, in
// the order of GroupStats.Mean.
const (
	measurePrice = iota
	measureMass
	measureValuePerKg
	numMeasures
)

// measureGroups names the group of each measure.
var measureGroups = [numMeasures]string{"item_price", "net_mass", "value_per_kg"}

// HS levels at which a declaration's measures are compared with the
// usual: the subheading (6 digits) and the heading (4).
var hsLevels = [...]int{6, 4}

// Positions of the features after the categorical ones (each categorical
// field i has its rank at 2i and its count at 2i+1).
var (
	fHS2       = 2 * len(catFields)
	fHS4       = fHS2 + 1
	fTaxRate   = fHS2 + 2
	fTaxAmount = fHS2 + 3
	fLog       = fHS2 + 4 // + measure: log1p of price, mass, value per kg
	// fRel + level*2*numMeasures + 2*measure is the difference of the
	// measure's log1p from its mean at the HS level, and the next
	// position that difference in standard deviations.
	fRel       = fLog + numMeasures
	numFeature = fRel + len(hsLevels)*2*numMeasures
)

// schema lists every feature's name and group, in vector order.
var schema = buildSchema()

// feature describes one position of the vector.
type feature struct {
	name  string
	group int
}

// groupNames are the names of the feature groups, indexed by group.
var groupNames []string

func buildSchema() []feature {
	groups := map[string]int{}
	group := func(name string) int {
		if g, ok := groups[name]; ok {
			return g
		}
		groups[name] = len(groupNames)
		groupNames = append(groupNames, name)
		return groups[name]
	}
	s := make([]feature, numFeature)
	for i, c := range catFields {
		g := group(c.name)
		s[2*i] = feature{c.name + "_rank", g}
		s[2*i+1] = feature{c.name + "_count", g}
	}
	s[fHS2] = feature{"hs2", group("hs2")}
	s[fHS4] = feature{"hs4", group("hs4")}
	s[fTaxRate] = feature{"tax_rate", group("tax_rate")}
	s[fTaxAmount] = feature{"log_tax_amount", group("tax_amount")}
	for m, name := range measureGroups {
		g := group(name)
		s[fLog+m] = feature{"log_" + name, g}
		for l, digits := range hsLevels {
			at := fRel + l*2*numMeasures + 2*m
			s[at] = feature{fmt.Sprintf("log_%s_vs_hs%d", name, digits), g}
			s[at+1] = feature{fmt.Sprintf("%s_z_hs%d", name, digits), g}
		}
	}
	return s
}

// MaxFeatures bounds NumFeatures, so that a caller can keep a feature
// vector in an array on the stack.
const MaxFeatures = 64

// NumFeatures is the length of a feature vector.
func NumFeatures() int { return numFeature }

// Names returns the name of every feature, in vector order.
func Names() []string {
	out := make([]string, len(schema))
	for i, f := range schema {
		out[i] = f.name
	}
	return out
}

// Groups returns the names of the feature groups: declaration fields
// (hs6_code, country_of_origin, ...) or derived fields (value_per_kg,
// hs2, ...), as profiles name them.
func Groups() []string { return append([]string(nil), groupNames...) }

// GroupOf returns the group of feature i.
func GroupOf(i int) int { return schema[i].group }
