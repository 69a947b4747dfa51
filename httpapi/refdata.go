package httpapi

import (
	"net/http"
	"slices"
	"strings"

	"crossguard"
	"crossguard/refdata"
)

// hsDetail is an HS entry with its ancestors, chapter first, so that a
// client can show "29 > 2939 > 293911" without further requests.
type hsDetail struct {
	refdata.HSEntry
	Ancestors []refdata.HSEntry `json:"ancestors"`
}

// getHS answers one HS 2022 chapter, heading or subheading. Dots in the
// code are ignored, so that 2939.11 works as printed in tariffs.
func (s *Server) getHS(w http.ResponseWriter, r *http.Request) error {
	code := strings.ReplaceAll(r.PathValue("code"), ".", "")
	e, ok := refdata.HS(code)
	if !ok {
		return crossguard.Errorf(crossguard.ENOTFOUND, "HS code %q is not a chapter, heading or subheading of HS 2022", clip(code, 40))
	}
	out := hsDetail{HSEntry: e, Ancestors: []refdata.HSEntry{}}
	for p := e.Parent; p != ""; {
		a, ok := refdata.HS(p)
		if !ok {
			break
		}
		out.Ancestors = append(out.Ancestors, a)
		p = a.Parent
	}
	slices.Reverse(out.Ancestors)
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// searchHS answers the HS entries matching q, by code prefix or by words
// of the description (see refdata.SearchHS).
func (s *Server) searchHS(w http.ResponseWriter, r *http.Request) error {
	q := parseQuery(r, "q", "limit")
	text, limit := q.str("q"), q.int("limit")
	switch {
	case text == "":
		q.addf("q", "required: words of a description (opium) or the start of a code (2939)")
	case len(text) > 200:
		q.addf("q", "too long: %d bytes, at most 200", len(text))
	}
	if err := q.err(); err != nil {
		return err
	}
	items := refdata.SearchHS(text, limit)
	if items == nil {
		items = []refdata.HSEntry{}
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"items": items})
	return nil
}
