package crossguard

import (
	"fmt"
	"time"

	"crossguard/refdata"
)

// earliestOccurrence is the earliest occurred_at accepted: older dates are
// almost always typing errors.
var earliestOccurrence = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// Validate checks the seizure's body and header fields that a client sets
// (distribution, recipients, marking) and returns an EINVALID *Error listing
// every field at fault. now is the node's clock, against which occurred_at
// may be at most ClockAllowance in the future. Personal data in free text
// is a field error, unless the seizure is local (see Warnings).
func (s *Seizure) Validate(now time.Time) error {
	v := newValidator(s.Distribution)
	s.validate(v, now)
	return v.err("seizure")
}

// Warnings returns what Validate lets pass but the writer should hear:
// personal data in the free text of a local seizure, which could not be
// shared as it is.
func (s *Seizure) Warnings() []FieldError {
	v := newValidator(s.Distribution)
	s.validate(v, s.OccurredAt)
	return v.warnings
}

// validate checks the seizure into v.
func (s *Seizure) validate(v *validator, now time.Time) {
	validateSharing(v, s.Distribution, s.Recipients, s.Marking)

	switch {
	case s.OccurredAt.IsZero():
		v.addf("occurred_at", "required, as RFC 3339 date and time, e.g. 2026-11-20T09:30:00Z")
	case s.OccurredAt.After(now.Add(ClockAllowance)):
		v.addf("occurred_at", "%s is in the future (the node's clock says %s)",
			s.OccurredAt.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	case s.OccurredAt.Before(earliestOccurrence):
		v.addf("occurred_at", "%s is before 1970", s.OccurredAt.UTC().Format(time.RFC3339))
	}
	checkCountry(v, "country", s.Country, true)
	s.Place.validate(v)
	v.freeText("office", s.Office, 200, false)
	v.oneOf("direction", s.Direction, Directions)
	v.oneOf("transport_mode", s.TransportMode, TransportModes)
	v.freeText("conveyance", s.Conveyance, 200, false)
	v.oneOf("detection_method", s.DetectionMethod, DetectionMethods)
	v.oneOf("concealment", s.Concealment, Concealments)
	s.Route.validate(v)

	switch {
	case len(s.Goods) == 0:
		v.addf("goods", "at least one line of goods is required")
	case len(s.Goods) > MaxGoods:
		v.addf("goods", "%d lines, at most %d", len(s.Goods), MaxGoods)
	default:
		for i, g := range s.Goods {
			g.validate(v, fmt.Sprintf("goods[%d]", i))
		}
	}
	if len(s.Identifiers) > MaxIdentifiers {
		v.addf("identifiers", "%d identifiers, at most %d", len(s.Identifiers), MaxIdentifiers)
	} else {
		for i, id := range s.Identifiers {
			id.validate(v, fmt.Sprintf("identifiers[%d]", i), s.Country, IdentifierTypes)
		}
	}
	v.freeText("narrative", s.Narrative, MaxNarrativeBytes, false)
}

// validateSharing checks the header fields that decide who may receive a
// record: the distribution scope, named recipients and the marking.
func validateSharing(v *validator, dist string, recipients []string, m Marking) {
	v.oneOf("distribution", dist, Distributions)
	if len(recipients) > MaxRecipients {
		v.addf("recipients", "%d recipients, at most %d", len(recipients), MaxRecipients)
	}
	for i, r := range recipients {
		v.check(fmt.Sprintf("recipients[%d]", i), CheckAgencyID(r))
	}
	m.validate(v, "marking")
	if m.TLP == TLPRed && len(recipients) == 0 {
		v.addf("recipients", "TLP:RED records must name their recipient agencies")
	}
}

// checkCountry checks an ISO 3166-1 alpha-2 code, required or optional.
func checkCountry(v *validator, field, code string, required bool) {
	if code == "" {
		if required {
			v.addf(field, "required, an ISO 3166-1 alpha-2 country code such as PK")
		}
		return
	}
	v.check(field, refdata.CheckCountry(code))
}

// validate checks the place: a name, an optional UN/LOCODE, coordinates in
// range and given together.
func (p Place) validate(v *validator) {
	v.freeText("place.name", p.Name, 200, true)
	if p.LOCODE != "" {
		v.check("place.locode", refdata.CheckLOCODE(p.LOCODE))
	}
	switch {
	case p.Lat == nil && p.Lon == nil:
	case p.Lat == nil:
		v.addf("place.lat", "required when place.lon is given")
	case p.Lon == nil:
		v.addf("place.lon", "required when place.lat is given")
	default:
		if v.finite("place.lat", *p.Lat) && (*p.Lat < -90 || *p.Lat > 90) {
			v.addf("place.lat", "%g is outside -90 to 90", *p.Lat)
		}
		if v.finite("place.lon", *p.Lon) && (*p.Lon < -180 || *p.Lon > 180) {
			v.addf("place.lon", "%g is outside -180 to 180", *p.Lon)
		}
	}
}

// validate checks the route's country codes.
func (r Route) validate(v *validator) {
	checkCountry(v, "route.origin", r.Origin, false)
	checkCountry(v, "route.departure", r.Departure, false)
	checkCountry(v, "route.destination", r.Destination, false)
	if len(r.Transit) > MaxTransit {
		v.addf("route.transit", "%d countries, at most %d", len(r.Transit), MaxTransit)
		return
	}
	for i, c := range r.Transit {
		checkCountry(v, fmt.Sprintf("route.transit[%d]", i), c, true)
	}
}

// validate checks one line of goods.
func (g Goods) validate(v *validator, path string) {
	v.oneOf(path+".category", g.Category, Categories)
	if g.HS == "" {
		v.addf(path+".hs", "required, an HS 2022 code of 2, 4 or 6 digits")
	} else {
		v.check(path+".hs", refdata.CheckHS(g.HS))
	}
	v.freeText(path+".description", g.Description, 500, true)
	if v.finite(path+".quantity", g.Quantity) && g.Quantity <= 0 {
		v.addf(path+".quantity", "must be greater than zero")
	}
	v.oneOf(path+".unit", g.Unit, Units)
	if g.Value != nil {
		if v.finite(path+".value.amount", g.Value.Amount) && g.Value.Amount < 0 {
			v.addf(path+".value.amount", "must not be negative")
		}
		if g.Value.Currency == "" {
			v.addf(path+".value.currency", "required, an ISO 4217 code such as USD")
		} else {
			v.check(path+".value.currency", refdata.CheckCurrency(g.Value.Currency))
		}
	}
}
