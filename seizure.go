package crossguard

import "time"

// Closed enumerations of the seizure record. Every one is listed in the API
// documentation and enforced by Validate.
var (
	Directions        = []string{"import", "export", "transit"}
	TransportModes    = []string{"road", "rail", "air", "sea", "postal", "pedestrian", "other"}
	DetectionMethods  = []string{"risk_profile", "random", "xray", "canine", "intelligence", "tip_off", "routine"}
	Concealments      = []string{"false_compartment", "natural_cavity", "in_cargo", "mixed_with_goods", "in_luggage", "on_body", "in_parcel", "other"}
	Categories        = []string{"narcotics", "psychotropics", "precursors", "weapons", "ammunition", "explosives", "tobacco", "alcohol", "counterfeit_goods", "wildlife", "currency", "cultural_property", "hazardous_waste", "other_goods"}
	Units             = []string{"kg", "g", "mg", "t", "l", "ml", "m3", "pieces", "tablets", "doses", "ampoules", "sticks", "packs", "cartons", "rounds", "head", "items"}
	IdentifierTypes   = []string{"container", "vehicle_plate", "vessel_imo", "flight", "waybill", "company_registration", "bill_of_lading", "postal_item"}
	ClockAllowance    = 5 * time.Minute
	MaxGoods          = 100
	MaxIdentifiers    = 100
	MaxTransit        = 20
	MaxRecipients     = 50
	MaxNarrativeBytes = 10000
)

// Seizure is a record of goods seized at or near the border. It is
// non-nominal: nothing in it names or identifies a natural person, so that it
// can be shared with partner agencies.
type Seizure struct {
	Header
	OccurredAt      time.Time    `json:"occurred_at"`
	Country         string       `json:"country"`
	Place           Place        `json:"place"`
	Office          string       `json:"office,omitempty"`
	Direction       string       `json:"direction"`
	TransportMode   string       `json:"transport_mode"`
	Conveyance      string       `json:"conveyance,omitempty"`
	DetectionMethod string       `json:"detection_method"`
	Concealment     string       `json:"concealment"`
	Route           Route        `json:"route"`
	Goods           []Goods      `json:"goods"`
	Identifiers     []Identifier `json:"identifiers"`
	Narrative       string       `json:"narrative,omitempty"`
}

// Place says where a seizure happened: a name, optionally a UN/LOCODE and
// WGS 84 coordinates (both or neither).
type Place struct {
	Name   string   `json:"name"`
	LOCODE string   `json:"locode,omitempty"`
	Lat    *float64 `json:"lat,omitempty"`
	Lon    *float64 `json:"lon,omitempty"`
}

// Route is the declared or established route of the seized goods, as
// ISO 3166-1 alpha-2 country codes.
type Route struct {
	Origin      string   `json:"origin,omitempty"`
	Departure   string   `json:"departure,omitempty"`
	Transit     []string `json:"transit"`
	Destination string   `json:"destination,omitempty"`
}

// Goods is one line of seized goods.
type Goods struct {
	Category    string  `json:"category"`
	HS          string  `json:"hs"`
	Description string  `json:"description"`
	Quantity    float64 `json:"quantity"`
	Unit        string  `json:"unit"`
	Value       *Money  `json:"value,omitempty"`
}

// Money is an amount in an ISO 4217 currency.
type Money struct {
	Amount   float64 `json:"amount"`
	Currency string  `json:"currency"`
}

// Identifier is an identifier of a conveyance, consignment or company
// involved in a seizure (never of a person): a container number, vehicle
// plate, vessel IMO number, flight, air waybill, company registration,
// bill of lading or postal item, each checked by package identifier (see
// Canonical). The value is kept as it was written.
type Identifier struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// Normalize fills empty slices so that the JSON form is stable (an empty
// list rather than null) and sets the kind.
func (s *Seizure) Normalize() {
	s.Kind = KindSeizure
	if s.Goods == nil {
		s.Goods = []Goods{}
	}
	if s.Identifiers == nil {
		s.Identifiers = []Identifier{}
	}
	if s.Route.Transit == nil {
		s.Route.Transit = []string{}
	}
	s.OccurredAt = s.OccurredAt.UTC()
}
