package web

import (
	"net/http"

	"crossguard"
)

// homePage is the data of the start page.
type homePage struct {
	// Role is the signed-in person's role in the page's language.
	Role string
	// Seizures reports whether the seizure pages exist.
	Seizures bool
	// Targeting reports whether the risk targeting pages exist.
	Targeting bool
	// Cooperation reports whether the operation and programme pages exist.
	Cooperation bool
	// Admin reports whether the administration pages exist and the
	// person's role may use them.
	Admin bool
	// Audit reports whether the audit pages exist and the person's role
	// may use them.
	Audit bool
}

// home shows who is signed in, or sends a signed-out visitor to the
// sign-in form. The dashboard will take its place.
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
	p.Data = homePage{Role: p.tr.T("role." + sess.Role), Seizures: s.records != nil,
		Targeting: s.targeting != nil, Cooperation: s.cooperation != nil,
		Admin: s.admin != nil && crossguard.Can(sess.Role, crossguard.PermAdmin),
		Audit: s.admin != nil && crossguard.Can(sess.Role, crossguard.PermAudit)}
	return s.render(w, http.StatusOK, "home", p)
}
