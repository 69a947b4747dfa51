package web

import (
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// servedPages fetches every page and asset in every language, signed out
// and signed in, and returns them by a readable name.
func servedPages(t *testing.T) map[string]*response {
	t.Helper()
	e := newTestEnv(t)
	out := make(map[string]*response)
	anon := e.client()
	user := e.client()
	e.mustSignIn(user, "alice")
	for _, lang := range Languages {
		q := "?lang=" + lang
		out["login "+lang] = e.get(anon, "/login"+q)
		out["home "+lang] = e.get(user, "/"+q)
		out["not found "+lang] = e.get(user, "/nowhere"+q)
		out["failed login "+lang] = e.post(anon, "/login", url.Values{"username": {"x"}, "password": {"y"}})
		out["csrf refusal "+lang] = e.post(user, "/logout", url.Values{"csrf": {"forged"}})
	}
	se := newSeizureEnv(t)
	su := se.signedIn()
	heroin := "/seizures/" + se.ids["heroin, brown powder"]
	for _, lang := range Languages {
		q := "?lang=" + lang
		out["seizures "+lang] = se.get(su, "/seizures"+q)
		out["seizures paged "+lang] = se.get(su, "/seizures?limit=2&country=CN&lang="+lang)
		out["seizures refused "+lang] = se.get(su, "/seizures?from=x&hs=y&origin=z&lang="+lang)
		out["seizure "+lang] = se.get(su, heroin+q)
		out["seizure missing "+lang] = se.get(su, "/seizures/nothing"+q)
		out["seizure form "+lang] = se.get(su, "/seizures/new"+q)
		out["seizure edit "+lang] = se.get(su, heroin+"/edit"+q)
		out["seizure form refused "+lang] = se.post(su, "/seizures/new"+q,
			url.Values{"csrf": {mustCSRF(t, out["seizure form "+lang])}, "goods[0].hs": {"x"}})
		out["seizure form forged "+lang] = se.post(su, "/seizures/new"+q, url.Values{"csrf": {"forged"}})
		out["hs lookup "+lang] = se.get(su, "/hs?q=2939&lang="+lang)
	}
	out["seizures signed out"] = se.get(se.client(), "/seizures")
	te := newTargetingEnv(t)
	ta := te.signedIn("alice")
	decl := "/declarations/" + te.both
	for _, lang := range Languages {
		q := "?lang=" + lang
		out["targeting "+lang] = te.get(ta, "/targeting"+q)
		out["targeting refused "+lang] = te.get(ta, "/targeting?from=x&lang="+lang)
		out["declaration "+lang] = te.get(ta, decl+q)
		out["declaration plain "+lang] = te.get(ta, "/declarations/"+te.plain+q)
		out["declaration missing "+lang] = te.get(ta, "/declarations/nothing"+q)
		out["profiles "+lang] = te.get(ta, "/profiles"+q)
		out["watchlist "+lang] = te.get(ta, "/watchlist"+q)
		out["models "+lang] = te.get(ta, "/models"+q)
	}
	tok := mustCSRF(t, out["declaration en"])
	out["inspection refused"] = te.post(ta, decl+"/inspection", url.Values{"csrf": {tok}, "result": {"no_finding"}, "revenue": {"x"}})
	out["activation refused"] = te.post(te.signedIn("bilal"), "/models/2/activate", url.Values{"csrf": {tok}})
	out["targeting signed out"] = te.get(te.client(), "/targeting")
	ce := newCooperationEnv(t)
	cu := ce.signedIn()
	for _, lang := range Languages {
		q := "?lang=" + lang
		out["operations "+lang] = ce.get(cu, "/operations"+q)
		out["operation "+lang] = ce.get(cu, "/operations/"+ce.op+q)
		out["operation missing "+lang] = ce.get(cu, "/operations/nothing"+q)
		out["agreements "+lang] = ce.get(cu, "/agreements"+q)
		out["agreement "+lang] = ce.get(cu, "/agreements/"+ce.agreement+q)
		out["activities "+lang] = ce.get(cu, "/activities"+q)
	}
	out["operations signed out"] = ce.get(ce.client(), "/operations")
	badWarning := warningPost(mustCSRF(t, out["operation en"]))
	badWarning.Set("from", "x")
	out["warning refused"] = ce.post(cu, "/operations/"+ce.op+"/warnings", badWarning)
	ae := newAdminEnv(t)
	ada, aude := ae.signedIn("ada"), ae.signedIn("aude")
	for _, lang := range Languages {
		q := "?lang=" + lang
		out["admin peers "+lang] = ae.get(ada, "/admin/peers"+q)
		out["admin users "+lang] = ae.get(ada, "/admin/users"+q)
		out["admin refused "+lang] = ae.get(aude, "/admin/users"+q)
		// The setup's peer entries carry the peers' URLs as text, which
		// the check of references to other hosts cannot tell from links.
		out["audit "+lang] = ae.get(aude, "/audit?actor=zara&lang="+lang)
		out["audit refused filters "+lang] = ae.get(aude, "/audit?from=x&kind=Y&lang="+lang)
		out["audit verify "+lang] = ae.post(aude, "/audit/verify"+q, url.Values{"csrf": {mustCSRF(t, out["audit "+lang])}})
	}
	de := newDashboardEnv(t, smallDashboard())
	du := de.client()
	de.mustSignIn(du, "alice")
	for _, lang := range Languages {
		out["dashboard "+lang] = de.get(du, "/?lang="+lang)
	}
	out["redirect home"] = e.get(anon, "/")
	out["method not allowed"] = e.post(anon, "/static/app.css", nil)
	served, err := loadStatic(assets, "assets")
	if err != nil {
		t.Fatal(err)
	}
	for name := range served {
		out["asset "+name] = e.get(anon, "/static/"+name)
	}
	out["missing asset"] = e.get(anon, "/static/nothing.js")
	return out
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	want := map[string]string{
		"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "same-origin",
	}
	for name, res := range servedPages(t) {
		for h, v := range want {
			if got := res.Header.Get(h); got != v {
				t.Errorf("%s: %s = %q, want %q", name, h, got, v)
			}
		}
	}
}

// otherHost finds absolute and scheme-relative URLs, which would make the
// browser contact another host.
var otherHost = regexp.MustCompile(`(?i)([a-z][a-z0-9+.-]*:)?//[^\s"'<>()]*`)

// urlAttr finds the values of attributes and CSS functions that load or
// link to something.
var urlAttr = regexp.MustCompile(`(?i)(?:\b(?:href|src|action|srcset|poster|data|formaction)\s*=\s*["']?|url\(\s*["']?|@import\s+["'])([^"'\s)>]*)`)

func TestNoReferenceToAnotherHost(t *testing.T) {
	check := func(name, text string) {
		if m := otherHost.FindString(text); m != "" {
			t.Errorf("%s refers to another host: %q", name, m)
		}
		for _, m := range urlAttr.FindAllStringSubmatch(text, -1) {
			u := m[1]
			if u == "" || strings.HasPrefix(u, "{{") || strings.HasPrefix(u, "#") || strings.HasPrefix(u, "?") || u == "data:," ||
				(strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//")) {
				continue
			}
			t.Errorf("%s links outside the node: %q", name, u)
		}
	}
	for name, res := range servedPages(t) {
		check(name, res.body)
	}
	err := fs.WalkDir(assets, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assets, p)
		if err != nil {
			return err
		}
		check(p, string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// inlineCode finds inline scripts, style elements, style attributes and
// event-handler attributes, which the content security policy forbids.
var inlineCode = regexp.MustCompile(`(?i)<script\b|<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:`)

func TestNoInlineScriptOrStyle(t *testing.T) {
	for name, res := range servedPages(t) {
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			continue
		}
		if m := inlineCode.FindString(res.body); m != "" {
			t.Errorf("%s has inline code: %q", name, m)
		}
	}
}

func TestPagesAreNotCached(t *testing.T) {
	for name, res := range servedPages(t) {
		if !strings.HasPrefix(name, "asset ") && res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control = %q, want no-store", name, res.Header.Get("Cache-Control"))
		}
	}
}

func TestStaticAssets(t *testing.T) {
	e := newTestEnv(t)
	c := e.client()
	home := e.get(c, "/login")
	m := regexp.MustCompile(`href="(/static/app\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(home.body)
	if m == nil {
		t.Fatalf("login page links no versioned style sheet:\n%s", home.body)
	}
	href := m[1]

	t.Run("versioned is cached for good", func(t *testing.T) {
		res := e.get(c, href, "Accept-Encoding", "identity")
		wantStatus(t, res, http.StatusOK)
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
			t.Errorf("Content-Type = %q", res.Header.Get("Content-Type"))
		}
		if !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("Cache-Control = %q", res.Header.Get("Cache-Control"))
		}
		etag := res.Header.Get("ETag")
		again := e.get(c, href, "If-None-Match", etag)
		wantStatus(t, again, http.StatusNotModified)
	})
	t.Run("compressed when accepted", func(t *testing.T) {
		tr := &http.Transport{DisableCompression: true}
		gz := &http.Client{Transport: tr}
		res := e.get(gz, href, "Accept-Encoding", "gzip")
		if res.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("Content-Encoding = %q, want gzip", res.Header.Get("Content-Encoding"))
		}
	})
	t.Run("unversioned is revalidated", func(t *testing.T) {
		res := e.get(c, "/static/app.css")
		if res.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("Cache-Control = %q, want no-cache", res.Header.Get("Cache-Control"))
		}
	})
}
