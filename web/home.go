package web

import (
	"net/http"

	"crossguard"
)

// home shows the dashboard, or sends a signed-out visitor to the sign-in
// form.
func (s *server) home(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.session(r)
	if err != nil {
		return err
	}
	if sess == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	p := s.newPage(r, sess, "home.title")
	d := &dashboardPage{Role: p.tr.T("role." + sess.Role), Seizures: s.records != nil,
		Targeting: s.targeting != nil, Cooperation: s.cooperation != nil,
		Admin: s.admin != nil && crossguard.Can(sess.Role, crossguard.PermAdmin),
		Audit: s.admin != nil && crossguard.Can(sess.Role, crossguard.PermAudit)}
	if s.dashboard != nil {
		data, err := s.dashboard.Dashboard(r.Context(), sess.Username)
		if err != nil {
			return err
		}
		s.fillDashboard(p.tr, d, data)
	}
	p.Data = d
	return s.render(w, http.StatusOK, "dashboard", p)
}
