package httpapi

import (
	"net/http"
	"slices"
	"strings"

	"crossguard"
	"crossguard/refdata"
)

// listSeizures answers one page of live seizures, newest occurred_at
// first (oldest first with order=oldest), filtered by the query parameters.
func (s *Server) listSeizures(w http.ResponseWriter, r *http.Request) error {
	f, err := seizureFilter(r, s.Info.ID)
	if err != nil {
		return err
	}
	page, err := s.Seizures.ListSeizures(r.Context(), actorOf(r.Context()), f)
	if err != nil {
		return err
	}
	if page.Items == nil {
		page.Items = []*crossguard.Seizure{}
	}
	s.writeJSON(w, r, http.StatusOK, page)
	return nil
}

// seizureFilter reads and checks the query parameters of a seizure list
// on the node self. Every value is checked here, not only in the store, so
// that both backends give the same answer naming the parameter at fault.
func seizureFilter(r *http.Request, self string) (crossguard.SeizureFilter, error) {
	q := parseQuery(r, "from", "to", "category", "hs", "country", "origin", "q", "place", "order", "limit", "cursor")
	var f crossguard.SeizureFilter
	f.From, f.To = q.timeRange()
	f.Category = q.str("category")
	if f.Category != "" && !slices.Contains(crossguard.Categories, f.Category) {
		q.addf("category", "%q is not one of %s", clip(f.Category, 100), strings.Join(crossguard.Categories, ", "))
	}
	f.HS = strings.ReplaceAll(q.str("hs"), ".", "")
	if f.HS != "" && (len(f.HS) > 12 || strings.Trim(f.HS, "0123456789") != "") {
		q.addf("hs", "%q is not the start of an HS code: give 1 to 12 digits, such as 2939", clip(f.HS, 100))
	}
	f.Country = strings.ToUpper(q.str("country"))
	if f.Country != "" {
		if err := refdata.CheckCountry(f.Country); err != nil {
			q.addf("country", "%s", err.Error())
		}
	}
	f.Origin, f.NotOrigin = q.origin("origin", self)
	f.Query = q.str("q")
	if len(f.Query) > 500 {
		q.addf("q", "too long: %d bytes, at most 500", len(f.Query))
	}
	f.Place = strings.TrimSpace(q.str("place"))
	if len(f.Place) > maxPlaceBytes {
		q.addf("place", "too long: %d bytes, at most %d", len(f.Place), maxPlaceBytes)
	}
	switch order := q.str("order"); order {
	case "", "newest":
	case "oldest":
		f.Oldest = true
	default:
		q.addf("order", "%q is neither newest nor oldest", clip(order, 100))
	}
	f.Limit = q.int("limit")
	f.Cursor = q.str("cursor")
	if f.Cursor != "" {
		if _, _, err := f.DecodeCursor(); err != nil {
			q.addf("cursor", "not a cursor returned by this list")
		}
	}
	return f, q.err()
}

// maxPlaceBytes bounds the place filter, as long as a place name may be.
const maxPlaceBytes = 200
