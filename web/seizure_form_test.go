package web

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"crossguard"
)

// formEnv is the web interface over the node of a seizureEnv, with an
// Authenticator that also knows ava, an auditor.
type formEnv struct {
	*testEnv
	se *seizureEnv
}

// newFormEnv starts the interface of newSeizureEnv's node with its own
// fakeAuth, to which the auditor ava is added.
func newFormEnv(t *testing.T) *formEnv {
	t.Helper()
	se := newSeizureEnv(t)
	auth := newFakeAuth()
	auth.users["ava"] = fakeUser{password: "correct horse", role: crossguard.RoleAuditor}
	srv := httptest.NewServer(Handler(Config{
		Auth: auth, NodeName: "Sost", NodeID: seizureNodeID, Records: se.node,
		Now: func() time.Time { return testNow },
	}))
	t.Cleanup(srv.Close)
	return &formEnv{testEnv: &testEnv{t: t, auth: auth, srv: srv}, se: se}
}

// signedIn returns a client signed in as user.
func (e *formEnv) signedIn(user string) *http.Client {
	e.t.Helper()
	c := e.client()
	e.mustSignIn(c, user)
	return c
}

// validSeizureForm is a complete, valid seizure form with the token csrf.
func validSeizureForm(csrf string) url.Values {
	return urlValues(
		"csrf", csrf,
		"occurred_at", "2026-11-25T10:00",
		"place.name", "Sost dry port",
		"place.locode", "",
		"place.lat", "36.69",
		"place.lon", "74.82",
		"country", "pk",
		"office", "Sost",
		"direction", "import",
		"transport_mode", "road",
		"conveyance", "truck",
		"detection_method", "canine",
		"concealment", "in_cargo",
		"route.origin", "AF",
		"route.departure", "CN",
		"route.transit", "",
		"route.destination", "PK",
		"goods[0].category", "narcotics",
		"goods[0].hs", "2939.11",
		"goods[0].description", "opium paste in jars",
		"goods[0].quantity", "3.5",
		"goods[0].unit", "kg",
		"goods[0].value.amount", "40000",
		"goods[0].value.currency", "usd",
		"identifiers[0].type", "vehicle_plate",
		"identifiers[0].value", "GLT-2231",
		"narrative", "Jars hidden among apricot crates.",
		"distribution", "partners",
		"recipients", "cn-customs",
		"marking.tlp", "amber",
		"marking.handling", "H1",
	)
}

// openForm fetches path and returns its CSRF token.
func (e *formEnv) openForm(c *http.Client, path string) (*response, string) {
	e.t.Helper()
	r := e.get(c, path)
	wantStatus(e.t, r, http.StatusOK)
	return r, mustCSRF(e.t, r)
}

// wantRedirectToSeizure fails unless r redirects to a seizure's page, and
// returns that page's path.
func wantRedirectToSeizure(t *testing.T, r *response) string {
	t.Helper()
	wantStatus(t, r, http.StatusSeeOther)
	loc := r.Header.Get("Location")
	if !strings.HasPrefix(loc, "/seizures/") || strings.HasSuffix(loc, "/edit") {
		t.Fatalf("redirect to %q, want a seizure's page", loc)
	}
	return loc
}

// inputValue finds the value of the input named name in body.
func inputValue(t *testing.T, r *response, name string) string {
	t.Helper()
	re := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`)
	m := re.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("%s: no input %q", r.Request.URL, name)
	}
	return html.UnescapeString(m[1])
}

func TestSeizureFormCreatesAndShowsTheSeizure(t *testing.T) {
	e := newFormEnv(t)
	c := e.signedIn("alice")
	form, csrf := e.openForm(c, "/seizures/new")
	wantContains(t, form, `action="/seizures/new"`, `name="goods[2].hs"`, `href="/hs"`,
		"Who will see it:", "Shared with the nodes of pk-customs only, up to TLP:AMBER.")

	res := e.post(c, "/seizures/new", validSeizureForm(csrf))
	loc := wantRedirectToSeizure(t, res)
	page := e.get(c, loc)
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page, "opium paste in jars", "293911", "Sost dry port", "GLT-2231",
		"Jars hidden among apricot crates.", "TLP:AMBER")

	id := strings.TrimPrefix(loc, "/seizures/")
	z, err := e.se.node.Seizure(t.Context(), "test", id)
	if err != nil {
		t.Fatal(err)
	}
	if z.Country != "PK" || z.Goods[0].Value == nil || z.Goods[0].Value.Currency != "USD" ||
		z.Place.Lat == nil || *z.Place.Lat != 36.69 || len(z.Recipients) != 1 || z.Recipients[0] != "cn-customs" {
		t.Errorf("stored seizure %+v", z)
	}
}

func TestSeizureFormShowsTheRefusedFieldAndKeepsTheInput(t *testing.T) {
	e := newFormEnv(t)
	c := e.signedIn("alice")
	_, csrf := e.openForm(c, "/seizures/new")
	form := validSeizureForm(csrf)
	// The first goods line is left empty: the node's goods[0] is the
	// form's line 2, and its message must land there.
	for _, f := range goodsInputs {
		form.Del(rowInput("goods", 0, f))
	}
	form.Set("goods[1].category", "narcotics")
	form.Set("goods[1].hs", "999999")
	form.Set("goods[1].description", "opium paste in jars")
	form.Set("goods[1].quantity", "3.5")
	form.Set("goods[1].unit", "kg")
	res := e.post(c, "/seizures/new", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "The seizure was not saved.", `href="#f-goods-1-hs"`,
		`id="f-goods-1-hs" name="goods[1].hs" value="999999"`,
		`aria-describedby="f-goods-1-hs-error"`,
		`<p class="field-error" id="f-goods-1-hs-error">Enter a known six-digit HS code`)
	for _, name := range []string{"place.name", "goods[1].description", "identifiers[0].value", "recipients"} {
		if got := inputValue(t, res, name); got != form.Get(name) {
			t.Errorf("input %s = %q, want the typed %q", name, got, form.Get(name))
		}
	}
	if strings.Contains(res.body, `id="f-goods-0-hs-error"`) {
		t.Error("the error is shown beside the empty first line")
	}

	form.Set("goods[1].hs", "293911")
	form.Set("csrf", mustCSRF(t, res))
	loc := wantRedirectToSeizure(t, e.post(c, "/seizures/new", form))
	wantContains(t, e.get(c, loc), "opium paste in jars")
}

func TestSeizureFormReadsNumbersAndDates(t *testing.T) {
	e := newFormEnv(t)
	c := e.signedIn("alice")
	_, csrf := e.openForm(c, "/seizures/new")
	form := validSeizureForm(csrf)
	form.Set("goods[0].quantity", "a lot")
	form.Set("occurred_at", "yesterday")
	res := e.post(c, "/seizures/new", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, `id="f-goods-0-quantity-error">Enter a number greater than zero.`,
		`id="f-occurred_at-error">Enter the date and time`, `value="a lot"`)
}

func TestSeizureEditBumpsTheVersionAndRefusesAStaleForm(t *testing.T) {
	e := newFormEnv(t)
	c := e.signedIn("bilal") // an officer
	id := e.se.ids["heroin, brown powder"]
	form, csrf := e.openForm(c, "/seizures/"+id+"/edit?lang=en")
	if v := inputValue(t, form, "version"); v != "1" {
		t.Fatalf("version field %q, want 1", v)
	}
	if got := inputValue(t, form, "goods[0].hs"); got != "293911" {
		t.Errorf("goods[0].hs = %q, want the stored 293911", got)
	}
	values := url.Values{}
	for _, m := range regexp.MustCompile(`name="([^"]+)" value="([^"]*)"`).FindAllStringSubmatch(form.body, -1) {
		values.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	for _, sel := range []string{"direction", "transport_mode", "detection_method", "concealment",
		"distribution", "marking.tlp", "marking.handling", "marking.source_reliability",
		"marking.info_accuracy", "goods[0].category", "goods[0].unit", "identifiers[0].type"} {
		re := regexp.MustCompile(`(?s)name="` + regexp.QuoteMeta(sel) + `".*?<option value="([^"]*)" selected>`)
		m := re.FindStringSubmatch(form.body)
		if m == nil {
			t.Fatalf("no selected option of %s", sel)
		}
		values.Set(sel, m[1])
	}
	values.Del("preview") // the button that only updates the sharing sentence
	values.Set("csrf", csrf)
	values.Set("narrative", "Packets under the floor; driver's log seized.")
	loc := wantRedirectToSeizure(t, e.post(c, "/seizures/"+id+"/edit", values))
	page := e.get(c, loc+"?lang=en")
	wantContains(t, page, "driver&#39;s log seized", "heroin, brown powder", "CSQU3054383")
	z, err := e.se.node.Seizure(t.Context(), "test", id)
	if err != nil {
		t.Fatal(err)
	}
	if z.Version != 2 || z.Marking.SourceReliability != "B" || len(z.Goods) != 1 || z.Goods[0].Value == nil {
		t.Errorf("after the edit: version %d, marking %+v, goods %+v", z.Version, z.Marking, z.Goods)
	}

	// The same form posted again is at version 1, no longer current.
	values.Set("narrative", "A second, stale change.")
	stale := e.post(c, "/seizures/"+id+"/edit", values)
	wantStatus(t, stale, http.StatusConflict)
	wantContains(t, stale, "Someone changed this seizure after you opened the form", "A second, stale change.")
	if z, _ := e.se.node.Seizure(t.Context(), "test", id); z.Version != 2 {
		t.Errorf("stale form saved: version %d", z.Version)
	}
}

func TestSeizureFormRefusesAMissingOrForgedToken(t *testing.T) {
	e := newFormEnv(t)
	c := e.signedIn("alice")
	before, err := e.se.node.ListSeizures(t.Context(), "test", crossguard.SeizureFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, token := range []string{"", "forged"} {
		res := e.post(c, "/seizures/new", validSeizureForm(token))
		wantStatus(t, res, http.StatusForbidden)
		wantContains(t, res, "The form had expired.")
	}
	id := e.se.ids["heroin, brown powder"]
	form := validSeizureForm("forged")
	form.Set("version", "1")
	wantStatus(t, e.post(c, "/seizures/"+id+"/edit", form), http.StatusForbidden)
	after, err := e.se.node.ListSeizures(t.Context(), "test", crossguard.SeizureFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Items) != len(before.Items) {
		t.Errorf("%d seizures after refused posts, want %d", len(after.Items), len(before.Items))
	}
}

func TestSeizureFormNeedsWritePermission(t *testing.T) {
	e := newFormEnv(t)
	officer := e.signedIn("bilal")
	wantStatus(t, e.get(officer, "/seizures/new"), http.StatusOK)

	auditor := e.signedIn("ava")
	id := e.se.ids["heroin, brown powder"]
	for _, path := range []string{"/seizures/new", "/seizures/" + id + "/edit"} {
		res := e.get(auditor, path+"?lang=en")
		wantStatus(t, res, http.StatusForbidden)
		wantContains(t, res, "You are not allowed to do this.")
		if strings.Contains(res.body, `name="goods[0].hs"`) {
			t.Errorf("%s shows the form to an auditor", path)
		}
	}
	// The auditor's own valid token does not help either.
	home := e.get(auditor, "/")
	wantStatus(t, e.post(auditor, "/seizures/new", validSeizureForm(mustCSRF(t, home))), http.StatusForbidden)

	signedOut := e.get(e.client(), "/seizures/new")
	wantStatus(t, signedOut, http.StatusSeeOther)
}

func TestSeizureFormEditsOnlyThisNodesRecords(t *testing.T) {
	e := newFormEnv(t)
	c := e.signedIn("alice")
	foreign := e.se.ids["methamphetamine tablets"]
	wantStatus(t, e.get(c, "/seizures/"+foreign+"/edit"), http.StatusForbidden)
	wantStatus(t, e.get(c, "/seizures/nothing/edit"), http.StatusNotFound)
}

func TestSeizureFormSaysWhoWillSeeIt(t *testing.T) {
	e := newFormEnv(t)
	c := e.signedIn("alice")
	_, csrf := e.openForm(c, "/seizures/new")
	cases := []struct{ dist, recipients, tlp, want string }{
		{"partners", "cn-customs", "amber", "Shared with the nodes of pk-customs and with the partner agencies cn-customs, up to TLP:AMBER."},
		{"partners", "", "green", "Shared with the nodes of pk-customs and with every partner agency this node exchanges with, up to TLP:GREEN"},
		{"network", "", "clear", "with every agency of the network, which may pass it on, up to TLP:CLEAR."},
		{"network", "cn-customs", "amber+strict", "Shared with the nodes of pk-customs only, up to TLP:AMBER+STRICT."},
		{"local", "", "amber", "Kept on this node only"},
		{"partners", "cn-customs, af-customs", "red", "Shared only with the nodes of the named agencies cn-customs, af-customs, at TLP:RED."},
	}
	for _, tc := range cases {
		form := validSeizureForm(csrf)
		form.Set("distribution", tc.dist)
		form.Set("recipients", tc.recipients)
		form.Set("marking.tlp", tc.tlp)
		form.Set("goods[0].hs", "999999") // the preview must not save nor check
		form.Set("preview", "1")
		res := e.post(c, "/seizures/new", form)
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, strings.ReplaceAll(html.EscapeString(tc.want), "+", "&#43;"), "Not saved yet.")
		if strings.Contains(res.body, "field-error") {
			t.Errorf("%s/%s: the preview shows errors", tc.dist, tc.tlp)
		}
	}
}

func TestSeizureFormIsTranslated(t *testing.T) {
	e := newFormEnv(t)
	c := e.signedIn("alice")
	_, csrf := e.openForm(c, "/seizures/new")
	form := validSeizureForm(csrf)
	for _, name := range formInputs(formGoodsRows, formIDRows) {
		if !strings.HasPrefix(name, "marking.") && name != "distribution" {
			form.Set(name, "?")
		}
	}
	for _, lang := range Languages {
		form.Set("csrf", csrf)
		res := e.post(c, "/seizures/new?lang="+lang, form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%s: status %d", lang, res.StatusCode)
		}
		for _, page := range []*response{res, e.get(c, "/seizures/new?lang="+lang), e.get(c, "/hs?q=zzzz&lang="+lang)} {
			if i := strings.Index(page.body, "seizureform."); i >= 0 {
				t.Errorf("%s: untranslated key near %q", lang, page.body[i:min(len(page.body), i+60)])
			}
			if strings.Contains(page.body, ">hs.") {
				t.Errorf("%s: untranslated hs key", lang)
			}
		}
	}
}

func TestHSLookup(t *testing.T) {
	e := newFormEnv(t)
	c := e.signedIn("alice")
	res := e.get(c, "/hs?q=2939&lang=en")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, `value="2939"`, ">293911<")
	none := e.get(c, "/hs?q=zzzzqqq&lang=en")
	wantContains(t, none, "No HS code matches.")
	wantStatus(t, e.get(e.client(), "/hs?q=2939"), http.StatusSeeOther)
}

func TestSeizurePagesLinkToTheForm(t *testing.T) {
	e := newFormEnv(t)
	own, foreign := e.se.ids["heroin, brown powder"], e.se.ids["methamphetamine tablets"]
	officer := e.signedIn("bilal")
	wantContains(t, e.get(officer, "/seizures"), `href="/seizures/new"`)
	wantContains(t, e.get(officer, "/seizures/"+own), `href="/seizures/`+own+`/edit"`)
	if r := e.get(officer, "/seizures/"+foreign); strings.Contains(r.body, "/edit") {
		t.Error("another node's seizure links to the edit form")
	}
	auditor := e.signedIn("ava")
	for _, path := range []string{"/seizures", "/seizures/" + own} {
		r := e.get(auditor, path)
		wantStatus(t, r, http.StatusOK)
		if strings.Contains(r.body, `href="/seizures/new"`) || strings.Contains(r.body, "/edit") {
			t.Errorf("%s links an auditor to the form", path)
		}
	}
}

// TestSeizureFormAsksH3ForItsConditions checks that handling code H3 is
// refused beside the conditions input until they are stated, and that the
// saved record's page shows them.
func TestSeizureFormAsksH3ForItsConditions(t *testing.T) {
	e := newFormEnv(t)
	c := e.signedIn("alice")
	_, csrf := e.openForm(c, "/seizures/new")
	form := validSeizureForm(csrf)
	form.Set("marking.handling", "H3")
	res := e.post(c, "/seizures/new", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, `href="#f-marking-conditions"`,
		`<p class="field-error" id="f-marking-conditions-error">State the conditions of handling code H3`)

	form.Set("marking.conditions", "No use against the carrier without asking Sost first.")
	form.Set("csrf", mustCSRF(t, res))
	loc := wantRedirectToSeizure(t, e.post(c, "/seizures/new", form))
	wantContains(t, e.get(c, loc), "No use against the carrier without asking Sost first.")
}
