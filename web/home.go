package web

import "net/http"

// homePage is the data of the start page.
type homePage struct {
	// Role is the signed-in person's role in the page's language.
	Role string
	// Seizures reports whether the seizure pages exist.
	Seizures bool
	// Targeting reports whether the risk targeting pages exist.
	Targeting bool
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
		Targeting: s.targeting != nil}
	return s.render(w, http.StatusOK, "home", p)
}
