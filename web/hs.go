package web

import (
	"net/http"
	"strings"

	"crossguard/refdata"
)

// hsPage is the data of the HS code look-up page.
type hsPage struct {
	Query    string
	Results  []refdata.HSEntry
	Searched bool
}

// hsLookup answers GET /hs?q=: the HS codes whose code starts with q or
// whose description holds its words, for filling in the seizure form
// without script.
func (s *server) hsLookup(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requireSession(w, r)
	if sess == nil || err != nil {
		return err
	}
	p := s.newPage(r, sess, "hs.title")
	d := &hsPage{Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	if d.Query != "" {
		d.Searched = true
		d.Results = refdata.SearchHS(d.Query, 50)
	}
	p.Data = d
	return s.render(w, http.StatusOK, "hs", p)
}
