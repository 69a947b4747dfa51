package browsertest

import (
	"net/url"
	"testing"
)

// OffSite returns the requests of the tab that went to a host other than
// the one of serverURL (such as an httptest server's URL). URLs with no
// host, such as data: and about:blank, count as on site.
func (b *Browser) OffSite(serverURL string) []string {
	b.t.Helper()
	srv, err := url.Parse(serverURL)
	if err != nil {
		b.t.Fatalf("server URL %q: %v", serverURL, err)
	}
	var off []string
	for _, raw := range b.Requests() {
		u, err := url.Parse(raw)
		if err != nil || (u.Host != "" && u.Host != srv.Host) {
			off = append(off, raw)
		}
	}
	return off
}

// CheckOnSite fails t when the tab made any request to a host other than
// the one of serverURL, and when it made no request at all (a listener
// that heard nothing proves nothing).
func (b *Browser) CheckOnSite(t testing.TB, serverURL string) {
	t.Helper()
	if len(b.Requests()) == 0 {
		t.Fatal("the browser recorded no request at all")
	}
	if off := b.OffSite(serverURL); len(off) > 0 {
		t.Fatalf("the browser made requests to other hosts than %s: %q", serverURL, off)
	}
}
