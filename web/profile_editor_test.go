package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"crossguard"
)

// profileForm returns a valid editor form that selects opium alkaloids
// (HS heading 2939) through row 2, rows 0 and 1 left empty.
func profileForm(csrf string) url.Values {
	return url.Values{
		"csrf": {csrf}, "cond.rows": {"6"},
		"name": {"Alkaloids at Sost"}, "description": {"heading 2939"}, "channel": {"yellow"}, "score": {"0.7"},
		"valid_from": {"2026-03-01"}, "valid_to": {""}, "owner": {"targeting unit"},
		"distribution": {"agency"}, "recipients": {""}, "marking.tlp": {"amber"}, "marking.handling": {"H0"},
		"cond.2.field": {"hs4"}, "cond.2.op": {"eq"}, "cond.2.value": {"2939"},
	}
}

func TestProfileEditorOnlyForTargeting(t *testing.T) {
	e := newTargetingEnv(t)
	officer := e.signedIn("bilal")
	wantStatus(t, e.get(officer, "/profiles/new"), http.StatusForbidden)
	token := mustCSRF(t, e.get(officer, "/"))
	wantStatus(t, e.post(officer, "/profiles/new", profileForm(token)), http.StatusForbidden)
	if strings.Contains(e.get(officer, "/profiles").body, `href="/profiles/new"`) {
		t.Error("the profile list offers an officer the editor")
	}

	analyst := e.signedIn("alice")
	list := e.get(analyst, "/profiles")
	wantContains(t, list, `href="/profiles/new"`, "/edit\">Edit<span class=\"visually-hidden\"> Opium alkaloids declared cheap</span>")
	res := e.get(analyst, "/profiles/new")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, `name="cond.5.field"`, `<option value="value_per_kg">Value per kg</option>`,
		`<option value="between">is between</option>`, `name="valid_from" type="text" value="2026-03-02"`, `name="preview"`)
	if strings.Contains(res.body, `name="cond.6.field"`) {
		t.Error("an empty editor shows more than six condition rows")
	}
	wantStatus(t, e.post(analyst, "/profiles/new", profileForm("forged")), http.StatusForbidden)
}

func TestProfileEditorAddsARow(t *testing.T) {
	e := newTargetingEnv(t)
	c := e.signedIn("alice")
	form := profileForm(mustCSRF(t, e.get(c, "/profiles/new")))
	form.Set("addrow", "1")
	res := e.post(c, "/profiles/new", form)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, `name="cond.6.field"`, `name="cond.rows" value="7"`, `value="Alkaloids at Sost"`,
		`<option value="hs4" selected>`)
}

func TestProfileEditorRefusesFieldsKeepingInput(t *testing.T) {
	e := newTargetingEnv(t)
	c := e.signedIn("alice")
	form := profileForm(mustCSRF(t, e.get(c, "/profiles/new")))
	form.Set("score", "1.5")
	form.Set("cond.4.field", "net_mass")
	form.Set("cond.4.op", "lt")
	form.Set("cond.4.value", "heavy")
	form.Set("preview", "1")
	res := e.post(c, "/profiles/new", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, `id="pf-score-error"`, "Enter a number from 0 to 1", `value="1.5"`,
		`id="pf-cond-4-value-error"`, "Enter a value this field can hold.", `value="heavy"`,
		`href="#pf-cond-4-value"`, `<option value="net_mass" selected>`, `<option value="lt" selected>`)
	if strings.Contains(res.body, `id="pf-cond-2-value-error"`) {
		t.Error("the valid condition of row 2 is marked refused")
	}

	form.Set("score", "high")
	res = e.post(c, "/profiles/new", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, `id="pf-score-error"`, `value="high"`)

	empty := url.Values{"csrf": {form.Get("csrf")}, "name": {"x"}, "channel": {"red"}, "score": {"0.5"},
		"valid_from": {"2026-03-01"}, "distribution": {"agency"}, "marking.tlp": {"amber"}, "marking.handling": {"H0"}, "save": {"1"}}
	res = e.post(c, "/profiles/new", empty)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "at least one condition is required")
}

func TestProfileEditorPreviewsAndSaves(t *testing.T) {
	e := newTargetingEnv(t)
	c := e.signedIn("alice")
	form := profileForm(mustCSRF(t, e.get(c, "/profiles/new")))
	form.Set("preview", "1")
	res := e.post(c, "/profiles/new", form)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "Would have selected 1 of the last 2 declarations (0 inspected, 0 with a find).",
		`href="/declarations/`+e.both+`"`, `value="Alkaloids at Sost"`)

	form.Del("preview")
	form.Set("save", "1")
	saved := e.post(c, "/profiles/new", form)
	wantStatus(t, saved, http.StatusSeeOther)
	loc := saved.Header.Get("Location")
	if !strings.HasPrefix(loc, "/profiles?saved=") {
		t.Fatalf("after saving, Location = %q", loc)
	}
	list := e.get(c, loc)
	wantContains(t, list, "Alkaloids at Sost", "was saved")
	ps, err := e.node.Profiles(context.Background(), "test")
	if err != nil {
		t.Fatal(err)
	}
	var id string
	for _, p := range ps {
		if p.Name == "Alkaloids at Sost" {
			id = p.ID
			if p.Channel != "yellow" || p.Score != 0.7 || len(p.Conditions) != 1 || string(p.Conditions[0].Value) != `"2939"` || p.Owner != "targeting unit" {
				t.Errorf("saved profile %+v", p.Profile)
			}
		}
	}
	if id == "" {
		t.Fatal("the profile was not saved")
	}

	// Edit it: the form comes filled in; a stale version is refused.
	edit := e.get(c, "/profiles/"+id+"/edit")
	wantStatus(t, edit, http.StatusOK)
	wantContains(t, edit, `value="Alkaloids at Sost"`, `name="version" value="1"`, `<option value="hs4" selected>`, `value="2939"`)
	change := profileForm(mustCSRF(t, edit))
	change.Set("version", "1")
	change.Set("cond.2.op", "in")
	change.Set("cond.2.value", "2939, 1302")
	change.Set("save", "1")
	wantStatus(t, e.post(c, "/profiles/"+id+"/edit", change), http.StatusSeeOther)
	p, err := e.node.Profile(context.Background(), "test", id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != 2 || string(p.Conditions[0].Value) != `["2939","1302"]` {
		t.Errorf("edited profile version %d, value %s", p.Version, p.Conditions[0].Value)
	}
	stale := e.post(c, "/profiles/"+id+"/edit", change)
	wantStatus(t, stale, http.StatusConflict)
	wantContains(t, stale, "Someone changed this profile")
	wantStatus(t, e.get(c, "/profiles/nothing/edit"), http.StatusNotFound)
}

// TestProfileEditorKeysBuiltAtRunTime checks that every declaration field
// and operator the editor offers has its words in every catalog.
func TestProfileEditorKeysBuiltAtRunTime(t *testing.T) {
	c := mustCatalogs(t)
	var keys []string
	for _, f := range crossguard.DeclarationFieldNames() {
		keys = append(keys, "profileform.field."+f)
	}
	for _, op := range crossguard.ConditionOps {
		keys = append(keys, "profileform.op."+op)
	}
	for _, name := range profileInputs {
		keys = append(keys, "profileform.label."+name, "profileform.error."+name)
	}
	for _, part := range []string{"field", "op", "value"} {
		keys = append(keys, "profileform.label.cond."+part, "profileform.error.cond."+part)
	}
	for _, lang := range Languages {
		for _, k := range keys {
			if _, ok := c.messages[lang][k]; !ok {
				t.Errorf("catalog %s lacks key %q", lang, k)
			}
		}
	}
}
