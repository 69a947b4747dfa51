package web

import (
	"fmt"
	"net/http"
)

// logout ends the session after checking the form's CSRF token, forgets
// the browser's language choice (the next person at a shared computer gets
// their own) and returns to the sign-in form.
func (s *server) logout(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.session(r)
	if err != nil {
		return err
	}
	if sess == nil {
		ClearSessionCookie(w, r)
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	if !s.auth.CheckCSRF(sess, r.PostFormValue(csrfField)) {
		return errCSRF
	}
	if err := s.auth.SignOut(r.Context(), cookieValue(r, SessionCookie)); err != nil {
		return fmt.Errorf("sign out %s: %w", sess.Username, err)
	}
	ClearSessionCookie(w, r)
	http.SetCookie(w, newCookie(r, langCookie, "", -1))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
