package web

import (
	"fmt"
	"net/http"
	"strconv"

	"crossguard"
)

// profileRow is one profile of the profile list.
type profileRow struct {
	ID, Name, Origin          string
	State, StateLabel         string
	Channel, ChannelLabel     string
	Score, Validity           string
	Selected, Inspected, Hits string
	HitRate                   string
	EditHref                  string
}

// profilesPage is the data of the profile list: its rows, whether the
// person may write profiles, and the name of one just saved.
type profilesPage struct {
	Rows    []profileRow
	CanEdit bool
	Saved   string
}

// profileList shows every profile with its local state, channel, score,
// validity and hit rate.
func (s *server) profileList(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requireSession(w, r)
	if sess == nil || err != nil {
		return err
	}
	ps, err := s.targeting.Profiles(r.Context(), sess.Username)
	if err != nil {
		return fmt.Errorf("list profiles: %w", err)
	}
	p := s.newPage(r, sess, "profiles.title")
	tr := p.tr
	canEdit := crossguard.Can(sess.Role, crossguard.PermTarget)
	data := &profilesPage{CanEdit: canEdit}
	rows := make([]profileRow, 0, len(ps))
	for _, pv := range ps {
		row := profileRow{
			ID: pv.ID, Name: pv.Name, Origin: pv.Origin,
			State: pv.State, StateLabel: tr.T("profile.state." + pv.State),
			Channel: pv.Channel, ChannelLabel: tr.T("channel." + pv.Channel),
			Score: tr.Number(round(pv.Score, 2)),
		}
		if pv.ValidTo != "" {
			row.Validity = tr.T("profiles.validity", pv.ValidFrom, pv.ValidTo)
		} else {
			row.Validity = tr.T("profiles.validity.open", pv.ValidFrom)
		}
		st := pv.Stats
		if st == nil {
			st = &crossguard.RateStats{}
		}
		rv := rateView(tr, "", "", st)
		row.Selected, row.Inspected, row.Hits, row.HitRate = rv.Selected, rv.Inspected, rv.Hits, rv.HitRate
		if canEdit && pv.Origin == s.nodeID {
			row.EditHref = "/profiles/" + pathEscape(pv.ID) + "/edit"
		}
		if pv.ID == r.URL.Query().Get("saved") {
			data.Saved = pv.Name
		}
		rows = append(rows, row)
	}
	data.Rows = rows
	p.Data = data
	return s.render(w, http.StatusOK, "profiles", p)
}

// watchRow is one watch-list entry in force.
type watchRow struct {
	Type, Value           string
	Channel, ChannelLabel string
	Reason, Source        string
	Expires, Created      string
}

// watchList shows the watch-list entries in force.
func (s *server) watchList(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requireSession(w, r)
	if sess == nil || err != nil {
		return err
	}
	ws, err := s.targeting.Watchlist(r.Context())
	if err != nil {
		return fmt.Errorf("list watch list: %w", err)
	}
	p := s.newPage(r, sess, "watchlist.title")
	tr := p.tr
	rows := make([]watchRow, 0, len(ws))
	for _, we := range ws {
		rows = append(rows, watchRow{
			Type: tr.T("identifier." + we.Identifier.Type), Value: we.Identifier.Value,
			Channel: we.Channel, ChannelLabel: tr.T("channel." + we.Channel),
			Reason: we.Reason, Source: tr.T("watchlist.source." + we.Source),
			Expires: tr.DateTime(we.ExpiresAt), Created: tr.DateTime(we.CreatedAt),
		})
	}
	p.Data = rows
	return s.render(w, http.StatusOK, "watchlist", p)
}

// modelRow is one stored model version.
type modelRow struct {
	Version, Created string
	Rows, Positives  string
	P1, P2, P5, P10  string
	Active           bool
	Activated        string
	Notes            string
	ActivateHref     string
}

// modelsPage is the data of the model list.
type modelsPage struct {
	Models      []modelRow
	CanActivate bool
	Activated   string
}

// modelList shows the model versions with their evaluation and which is
// active.
func (s *server) modelList(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requireSession(w, r)
	if sess == nil || err != nil {
		return err
	}
	ms, err := s.targeting.Models(r.Context())
	if err != nil {
		return fmt.Errorf("list models: %w", err)
	}
	p := s.newPage(r, sess, "models.title")
	tr := p.tr
	data := &modelsPage{CanActivate: crossguard.Can(sess.Role, crossguard.PermTarget)}
	if v := r.URL.Query().Get("activated"); v != "" {
		data.Activated = tr.T("models.activated", v)
	}
	for _, m := range ms {
		row := modelRow{
			Version: tr.Number(m.Version), Created: tr.DateTime(m.CreatedAt),
			Rows: tr.Number(m.TrainedRows), Positives: tr.Number(m.Positives),
			Active: m.Active, Notes: m.Notes,
			ActivateHref: "/models/" + strconv.FormatInt(m.Version, 10) + "/activate",
		}
		if m.ActivatedAt != nil {
			row.Activated = tr.DateTime(*m.ActivatedAt)
		}
		at := func(k string) string {
			if m.Eval == nil {
				return ""
			}
			x, ok := m.Eval.PrecisionAt[k]
			if !ok {
				return ""
			}
			return percent(tr, x)
		}
		row.P1, row.P2, row.P5, row.P10 = at("1"), at("2"), at("5"), at("10")
		data.Models = append(data.Models, row)
	}
	p.Data = data
	return s.render(w, http.StatusOK, "models", p)
}

// modelActivate makes a model version the active one; only roles that
// manage targeting may.
func (s *server) modelActivate(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requirePermission(w, r, crossguard.PermTarget)
	if sess == nil || err != nil {
		return err
	}
	v, err := strconv.ParseInt(r.PathValue("v"), 10, 64)
	if err != nil || v <= 0 {
		return errNotFound
	}
	if _, err := s.targeting.ActivateModel(r.Context(), sess.Username, v); err != nil {
		return fmt.Errorf("activate model %d: %w", v, err)
	}
	http.Redirect(w, r, "/models?activated="+strconv.FormatInt(v, 10), http.StatusSeeOther)
	return nil
}
