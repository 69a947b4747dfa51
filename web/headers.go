package web

import "net/http"

// ContentSecurityPolicy is sent with every response. It allows scripts,
// styles and images only from the node itself (images also as data: URLs
// for small icons), forbids plugins, <base> and framing, and lets forms
// post only back to the node. With no 'unsafe-inline', an injected <script>
// or style attribute does nothing.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; object-src 'none'; base-uri 'none'; " +
	"frame-ancestors 'none'; form-action 'self'"

// securityHeaders sets the headers every page and asset carries: the
// content security policy, no MIME sniffing, and referrers kept to the
// node's own pages so that record identifiers in URLs never leave it.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		// Pages show who is signed in and carry form tokens, which must not
		// outlive the session in a shared browser's cache; static assets
		// replace this with their own caching.
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}
