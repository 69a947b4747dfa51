package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"crossguard"
	"crossguard/refdata"
)

// seizureForm is the search form of the seizure list as typed, so that a
// refused value is shown again for correction.
type seizureForm struct {
	From, To, Category, HS, Country, Place, Q, Origin string
	// Order is the list order: "" (or "newest") for newest first,
	// orderOldest for oldest first.
	Order string
}

// orderOldest is the value of the order parameter that lists the oldest
// seizures first.
const orderOldest = "oldest"

// maxPlaceBytes bounds the place filter, as long as a place name may be.
const maxPlaceBytes = 200

// Names of the list's query parameters beyond the form's fields.
const (
	cursorParam = "cursor"
	limitParam  = "limit"
)

// maxQueryBytes bounds the free-text search.
const maxQueryBytes = 500

// readSeizureForm reads the search form from the query q.
func readSeizureForm(q url.Values) seizureForm {
	get := func(name string) string { return strings.TrimSpace(q.Get(name)) }
	return seizureForm{
		From: get("from"), To: get("to"), Category: get("category"), HS: get("hs"),
		Country: get("country"), Place: get("place"), Q: get("q"), Origin: get("origin"),
		Order: get("order"),
	}
}

// values returns the form's non-empty fields as query parameters.
func (f seizureForm) values() url.Values {
	v := url.Values{}
	for _, kv := range [][2]string{
		{"from", f.From}, {"to", f.To}, {"category", f.Category}, {"hs", f.HS},
		{"country", f.Country}, {"place", f.Place}, {"q", f.Q}, {"origin", f.Origin},
	} {
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	if f.Order == orderOldest {
		v.Set("order", orderOldest) // newest first is the default, left out
	}
	return v
}

// filter checks the form and returns the store filter of the list on the
// node self, with the message key of every refused field.
func (f seizureForm) filter(self string) (crossguard.SeizureFilter, map[string]string) {
	var sf crossguard.SeizureFilter
	bad := make(map[string]string)
	var err error
	if sf.From, err = crossguard.ParseTimeBound(f.From, false); err != nil {
		bad["from"] = "seizures.error.date"
	}
	if sf.To, err = crossguard.ParseTimeBound(f.To, true); err != nil {
		bad["to"] = "seizures.error.date"
	}
	if bad["from"] == "" && bad["to"] == "" && !sf.From.IsZero() && !sf.To.IsZero() && !sf.To.After(sf.From) {
		bad["to"] = "seizures.error.order"
	}
	if f.Category != "" && !slices.Contains(crossguard.Categories, f.Category) {
		bad["category"] = "seizures.error.category"
	}
	sf.Category = f.Category
	sf.HS = strings.ReplaceAll(f.HS, ".", "")
	if sf.HS != "" && (len(sf.HS) > 12 || strings.Trim(sf.HS, "0123456789") != "") {
		bad["hs"] = "seizures.error.hs"
	}
	sf.Country = strings.ToUpper(f.Country)
	if sf.Country != "" && refdata.CheckCountry(sf.Country) != nil {
		bad["country"] = "seizures.error.country"
	}
	sf.Place = f.Place
	if len(sf.Place) > maxPlaceBytes {
		bad["place"] = "seizure_list.error.place"
	}
	switch f.Order {
	case "", "newest":
	case orderOldest:
		sf.Oldest = true
	default:
		bad["order"] = "seizure_list.error.sort"
	}
	sf.Query = f.Q
	if len(sf.Query) > maxQueryBytes {
		bad["q"] = "seizures.error.q"
	}
	switch f.Origin {
	case "":
	case "self":
		sf.Origin = self
	case "others":
		sf.NotOrigin = self
	default:
		bad["origin"] = "seizures.error.origin"
	}
	return sf, bad
}

// pageOptions reads the cursor and page size of the list of f's order
// from q. A page size that is not a whole number from 1 to
// crossguard.MaxPageSize is ignored. It reports false when the cursor is
// not one the list gave in this order.
func pageOptions(q url.Values, f crossguard.SeizureFilter) (cursor string, limit int, ok bool) {
	cursor = q.Get(cursorParam)
	if cursor != "" {
		f.Cursor = cursor
		if _, _, err := f.DecodeCursor(); err != nil {
			return "", 0, false
		}
	}
	if n, err := strconv.Atoi(q.Get(limitParam)); err == nil && n > 0 && n <= crossguard.MaxPageSize {
		limit = n
	}
	return cursor, limit, true
}
