package browsertest_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"crossguard/internal/browsertest"
)

// TestAxeFindsViolations checks that the accessibility check sees what it
// is for: a page with an unnamed button and an image without a text
// alternative breaks the rules button-name and image-alt, and the same
// page with both fixed breaks none.
func TestAxeFindsViolations(t *testing.T) {
	b := browsertest.New(t)
	const head = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Test</title></head><body><main><h1>Test</h1>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src data:")
		switch r.URL.Path {
		case "/bad":
			w.Write([]byte(head + `<button></button><img src="data:,"></main></body></html>`))
		default:
			w.Write([]byte(head + `<button>Save</button><img src="data:," alt="A seal"></main></body></html>`))
		}
	}))
	t.Cleanup(srv.Close)

	b.Load(chromedp.Navigate(srv.URL + "/bad"))
	var rules []string
	for _, v := range b.Axe(t) {
		rules = append(rules, v.ID)
	}
	for _, want := range []string{"button-name", "image-alt"} {
		if !slices.Contains(rules, want) {
			t.Errorf("violations %q lack %s", rules, want)
		}
	}
	b.Load(chromedp.Navigate(srv.URL + "/good"))
	if v := b.Axe(t); len(v) != 0 {
		t.Errorf("the fixed page has violations: %v", v)
	}
}
