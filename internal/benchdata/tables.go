package benchdata

import (
	"fmt"
	"math/rand/v2"

	"crossguard"
)

// place is where seizures happen: a crossing, port, airport, inland post
// or city, with the share of seizures it sees (weight) and its kind, which
// decides the transport modes seen there.
type place struct {
	name     string
	country  string
	lat, lon float64
	kind     byte // 'c' land crossing, 'p' sea port, 'a' airport, 'd' dry port or rail, 'i' inland post
	weight   float64
}

// hubs are real places of the region with approximate coordinates.
var hubs = []place{
	{"Torkham", "PK", 34.10, 71.09, 'c', 9},
	{"Chaman", "PK", 30.92, 66.45, 'c', 8},
	{"Sost", "PK", 36.69, 74.82, 'd', 4},
	{"Khunjerab Pass", "PK", 36.85, 75.42, 'c', 3},
	{"Taftan", "PK", 28.96, 61.59, 'c', 5},
	{"Ghulam Khan", "PK", 33.18, 70.20, 'c', 2},
	{"Angoor Adda", "PK", 32.56, 69.38, 'c', 2},
	{"Wagah", "PK", 31.60, 74.57, 'c', 2},
	{"Karachi port", "PK", 24.84, 66.98, 'p', 8},
	{"Port Qasim", "PK", 24.78, 67.35, 'p', 4},
	{"Gwadar port", "PK", 25.12, 62.33, 'p', 2},
	{"Jinnah International Airport", "PK", 24.90, 67.17, 'a', 4},
	{"Islamabad International Airport", "PK", 33.55, 72.83, 'a', 3},
	{"Allama Iqbal International Airport", "PK", 31.52, 74.40, 'a', 3},
	{"Peshawar dry port", "PK", 34.01, 71.58, 'd', 3},
	{"Quetta", "PK", 30.18, 67.00, 'i', 4},
	{"Lahore dry port", "PK", 31.55, 74.36, 'd', 2},
	{"Gilgit", "PK", 35.92, 74.31, 'i', 2},
	{"Spin Boldak", "AF", 31.01, 66.40, 'c', 5},
	{"Islam Qala", "AF", 34.66, 61.07, 'c', 3},
	{"Hairatan", "AF", 37.21, 67.43, 'd', 2},
	{"Sher Khan Bandar", "AF", 37.35, 68.80, 'c', 2},
	{"Kabul International Airport", "AF", 34.57, 69.21, 'a', 2},
	{"Jalalabad", "AF", 34.43, 70.45, 'i', 2},
	{"Kandahar", "AF", 31.61, 65.71, 'i', 2},
	{"Zaranj", "AF", 30.96, 61.86, 'c', 2},
	{"Ishkashim", "AF", 36.71, 71.61, 'c', 1},
	{"Tashkurgan", "CN", 37.77, 75.23, 'i', 2},
	{"Kashgar", "CN", 39.47, 75.99, 'a', 3},
	{"Khorgos", "CN", 44.21, 80.41, 'd', 2},
	{"Irkeshtam", "CN", 39.70, 73.90, 'c', 1},
	{"Torugart", "CN", 40.55, 75.38, 'c', 1},
	{"Urumqi Diwopu Airport", "CN", 43.91, 87.47, 'a', 2},
	{"Hotan", "CN", 37.11, 79.92, 'i', 1},
	{"Mirjaveh", "IR", 29.02, 61.45, 'c', 2},
	{"Dogharoun", "IR", 34.63, 61.06, 'c', 1},
	{"Chabahar port", "IR", 25.30, 60.62, 'p', 1},
	{"Nizhny Panj", "TJ", 37.23, 68.60, 'c', 1},
	{"Khorog", "TJ", 37.49, 71.55, 'i', 1},
	{"Termez", "UZ", 37.22, 67.28, 'd', 1},
	{"Attari", "IN", 31.60, 74.59, 'c', 1},
	{"Kulma Pass", "TJ", 38.60, 75.05, 'c', 1},
}

// outposts are the kinds of post named after a hub that make up the
// smaller places.
var outposts = []string{"checkpoint", "border post", "mobile team", "customs station"}

// places are the hubs and, near each, smaller posts: 150 places in all.
var places, placeWeights = makePlaces(150)

// makePlaces returns n places: the hubs, then posts within about half a
// degree of them in turn, each seeing a sixth of its hub's share; the
// same on every run.
func makePlaces(n int) ([]place, []float64) {
	r := rand.New(rand.NewPCG(150, 2026))
	out := append([]place(nil), hubs...)
	for i := 0; len(out) < n; i++ {
		h := hubs[i%len(hubs)]
		p := h
		p.name = fmt.Sprintf("%s %s %d", h.name, outposts[i%len(outposts)], 1+i/len(hubs))
		p.lat += (r.Float64() - 0.5)
		p.lon += (r.Float64() - 0.5)
		p.kind, p.weight = 'i', h.weight/6
		out = append(out, p)
	}
	weights := make([]float64, len(out))
	for i, p := range out {
		weights[i] = p.weight
	}
	return out, weights
}

// transportModes are the modes of crossguard.TransportModes, in its order.
var transportModes = crossguard.TransportModes

// modeWeights returns the shares of transport modes seen at the place, in
// the order of transportModes (road, rail, air, sea, postal, pedestrian,
// other).
func (p place) modeWeights() []float64 {
	switch p.kind {
	case 'c':
		return []float64{70, 0, 0, 0, 2, 25, 3}
	case 'p':
		return []float64{10, 0, 0, 85, 3, 0, 2}
	case 'a':
		return []float64{2, 0, 80, 0, 15, 0, 3}
	case 'd':
		return []float64{45, 45, 0, 0, 5, 0, 5}
	}
	return []float64{80, 3, 0, 0, 10, 5, 2}
}

// goodsKind is a kind of goods seized: a category, an HS 2022 code, a
// description, a unit, a typical quantity and a value per unit in USD.
type goodsKind struct {
	category    string
	hs          string
	description string
	unit        string
	quantity    float64
	unitValue   float64
}

// goodsKinds and goodsWeights: what is seized, and how often.
var (
	goodsKinds = []goodsKind{
		{"narcotics", "293911", "heroin in vacuum-sealed packets", "kg", 8, 30000},
		{"narcotics", "130211", "raw opium", "kg", 25, 3000},
		{"narcotics", "121190", "cannabis resin", "kg", 60, 800},
		{"psychotropics", "293949", "crystal methamphetamine", "kg", 5, 20000},
		{"psychotropics", "300490", "tramadol tablets", "tablets", 20000, 0.5},
		{"precursors", "291532", "acetic anhydride", "l", 400, 20},
		{"precursors", "293942", "ephedrine", "kg", 50, 400},
		{"weapons", "930190", "assault rifles", "pieces", 6, 1500},
		{"weapons", "930200", "pistols", "pieces", 4, 600},
		{"ammunition", "930630", "rifle cartridges", "rounds", 2000, 1},
		{"explosives", "360200", "commercial explosives", "kg", 30, 50},
		{"tobacco", "240220", "cigarettes without tax stamps", "sticks", 200000, 0.05},
		{"tobacco", "240311", "water pipe tobacco", "kg", 300, 15},
		{"alcohol", "220830", "whisky without excise labels", "l", 300, 25},
		{"counterfeit_goods", "640399", "counterfeit sports shoes", "pieces", 800, 20},
		{"counterfeit_goods", "851713", "counterfeit smartphones", "pieces", 300, 60},
		{"counterfeit_goods", "300490", "falsified medicines", "packs", 2000, 3},
		{"wildlife", "010619", "live falcons", "head", 6, 5000},
		{"wildlife", "410390", "snow leopard skins", "pieces", 2, 8000},
		{"currency", "490700", "undeclared banknotes", "items", 5000, 20},
		{"currency", "710812", "unwrought gold", "kg", 3, 60000},
		{"cultural_property", "9706", "Gandhara stone sculptures", "items", 4, 10000},
		{"hazardous_waste", "382530", "clinical waste", "t", 5, 100},
		{"other_goods", "847130", "laptops under-declared as spare parts", "pieces", 150, 300},
		{"other_goods", "100630", "rice smuggled against an export ban", "t", 20, 500},
	}
	goodsWeights = []float64{10, 6, 9, 4, 4, 2, 2, 3, 2, 3, 1, 10, 4, 3, 5, 3, 3, 1, 1, 3, 3, 1, 1, 3, 3}
	// lineWeights: one goods line usually, up to three.
	lineWeights = []float64{75, 20, 5}
)

// Markings, sharing and methods, with the shares in which they occur.
var (
	tlps                = []string{crossguard.TLPClear, crossguard.TLPGreen, crossguard.TLPAmber, crossguard.TLPAmberStrict, crossguard.TLPRed}
	tlpWeights          = []float64{10, 45, 35, 8, 2}
	distributionWeights = []float64{5, 20, 60, 15} // local, agency, partners, network
	detectionWeights    = []float64{25, 8, 20, 12, 15, 10, 10}
	concealmentWeights  = []float64{15, 5, 25, 15, 12, 8, 12, 8}
)

// Countries of routes: where goods come from and go to.
var (
	sourceCountries = []string{"AF", "IR", "CN", "AE", "PK", "IN", "TJ", "TH", "MM"}
	sourceWeights   = []float64{40, 12, 15, 10, 8, 4, 4, 4, 3}
	destCountries   = []string{"PK", "CN", "IR", "AE", "TR", "GB", "DE", "SA", "AF", "MY"}
	destWeights     = []float64{25, 15, 10, 12, 8, 5, 5, 6, 8, 6}
)

// Identifier parts: vehicle plate prefixes after the country code of the
// plate, container owner codes and airline designators.
var (
	plates   = []string{"PK LEA", "PK KHI", "PK PSH", "PK QTA", "PK ISB", "AF KBL", "AF KDR"}
	owners   = []string{"MSK", "CSQ", "MSC", "CMA", "HLX", "OOL"}
	airlines = []string{"PK", "PA", "ER", "CZ", "FZ", "EK", "QR", "RQ"}
)

// narratives are short accounts of how the goods were found.
var narratives = []string{
	"Goods concealed in a false compartment behind the driver's cabin, found after the x-ray image showed anomalies.",
	"The consignment was declared as dried fruit; the goods were under the top layer of cartons.",
	"A sniffer dog indicated two suitcases; the goods were sewn into their lining.",
	"Tip-off from a partner agency about a truck using the corridor at night.",
	"Random selection of a postal parcel declared as books.",
	"Risk profile hit on the route and the declared value per kilogram.",
	"Found during a routine check of a container at the dry port.",
	"Declared as machine parts; the scanner image did not match the declaration.",
	"Carried on foot across the crossing in several bags by a group of porters.",
}
