package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// pageNames lists the page templates; each is parsed together with
// layout.html and defines the "content" block.
var pageNames = []string{"login", "error", "seizures", "seizure", "seizure_form", "hs"}

// placeholderFuncs declares the template functions at parse time; render
// binds them to the request's translator.
var placeholderFuncs = template.FuncMap{
	"t":     func(key string, args ...any) string { return key },
	"field": newTextField,
}

// parsePages parses every page of dir in fsys with the layout.
func parsePages(fsys fs.FS, dir string) (map[string]*template.Template, error) {
	pages := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(placeholderFuncs).ParseFS(fsys,
			path.Join(dir, "layout.html"), path.Join(dir, name+".html"))
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// languageLink is one entry of the language switcher.
type languageLink struct {
	Code, Name, Href string
	Current          bool
}

// page is the data of every page: what the layout needs, and the page's
// own Data.
type page struct {
	tr         *Translator
	Lang, Dir  string
	Title      string
	Node       string
	Stylesheet string
	Languages  []languageLink
	Session    *Session
	CSRF       string
	Today      string
	Data       any
}

// newPage returns the layout data of a page for r, signed in as sess (nil
// when signed out), titled with the message of titleKey.
func (s *server) newPage(r *http.Request, sess *Session, titleKey string) *page {
	tr := s.cat.Translator(chooseLanguage(r, sess))
	p := &page{
		tr:         tr,
		Lang:       tr.Lang(),
		Dir:        tr.Dir(),
		Title:      tr.T(titleKey),
		Node:       s.node,
		Stylesheet: s.cssHref,
		Session:    sess,
		Today:      tr.Date(s.now()),
	}
	if sess != nil {
		p.CSRF = s.auth.CSRFToken(sess)
	}
	for _, code := range Languages {
		q := url.Values{"lang": {code}}
		p.Languages = append(p.Languages, languageLink{
			Code:    code,
			Name:    s.cat.Translator(code).Name(),
			Href:    languageHref(r, q),
			Current: code == tr.Lang(),
		})
	}
	return p
}

// languageHref returns the link of the language switcher for r's page: a
// GET of the same path, or of the sign-in form after a failed post.
func languageHref(r *http.Request, q url.Values) string {
	p := r.URL.Path
	if r.Method != http.MethodGet || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		p = "/"
		if r.URL.Path == "/login" {
			p = "/login"
		}
	}
	return p + "?" + q.Encode()
}

// render writes the page name with data p and the given status. The page
// is executed into a buffer first, so that a template error becomes an
// error page rather than half a page.
func (s *server) render(w http.ResponseWriter, status int, name string, p *page) error {
	base, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("render: no page %q", name)
	}
	t, err := base.Clone()
	if err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	t.Funcs(template.FuncMap{"t": p.tr.T})
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Vary", "Cookie, Accept-Language")
	w.WriteHeader(status)
	_, err = w.Write(buf.Bytes())
	return err
}
