package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"time"

	"crossguard"
	"crossguard/node"
)

// Targeting gives the risk targeting pages their data. node.Targeting
// implements it; the web package checks the signed-in person's
// permissions before each change.
type Targeting interface {
	// RiskStats returns hit rates over decisions made in [from, to).
	RiskStats(ctx context.Context, from, to time.Time) (*crossguard.RiskStats, error)
	// DeclarationEntry returns a stored declaration with its decision and
	// inspection, or an error with code ENOTFOUND.
	DeclarationEntry(ctx context.Context, id string) (*crossguard.DeclarationEntry, error)
	// RecordInspection validates and stores the result of inspecting a
	// stored declaration.
	RecordInspection(ctx context.Context, actor string, in *crossguard.Inspection) (*crossguard.Inspection, error)
	// Profiles lists the profiles with their local state and statistics.
	Profiles(ctx context.Context, actor string) ([]*node.ProfileView, error)
	// Watchlist lists the watch-list entries in force.
	Watchlist(ctx context.Context) ([]*crossguard.WatchEntry, error)
	// Models lists the stored model versions, newest first.
	Models(ctx context.Context) ([]*crossguard.ModelInfo, error)
	// ActivateModel makes a stored version the one decisions use.
	ActivateModel(ctx context.Context, actor string, version int64) (*crossguard.ModelInfo, error)
	TargetingQueue
}

// targetingPages are the page templates of the targeting pages.
var targetingPages = []string{"targeting", "declaration", "profiles", "watchlist", "models"}

// init adds the targeting pages to the pages parsePages loads.
func init() { pageNames = append(pageNames, targetingPages...) }

// targetingRoutes adds the targeting pages to mux.
func (s *server) targetingRoutes(mux *http.ServeMux) {
	mux.Handle("GET /targeting", s.handle(s.targetingStats))
	mux.Handle("GET /declarations", s.handle(s.declarationLookup))
	mux.Handle("GET /declarations/{id}", s.handle(s.declarationDetail))
	mux.Handle("POST /declarations/{id}/inspection", s.handle(s.declarationInspect))
	mux.Handle("GET /profiles", s.handle(s.profileList))
	mux.Handle("GET /profiles/new", s.handle(s.newProfileForm))
	mux.Handle("POST /profiles/new", s.handle(s.saveProfileForm))
	mux.Handle("GET /profiles/{id}/edit", s.handle(s.editProfileForm))
	mux.Handle("POST /profiles/{id}/edit", s.handle(s.saveProfileForm))
	mux.Handle("GET /watchlist", s.handle(s.watchList))
	mux.Handle("GET /models", s.handle(s.modelList))
	mux.Handle("POST /models/{v}/activate", s.handle(s.modelActivate))
}

// errNoPermission is the refusal of a change the person's role may not
// make.
var errNoPermission = crossguard.Errorf(crossguard.EFORBIDDEN, "your role may not do this")

// requirePermission returns the session of a signed-in person holding
// perm whose form carries a valid CSRF token; nil after a redirect to the
// sign-in form.
func (s *server) requirePermission(w http.ResponseWriter, r *http.Request, perm string) (*Session, error) {
	sess, err := s.requireSession(w, r)
	if sess == nil || err != nil {
		return nil, err
	}
	if err := parseForm(w, r); err != nil {
		return nil, err
	}
	if !s.auth.CheckCSRF(sess, r.PostFormValue(csrfField)) {
		return nil, errCSRF
	}
	if !crossguard.Can(sess.Role, perm) {
		return nil, errNoPermission
	}
	return sess, nil
}

// statsPeriodDays is how many days, today included, the statistics cover
// unless the form says otherwise.
const statsPeriodDays = 30

// rateRow is one line of a hit-rate table.
type rateRow struct {
	Name, Href                         string
	Selected, Inspected, Hits, HitRate string
	Revenue                            string
}

// targetingPage is the data of the targeting overview.
type targetingPage struct {
	From, To    fieldInput
	Invalid     bool
	Total       string
	Channels    []rateRow
	Profiles    []rateRow
	Selection   []rateRow
	LookupID    string
	LookupError string
	Queue       *queueView
}

// targetingStats shows the hit rates of a period per channel, profile,
// random selection and the model, and the declaration look-up form.
func (s *server) targetingStats(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requireSession(w, r)
	if sess == nil || err != nil {
		return err
	}
	p := s.newPage(r, sess, "targeting.title")
	tr := p.tr
	q := r.URL.Query()
	today := s.now().UTC().Truncate(24 * time.Hour)
	data := &targetingPage{
		From:        fieldInput{Value: q.Get("from")},
		To:          fieldInput{Value: q.Get("to")},
		LookupID:    q.Get("id"),
		LookupError: lookupError(tr, q.Get("missing")),
	}
	from, to := today.AddDate(0, 0, 1-statsPeriodDays), today
	if data.From.Value != "" {
		if from, err = time.Parse(time.DateOnly, data.From.Value); err != nil {
			data.From.Error = tr.T("targeting.error.date")
		}
	}
	if data.To.Value != "" {
		if to, err = time.Parse(time.DateOnly, data.To.Value); err != nil {
			data.To.Error = tr.T("targeting.error.date")
		}
	}
	if data.From.Error == "" && data.To.Error == "" && to.Before(from) {
		data.To.Error = tr.T("targeting.error.order")
	}
	data.Invalid = data.From.Error != "" || data.To.Error != ""
	queue, queueOK, err := s.declarationQueue(r, tr)
	if err != nil {
		return err
	}
	data.Queue = queue
	if data.From.Value == "" {
		data.From.Value = from.Format(time.DateOnly)
	}
	if data.To.Value == "" {
		data.To.Value = to.Format(time.DateOnly)
	}
	if !data.Invalid {
		st, err := s.targeting.RiskStats(r.Context(), from, to.AddDate(0, 0, 1))
		if err != nil {
			return fmt.Errorf("risk statistics: %w", err)
		}
		data.Total = tr.Number(st.Total)
		for _, c := range st.Channels {
			data.Channels = append(data.Channels, rateView(tr, tr.T("channel."+c.Key), "", c))
		}
		for _, pr := range st.Profiles {
			name := pr.Name
			if name == "" {
				name = pr.Key
			}
			data.Profiles = append(data.Profiles, rateView(tr, name, "", pr))
		}
		if st.Random != nil {
			data.Selection = append(data.Selection, rateView(tr, tr.T("selected.random"), "", st.Random))
		}
		if st.Model != nil {
			data.Selection = append(data.Selection, rateView(tr, tr.T("selected.model"), "/models", st.Model))
		}
	}
	p.Data = data
	status := http.StatusOK
	if data.Invalid || !queueOK {
		status = http.StatusBadRequest
	}
	return s.render(w, status, "targeting", p)
}

// lookupError returns the message for a declaration id that was not
// found, or "" when none was.
func lookupError(tr *Translator, missing string) string {
	if missing == "" {
		return ""
	}
	return tr.T("targeting.lookup.missing", missing)
}

// rateView writes out one line of hit rates.
func rateView(tr *Translator, name, href string, st *crossguard.RateStats) rateRow {
	row := rateRow{Name: name, Href: href,
		Selected: tr.Number(st.Selected), Inspected: tr.Number(st.Inspected), Hits: tr.Number(st.Hits)}
	if st.Inspected > 0 {
		row.HitRate = percent(tr, st.HitRate)
	} else {
		row.HitRate = tr.T("targeting.rate.none")
	}
	if st.Revenue > 0 {
		row.Revenue = tr.Number(round(st.Revenue, 2))
	}
	return row
}

// percent writes a share between 0 and 1 as a percentage with one
// decimal.
func percent(tr *Translator, share float64) string {
	return tr.T("percent.format", tr.Number(round(share*100, 1)))
}

// round rounds x to digits decimals.
func round(x float64, digits int) float64 {
	m := math.Pow(10, float64(digits))
	return math.Round(x*m) / m
}

// declarationLookup sends the look-up form to the declaration's page, or
// back to the overview when the id is unknown.
func (s *server) declarationLookup(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requireSession(w, r)
	if sess == nil || err != nil {
		return err
	}
	id := r.URL.Query().Get("id")
	if id == "" {
		http.Redirect(w, r, "/targeting", http.StatusSeeOther)
		return nil
	}
	if _, err := s.targeting.DeclarationEntry(r.Context(), id); crossguard.ErrorCode(err) == crossguard.ENOTFOUND {
		http.Redirect(w, r, "/targeting?"+url.Values{"missing": {id}, "id": {id}}.Encode(), http.StatusSeeOther)
		return nil
	} else if err != nil {
		return fmt.Errorf("look up declaration %q: %w", id, err)
	}
	http.Redirect(w, r, "/declarations/"+pathEscape(id), http.StatusSeeOther)
	return nil
}
