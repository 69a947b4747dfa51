package web

import (
	"net/http"
	"testing"
)

// TestSeizureFormRefusesPersonalData posts a narrative with a CNIC: the
// form comes back with the finding, masked, beside the narrative in the
// reader's language, and the help text under the narrative says to
// describe people by their role. A local seizure is saved, and its page
// warns of what it holds.
func TestSeizureFormRefusesPersonalData(t *testing.T) {
	e := newFormEnv(t)
	c := e.signedIn("alice")
	res, csrf := e.openForm(c, "/seizures/new")
	wantContains(t, res, `<p class="hint" id="f-narrative-hint">Describe people by their role`)
	form := validSeizureForm(csrf)
	form.Set("distribution", "partners")
	form.Set("narrative", "The driver, CNIC 35202-1234567-1, fled.")
	res = e.post(c, "/seizures/new", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, `<p class="field-error" id="f-narrative-error">This looks like personal data (3****-*******-*).`)

	form.Set("distribution", "local")
	form.Set("csrf", mustCSRF(t, res))
	loc := wantRedirectToSeizure(t, e.post(c, "/seizures/new", form))
	wantContains(t, e.get(c, loc), `<p class="notice" role="status">This local record holds what looks like personal data in narrative (3****-*******-*).`)
}
