package web

import (
	"net/url"
)

// sortHeader is the header of the date column of the seizure list: a
// link that lists the same filters in the other order, and the order
// shown now.
type sortHeader struct {
	// Href lists the first page of the same filters in the other order.
	Href string
	// AriaSort is the aria-sort value of the column: "descending" for
	// newest first, "ascending" for oldest first.
	AriaSort string
	// Arrow is a decorative mark of the order shown, hidden from screen
	// readers, which read AriaSort.
	Arrow string
	// Action says what the link does, for screen readers.
	Action string
}

// dateSortHeader returns the date column header of a list of the query
// parameters base (filters and page size, no cursor) shown oldest first
// or not.
func dateSortHeader(tr *Translator, base url.Values, oldest bool) sortHeader {
	other := cloneValues(base)
	h := sortHeader{AriaSort: "descending", Arrow: "▼", Action: tr.T("seizure_list.sort.to_oldest")}
	other.Set("order", orderOldest)
	if oldest {
		h = sortHeader{AriaSort: "ascending", Arrow: "▲", Action: tr.T("seizure_list.sort.to_newest")}
		other.Del("order")
	}
	h.Href = "/seizures"
	if len(other) > 0 {
		h.Href += "?" + other.Encode()
	}
	return h
}

// orderOptions returns the choices of the list order, with selected
// chosen (newest first unless it is orderOldest).
func orderOptions(tr *Translator, selected string) []option {
	return []option{
		{Value: "", Label: tr.T("seizure_list.order.newest"), Selected: selected != orderOldest},
		{Value: orderOldest, Label: tr.T("seizure_list.order.oldest"), Selected: selected == orderOldest},
	}
}
