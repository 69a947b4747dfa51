package storetest

import (
	"encoding/binary"
	"fmt"
	"time"

	"crossguard"

	"github.com/google/uuid"
)

// Origin is the node id of the records the builders make.
const Origin = "pk-customs/sost"

// CommonWord appears in the narrative of four in nine of the seizures that
// NewSeizure makes, so that benchmarks can search for a common word.
const CommonWord = "concealed"

// goodsKind is one kind of goods the builders choose from: a category, an
// HS 2022 code that exists, descriptions and a unit.
type goodsKind struct {
	category     string
	hs           string
	descriptions []string
	unit         string
}

// goodsKinds covers every category with real HS 2022 codes of 2, 4, 6 and
// 8 digits (national codes).
var goodsKinds = []goodsKind{
	{"narcotics", "293911", []string{"heroin base in vacuum-sealed packets", "brown heroin powder", "morphine base blocks"}, "kg"},
	{"narcotics", "130211", []string{"raw opium paste wrapped in plastic", "opium resin balls"}, "kg"},
	{"narcotics", "121190", []string{"cannabis resin slabs", "dried cannabis herb", "khat leaves in bundles"}, "kg"},
	{"psychotropics", "300490", []string{"tramadol tablets without prescription", "methamphetamine tablets (yaba)"}, "tablets"},
	{"psychotropics", "293949", []string{"crystal methamphetamine", "methamphetamine in tea packets"}, "g"},
	{"precursors", "293942", []string{"pseudoephedrine hydrochloride drums", "ephedrine powder in sacks"}, "kg"},
	{"precursors", "291532", []string{"acetic anhydride in jerrycans"}, "l"},
	{"weapons", "930190", []string{"assault rifles, disassembled", "rifle barrels and receivers"}, "pieces"},
	{"weapons", "930320", []string{"pump-action shotguns"}, "pieces"},
	{"ammunition", "930630", []string{"7.62 mm cartridges in boxes", "pistol cartridges"}, "rounds"},
	{"explosives", "360200", []string{"commercial explosives sticks", "ammonium nitrate based explosive"}, "kg"},
	{"tobacco", "240220", []string{"cigarettes without tax stamps", "counterfeit cigarette cartons"}, "sticks"},
	{"tobacco", "24031100", []string{"water pipe tobacco (shisha)"}, "kg"},
	{"alcohol", "220830", []string{"whisky bottles without excise labels", "scotch whisky cases"}, "l"},
	{"alcohol", "2203", []string{"canned beer"}, "l"},
	{"counterfeit_goods", "640399", []string{"counterfeit branded sports shoes", "fake designer footwear"}, "pieces"},
	{"counterfeit_goods", "420222", []string{"counterfeit designer handbags"}, "pieces"},
	{"counterfeit_goods", "851713", []string{"counterfeit smartphones", "smartphones with fake branding"}, "pieces"},
	{"wildlife", "010619", []string{"live falcons in boxes", "live pangolins"}, "head"},
	{"wildlife", "410390", []string{"snow leopard skins", "raw hides of protected species"}, "pieces"},
	{"currency", "4907", []string{"undeclared banknotes in envelopes"}, "items"},
	{"currency", "710812", []string{"gold bars undeclared", "unwrought gold pieces"}, "kg"},
	{"cultural_property", "9706", []string{"antique manuscripts", "Gandhara stone sculptures"}, "items"},
	{"cultural_property", "97", []string{"archaeological coins", "ancient pottery fragments"}, "items"},
	{"hazardous_waste", "382530", []string{"clinical waste in drums", "used syringes and dressings"}, "t"},
	{"other_goods", "854231", []string{"processors declared as spare parts"}, "pieces"},
	{"other_goods", "950300", []string{"toys hiding a false bottom"}, "cartons"},
}

// countries are the seizure countries the builders use, most of them
// neighbours along the corridor so that country filters select a real share.
var countries = []string{"PK", "AF", "IR", "CN", "IN", "TJ", "AE", "TR"}

// places are a place name and UN/LOCODE per country of countries.
var places = map[string][2]string{
	"PK": {"Torkham border crossing", "PKTOR"},
	"AF": {"Islam Qala", "AFIQA"},
	"IR": {"Taftan crossing", "IRTFN"},
	"CN": {"Khunjerab Pass", "CNKHJ"},
	"IN": {"Wagah", "INWAG"},
	"TJ": {"Nizhny Panj", "TJNPJ"},
	"AE": {"Jebel Ali port", "AEJEA"},
	"TR": {"Gurbulak", "TRGUR"},
}

// currencies are the currencies of goods values.
var currencies = []string{"USD", "PKR", "EUR", "AFN", "CNY"}

// narratives are modus operandi texts; four of nine contain CommonWord.
// Their number is prime to the number of countries, so that words and
// countries vary independently.
var narratives = []string{
	"Goods were concealed in a false compartment behind the driver's cabin, found after an x-ray image showed anomalies.",
	"The consignment was declared as dried fruit; the goods were concealed under the top layer of cartons.",
	"A sniffer dog indicated the luggage; the goods were concealed in the lining of two suitcases.",
	"Concealed in the spare tyre of a passenger car returning from a family visit.",
	"Tip-off from a partner agency about a truck using the corridor at night.",
	"Random selection of a postal parcel declared as books.",
	"Risk profile hit on the route and the declared value per kilogram.",
	"Found during a routine check of a container at the inland dry port.",
	"Declared as machine parts; the scanner image did not match the declaration.",
}

// Builder enumerations, varied by record number.
var (
	tlpCycle          = []string{crossguard.TLPClear, crossguard.TLPGreen, crossguard.TLPAmber, crossguard.TLPAmberStrict, crossguard.TLPRed}
	distributionCycle = []string{crossguard.DistLocal, crossguard.DistAgency, crossguard.DistPartners, crossguard.DistNetwork}
)

// SeizureID returns the id NewSeizure gives record i occurred at at: a
// UUIDv7 whose time is at and whose random bits are i, so that ids are
// unique per i and the same on every run.
func SeizureID(i int, at time.Time) string {
	var b [16]byte
	ms := uint64(at.UnixMilli())
	b[0], b[1], b[2], b[3], b[4], b[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	binary.BigEndian.PutUint64(b[8:], uint64(i))
	b[6] = 0x70 | byte(uint64(i)>>60)&0x0f // version 7
	b[8] = 0x80 | b[8]&0x3f                // RFC 9562 variant
	return uuid.UUID(b).String()
}

// NewSeizure returns seizure number i, occurred at at, fully stamped as a
// store receives it (id, origin, version 1, created and updated an hour
// after at) and valid for any clock after at. Records vary with i: one to
// three goods lines of every category and HS code length, eight countries,
// every marking, distribution, transport mode, detection method and
// concealment, identifiers of every type, and narratives of which four in
// nine contain CommonWord. Times are kept at full precision.
func NewSeizure(i int, at time.Time) *crossguard.Seizure {
	at = at.UTC()
	country := countries[i%len(countries)]
	place := places[country]
	lat, lon := 24+float64(i%1300)/100, 61+float64(i%1500)/100
	stamp := at.Add(time.Hour)
	s := &crossguard.Seizure{
		Header: crossguard.Header{
			ID: SeizureID(i, at), Kind: crossguard.KindSeizure, Origin: Origin, Version: 1,
			CreatedAt: stamp, UpdatedAt: stamp,
			Distribution: distributionCycle[i%len(distributionCycle)],
			Marking: handlingCycle(i, crossguard.Marking{
				TLP:               tlpCycle[i%len(tlpCycle)],
				SourceReliability: crossguard.SourceReliabilities[i%len(crossguard.SourceReliabilities)],
				InfoAccuracy:      crossguard.InfoAccuracies[(i/3)%len(crossguard.InfoAccuracies)],
			}),
		},
		OccurredAt:      at,
		Country:         country,
		Place:           crossguard.Place{Name: place[0], LOCODE: place[1], Lat: &lat, Lon: &lon},
		Office:          fmt.Sprintf("Customs office %d", i%17),
		Direction:       crossguard.Directions[i%len(crossguard.Directions)],
		TransportMode:   crossguard.TransportModes[i%len(crossguard.TransportModes)],
		Conveyance:      fmt.Sprintf("conveyance %d", i%101),
		DetectionMethod: crossguard.DetectionMethods[i%len(crossguard.DetectionMethods)],
		Concealment:     crossguard.Concealments[i%len(crossguard.Concealments)],
		Route: crossguard.Route{
			Origin:      countries[(i+1)%len(countries)],
			Departure:   countries[(i+2)%len(countries)],
			Transit:     append([]string{}, countries[i%3:i%3+i%3]...),
			Destination: countries[(i+3)%len(countries)],
		},
		Narrative: narratives[i%len(narratives)],
	}
	if s.Marking.TLP == crossguard.TLPRed {
		s.Recipients = []string{"af-customs", "ir-customs"}
	}
	if i%5 == 4 {
		s.Place.LOCODE, s.Place.Lat, s.Place.Lon = "", nil, nil
	}
	// Goods lines: one to three, walking goodsKinds with a stride that
	// mixes categories within one seizure.
	for line := 0; line <= i%3; line++ {
		k := goodsKinds[(i*7+line*11)%len(goodsKinds)]
		g := crossguard.Goods{
			Category:    k.category,
			HS:          k.hs,
			Description: k.descriptions[(i/len(goodsKinds)+line)%len(k.descriptions)],
			Quantity:    float64(1+(i*13+line)%997) / 4,
			Unit:        k.unit,
		}
		if (i+line)%3 != 0 {
			g.Value = &crossguard.Money{Amount: float64((i*31+line)%100000) * 12.5, Currency: currencies[(i+line)%len(currencies)]}
		}
		s.Goods = append(s.Goods, g)
	}
	s.Identifiers = identifiers(i)
	s.Normalize()
	return s
}

// identifiers returns zero to two identifiers of varying types for record i.
func identifiers(i int) []crossguard.Identifier {
	var ids []crossguard.Identifier
	switch i % 6 {
	case 0:
		ids = append(ids, crossguard.Identifier{Type: "container", Value: containerNumber("MSK", i)})
	case 1:
		ids = append(ids, crossguard.Identifier{Type: "vehicle_plate", Value: fmt.Sprintf("LEB-%04d", i%10000)})
	case 2:
		ids = append(ids, crossguard.Identifier{Type: "vessel_imo", Value: imoNumber(i)},
			crossguard.Identifier{Type: "container", Value: containerNumber("CSQ", i)})
	case 3:
		ids = append(ids, crossguard.Identifier{Type: "flight", Value: fmt.Sprintf("PK%d", 100+i%900)})
	case 4:
		ids = append(ids, crossguard.Identifier{Type: "waybill", Value: fmt.Sprintf("176-%07d%d", i%10000000, i%10000000%7)},
			crossguard.Identifier{Type: "company_registration", Value: fmt.Sprintf("REG-%06d", i%1000000)})
	}
	return ids
}

// containerNumber returns a valid ISO 6346 container number of owner code
// owner (3 letters) with serial i modulo a million.
func containerNumber(owner string, i int) string {
	s := fmt.Sprintf("%sU%06d", owner, i%1000000)
	sum := 0
	for k := 0; k < 10; k++ {
		c := s[k]
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = containerLetterValues[c-'A']
		}
		sum += v << k
	}
	return fmt.Sprintf("%s%d", s, sum%11%10)
}

// containerLetterValues are the ISO 6346 values of the letters A-Z: from 10
// upwards, skipping the multiples of 11.
var containerLetterValues = [26]int{
	10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, // A-K
	23, 24, 25, 26, 27, 28, 29, 30, 31, 32, // L-U
	34, 35, 36, 37, 38, // V-Z
}

// imoNumber returns a valid IMO number derived from i.
func imoNumber(i int) string {
	d := fmt.Sprintf("%06d", 900000+i%100000)
	sum := 0
	for k := 0; k < 6; k++ {
		sum += int(d[k]-'0') * (7 - k)
	}
	return fmt.Sprintf("IMO%s%d", d, sum%10)
}

// NewSeizures returns n seizures numbered first to first+n-1, the k-th
// occurred step before the (k-1)-th, starting at newest.
func NewSeizures(first, n int, newest time.Time, step time.Duration) []*crossguard.Seizure {
	out := make([]*crossguard.Seizure, n)
	for k := range out {
		out[k] = NewSeizure(first+k, newest.Add(-time.Duration(k)*step))
	}
	return out
}

// NewNodeInfo returns the identity of the node the builders' records come
// from, created at at (kept at microsecond precision, the precision every
// store keeps for it).
func NewNodeInfo(at time.Time) *crossguard.NodeInfo {
	return &crossguard.NodeInfo{
		ID: Origin, Agency: "pk-customs", Node: "sost", Country: "PK",
		Name:      "Sost dry port, Pakistan Customs",
		PublicKey: "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=",
		CreatedAt: at.UTC().Truncate(time.Microsecond),
	}
}

// NewUser returns a user with this name and role created at at (kept at
// microsecond precision).
func NewUser(name, role string, at time.Time) *crossguard.User {
	return &crossguard.User{Name: name, Role: role, CreatedAt: at.UTC().Truncate(time.Microsecond)}
}

// handlingCycle gives m the i-th handling code in turn, with the
// conditions that H3 requires.
func handlingCycle(i int, m crossguard.Marking) crossguard.Marking {
	m.Handling = crossguard.HandlingCodes[i%len(crossguard.HandlingCodes)]
	if m.Handling == crossguard.HandlingH3 {
		m.Conditions = "Inform the originating agency before any operational use."
	}
	return m
}
