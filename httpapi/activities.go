package httpapi

import (
	"net/http"

	"crossguard"
)

func activityPath(id string) string { return "/api/v1/activities/" + id }

// createActivity stores a new activity written by this node and answers
// 201 with it.
func (s *Server) createActivity(w http.ResponseWriter, r *http.Request) error {
	var in crossguard.Activity
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	out, err := s.Cooperation.CreateActivity(r.Context(), actorOf(r.Context()), &in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", activityPath(out.ID))
	w.Header().Set("ETag", etag(out.Version))
	s.writeJSON(w, r, http.StatusCreated, out)
	return nil
}

// activitiesOf reads the agreement filter of an activity list and lists
// the activities.
func (s *Server) activitiesOf(r *http.Request) ([]*crossguard.Activity, error) {
	q := parseQuery(r, "agreement")
	agreement := q.str("agreement")
	if err := q.err(); err != nil {
		return nil, err
	}
	return s.Cooperation.Activities(r.Context(), actorOf(r.Context()), agreement)
}

// listActivities answers the activities this node holds, own and
// received, by start date; ?agreement=ID keeps one agreement's.
func (s *Server) listActivities(w http.ResponseWriter, r *http.Request) error {
	out, err := s.activitiesOf(r)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"items": out})
	return nil
}

// getActivity answers one activity with its version as ETag.
func (s *Server) getActivity(w http.ResponseWriter, r *http.Request) error {
	out, err := s.Cooperation.Activity(r.Context(), actorOf(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(out.Version))
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// activitiesCalendar answers the activities as an iCalendar (RFC 5545)
// feed: one all-day event per activity, for the calendars people already
// use.
func (s *Server) activitiesCalendar(w http.ResponseWriter, r *http.Request) error {
	acts, err := s.activitiesOf(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="activities.ics"`)
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	if _, err := w.Write(Calendar("crossguard programme, "+s.Info.ID, acts)); err != nil {
		s.Logger.DebugContext(r.Context(), "write calendar", "err", err)
	}
	return nil
}
