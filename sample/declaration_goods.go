package sample

import "math/rand/v2"

// The crossing points of the Karakoram corridor that sample declarations
// are lodged at: Sost dry port on the Pakistani side (goods entering
// Pakistan from China) and the Khunjerab port on the Chinese side, whose
// customs sit at Tashkurgan (goods entering China from Pakistan).
const (
	CrossingSost      = "sost"
	CrossingKhunjerab = "khunjerab"
)

// declGoods is a kind of goods declared at a crossing: its HS6 code, how
// often it is declared (weight), its usual value in US dollars per kg,
// the range of net masses of a consignment (drawn log-uniformly), the
// tax rate in percent, how much it raises the odds of fraud (log-odds)
// and the share of its frauds that are under-declared values.
type declGoods struct {
	hs         string
	weight     int
	usdPerKg   float64
	minKg      float64
	maxKg      float64
	tax        float64
	risk       float64
	underValue float64
	critical   bool // a fraud in these goods is usually a seizure
}

// side is one direction of trade over the pass: where the goods leave
// from, the origins declared, the offices that clear them and the goods.
type side struct {
	crossing  string
	departure string
	offices   []weighted
	origins   []weighted
	// originRisk raises the odds of fraud for declarations of these
	// origins (log-odds): goods re-routed through a third country.
	originRisk map[string]float64
	goods      []declGoods
	taxTypes   []weighted
	traders    *traders
	plateHome  string // country of most trucks' plates
	plateOther string
}

// sides are the two directions of trade, by crossing.
var sides = []*side{
	{
		crossing:  CrossingSost,
		departure: "CN",
		offices:   []weighted{{"SST1", 70}, {"SST2", 25}, {"GLT1", 5}}, // Sost import shed, Sost container yard, Gilgit inland office
		origins:   []weighted{{"CN", 84}, {"HK", 5}, {"AE", 4}, {"VN", 3}, {"KR", 2}, {"JP", 2}},
		originRisk: map[string]float64{
			"AE": 1.6, "HK": 1.2,
		},
		taxTypes:   []weighted{{"FCN1", 60}, {"A", 30}, {"C", 10}}, // FCN1: China–Pakistan free trade agreement
		plateHome:  "CN",
		plateOther: "PK",
		goods: []declGoods{
			{"847130", 5, 110, 30, 2500, 5, 0, 0.5, false},       // portable computers
			{"851713", 5, 260, 20, 1500, 12, 0.8, 0.7, false},    // smartphones
			{"854143", 10, 4, 2000, 24000, 0, 0, 0.3, false},     // solar modules
			{"850440", 4, 18, 200, 8000, 10, 0, 0.4, false},      // inverters
			{"847989", 8, 9, 500, 20000, 5, 0, 0.4, false},       // machinery n.e.s.
			{"843149", 5, 6, 100, 10000, 10, 0, 0.4, false},      // parts of construction machinery
			{"540752", 8, 3.2, 1000, 20000, 20, 0.5, 0.6, false}, // dyed woven polyester fabric
			{"520942", 4, 4, 1000, 20000, 20, 0.2, 0.6, false},   // denim
			{"401120", 5, 2.8, 2000, 18000, 20, 0.2, 0.5, false}, // truck and bus tyres
			{"690721", 5, 0.45, 10000, 28000, 20, 0, 0.3, false}, // ceramic tiles
			{"720851", 4, 0.7, 10000, 28000, 11, 0, 0.3, false},  // steel plate
			{"080810", 3, 0.9, 5000, 20000, 20, 0, 0.3, false},   // apples
			{"070320", 4, 1.1, 5000, 25000, 3, 0, 0.3, false},    // garlic
			{"611020", 4, 11, 200, 5000, 20, 0.3, 0.6, false},    // knitted cotton garments
			{"950300", 3, 5, 200, 6000, 20, 0, 0.5, false},       // toys
			{"293911", 1, 1200, 5, 200, 3, 1.0, 0.85, true},      // opium alkaloids (codeine, morphine salts)
			{"293941", 1, 140, 20, 500, 3, 1.2, 0.8, true},       // ephedrine and its salts
			{"240220", 2, 18, 200, 8000, 65, 1.0, 0.8, true},     // cigarettes
			{"930320", 1, 120, 20, 400, 20, 1.6, 0.5, true},      // sporting shotguns
		},
	},
	{
		crossing:  CrossingKhunjerab,
		departure: "PK",
		offices:   []weighted{{"KJB1", 75}, {"KSG1", 25}}, // Khunjerab port at Tashkurgan, Kashgar inland office
		origins:   []weighted{{"PK", 82}, {"AF", 12}, {"AE", 6}},
		originRisk: map[string]float64{
			"AF": 1.0, "AE": 0.9,
		},
		taxTypes:   []weighted{{"FPK1", 70}, {"A", 25}, {"C", 5}}, // FPK1: China–Pakistan free trade agreement
		plateHome:  "PK",
		plateOther: "CN",
		goods: []declGoods{
			{"080929", 5, 6, 500, 8000, 0, 0, 0.4, false},       // fresh cherries
			{"081310", 6, 3, 1000, 15000, 0, 0, 0.4, false},     // dried apricots
			{"080292", 5, 25, 500, 10000, 0, 0.2, 0.6, false},   // shelled pine nuts
			{"120740", 6, 1.6, 10000, 28000, 0, 0, 0.3, false},  // sesame seeds
			{"261000", 6, 0.3, 20000, 30000, 0, 0, 0.3, false},  // chromium ore
			{"251512", 4, 0.25, 15000, 30000, 0, 0, 0.3, false}, // marble
			{"520512", 6, 2.6, 5000, 25000, 0, 0, 0.4, false},   // cotton yarn
			{"410712", 3, 9, 500, 8000, 0, 0.2, 0.5, false},     // finished leather
			{"620342", 4, 10, 200, 5000, 0, 0.3, 0.5, false},    // cotton trousers
			{"100630", 4, 0.6, 10000, 28000, 1, 0, 0.3, false},  // milled rice
			{"710399", 2, 900, 0.5, 30, 0, 0.6, 0.8, false},     // worked gemstones
			{"293911", 1, 1200, 5, 200, 0, 1.2, 0.85, true},     // opium alkaloids
			{"240220", 2, 18, 200, 8000, 25, 1.0, 0.8, true},    // cigarettes
			{"930330", 1, 150, 20, 300, 13, 1.6, 0.5, true},     // sporting rifles
		},
	},
}

// traders are the companies and customs brokers of one side of the pass.
// They are the same for every seed, so that declarations generated
// apart (a history, and the live traffic of a demonstration) come from
// one population of traders, and a model trained on one knows the other.
type traders struct {
	importers  []importer
	declarants []string
}

// importer is a company that imports over the pass, with the customs
// broker that usually lodges its declarations and its usual suppliers.
// Risky importers commit fraud far more often than the others.
type importer struct {
	id        string
	declarant string
	sellers   []string
	risky     bool
}

// Trader population of each side.
const (
	importersPerSide  = 240
	declarantsPerSide = 40
	riskyImporterRate = 10 // percent of importers
)

func init() {
	for i, s := range sides {
		s.traders = newTraders(rand.New(rand.NewPCG(uint64(1000+i), 0x5851f42d4c957f2d)))
	}
}

// newTraders makes the traders of one side from r.
func newTraders(r *rand.Rand) *traders {
	t := &traders{}
	seen := map[string]bool{}
	code := func() string {
		for {
			c := traderCode(r)
			if !seen[c] {
				seen[c] = true
				return c
			}
		}
	}
	for range declarantsPerSide {
		t.declarants = append(t.declarants, code())
	}
	for range importersPerSide {
		im := importer{id: code(), declarant: pick(r, t.declarants), risky: r.IntN(100) < riskyImporterRate}
		for range 1 + r.IntN(3) {
			im.sellers = append(im.sellers, code())
		}
		t.importers = append(t.importers, im)
	}
	return t
}

// traderCode returns a 7-character trader code in the style of the
// declaration files (such as QLRUBN9).
func traderCode(r *rand.Rand) string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, 7)
	for i := range b {
		b[i] = chars[r.IntN(len(chars))]
	}
	return string(b)
}

// importer draws an importer: a few large importers lodge many of the
// declarations, many small ones a few each.
func (t *traders) importer(r *rand.Rand) importer {
	u := r.Float64()
	return t.importers[int(u*u*float64(len(t.importers)))]
}
