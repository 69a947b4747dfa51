package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"crossguard"
)

// seizurePage is the data of a seizure's page, every value written out in
// the page's language.
type seizurePage struct {
	ID                      string
	TLP                     tlpBadge
	TLPMeaning              string
	Handling, HandlingMeans string
	// Conditions are the restrictions of handling code H3.
	Conditions string
	// Caveat is set when the record's handling code asks every printed
	// page to say that it is not for use in court (H1).
	Caveat                 bool
	Distribution           string
	Evaluation             string
	Date, Place, LOCODE    string
	Coordinates            string
	Country, Office        string
	Direction, Transport   string
	Conveyance             string
	Detection, Concealment string
	Route                  []string
	Goods                  []goodsRow
	Identifiers            []identifierRow
	Narrative              string
	Origin                 string
	Own                    bool
	CanWrite               bool
	Version                string
	Created, Updated       string
	Annotations            []annotationRow
	History                []versionRow
	// PersonalData warns, for a local record of this node, of personal
	// data its free text holds: kept, since the record never leaves the
	// node, but in the way of ever sharing it.
	PersonalData []string
}

// goodsRow is one goods line of a seizure.
type goodsRow struct {
	Category, HS, Description, Quantity, Value string
}

// identifierRow is one identifier of a seizure.
type identifierRow struct {
	Type, Value string
}

// seizureDetail shows one seizure, its markings first.
func (s *server) seizureDetail(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requireSession(w, r)
	if sess == nil || err != nil {
		return err
	}
	id := r.PathValue("id")
	z, versions, err := s.records.SeizureWithVersions(r.Context(), sess.Username, id)
	if err != nil {
		return fmt.Errorf("show seizure %q: %w", id, err)
	}
	p := s.newPage(r, sess, "seizure.title")
	v := s.seizureView(p.tr, z)
	v.CanWrite = crossguard.Can(sess.Role, crossguard.PermWrite)
	notes, err := s.records.Annotations(r.Context(), sess.Username, id)
	if err != nil {
		return fmt.Errorf("show annotations of seizure %q: %w", id, err)
	}
	v.Annotations = s.annotationRows(p.tr, notes)
	v.History = historyRows(p.tr, z.Origin, versions)
	p.Data = v
	return s.render(w, http.StatusOK, "seizure", p)
}

// seizureView writes out z for the page in tr's language.
func (s *server) seizureView(tr *Translator, z *crossguard.Seizure) *seizurePage {
	m := z.Marking
	v := &seizurePage{
		ID:            z.ID,
		TLP:           badge(m.TLP),
		TLPMeaning:    tr.T("tlp." + strings.ReplaceAll(m.TLP, "+", "")),
		Handling:      m.Handling,
		HandlingMeans: tr.T("handling." + strings.ToLower(m.Handling)),
		Conditions:    m.Conditions,
		Caveat:        crossguard.HandlingCaveat(m) != "",
		Distribution:  tr.T("distribution." + z.Distribution),
		Date:          tr.DateTime(z.OccurredAt),
		Place:         z.Place.Name,
		LOCODE:        z.Place.LOCODE,
		Country:       z.Country,
		Office:        z.Office,
		Direction:     tr.T("direction." + z.Direction),
		Transport:     tr.T("transport." + z.TransportMode),
		Conveyance:    z.Conveyance,
		Detection:     tr.T("detection." + z.DetectionMethod),
		Concealment:   tr.T("concealment." + z.Concealment),
		Narrative:     z.Narrative,
		Origin:        z.Origin,
		Own:           s.nodeID != "" && z.Origin == s.nodeID,
		Version:       tr.Number(z.Version),
		Created:       tr.DateTime(z.CreatedAt),
		Updated:       tr.DateTime(z.UpdatedAt),
	}
	if m.SourceReliability != "" || m.InfoAccuracy != "" {
		v.Evaluation = m.SourceReliability + m.InfoAccuracy
	}
	if v.Own {
		for _, w := range z.Warnings() {
			if w.PersonalData != nil {
				v.PersonalData = append(v.PersonalData, tr.T("personaldata.warning", w.Field, w.PersonalData.Masked))
			}
		}
	}
	if z.Place.Lat != nil && z.Place.Lon != nil {
		v.Coordinates = tr.T("seizure.coordinates", tr.Number(*z.Place.Lat), tr.Number(*z.Place.Lon))
	}
	rt := z.Route
	for _, c := range append(append([]string{rt.Origin, rt.Departure}, rt.Transit...), rt.Destination) {
		if c != "" && (len(v.Route) == 0 || v.Route[len(v.Route)-1] != c) {
			v.Route = append(v.Route, c)
		}
	}
	for _, g := range z.Goods {
		row := goodsRow{
			Category:    tr.T("category." + g.Category),
			HS:          g.HS,
			Description: g.Description,
			Quantity:    quantity(tr, g.Quantity, g.Unit),
		}
		if g.Value != nil {
			row.Value = tr.T("money.format", tr.Number(g.Value.Amount), g.Value.Currency)
		}
		v.Goods = append(v.Goods, row)
	}
	for _, id := range z.Identifiers {
		v.Identifiers = append(v.Identifiers, identifierRow{Type: tr.T("identifier." + id.Type), Value: id.Value})
	}
	return v
}

// pathEscape escapes an id for use as one path segment.
func pathEscape(id string) string { return url.PathEscape(id) }

// cloneValues returns a copy of v.
func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
