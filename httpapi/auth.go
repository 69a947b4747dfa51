package httpapi

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"

	"crossguard"
)

// userKey is the context key of the authenticated *crossguard.User.
type userKey struct{}

// userOf returns the authenticated user of a request, or nil.
func userOf(ctx context.Context) *crossguard.User {
	u, _ := ctx.Value(userKey{}).(*crossguard.User)
	return u
}

// actorOf returns the name under which a request's writes are audited.
func actorOf(ctx context.Context) string {
	if u := userOf(ctx); u != nil {
		return u.Name
	}
	return "anonymous"
}

// bearerToken returns the token of an "Authorization: Bearer TOKEN"
// header, or "" if the header is missing or of another scheme.
func bearerToken(header string) string {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// clientAddr returns the host part of the request's remote address.
func clientAddr(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// authenticate requires a valid bearer token and puts its user in the
// request context. Failures are audited by node.Authenticate and answered
// with 401 and a WWW-Authenticate challenge.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		token := bearerToken(r.Header.Get("Authorization"))
		u, err := s.Users.Authenticate(r.Context(), token, clientAddr(r))
		if err != nil {
			if token != "" && crossguard.ErrorCode(err) == crossguard.EUNAUTHORIZED {
				w.Header().Set("WWW-Authenticate", `Bearer realm="crossguard", error="invalid_token"`)
			}
			return err
		}
		infoOf(r.Context()).User = u.Name
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, u)))
		return nil
	})
}

// authorize lets a request through only if the user's role holds perm
// (crossguard.Can); refusals are audited as access.denied and answered
// with 403.
func (s *Server) authorize(perm string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return s.handle(func(w http.ResponseWriter, r *http.Request) error {
			u := userOf(r.Context())
			if u == nil {
				return crossguard.Errorf(crossguard.EUNAUTHORIZED, "missing or invalid API token")
			}
			if crossguard.Can(u.Role, perm) {
				next.ServeHTTP(w, r)
				return nil
			}
			e := &crossguard.AuditEntry{At: s.Clock.Now(), Actor: u.Name, Action: crossguard.ActionAccessDenied,
				Outcome: crossguard.OutcomeDenied,
				Detail:  crossguard.AuditDetail("method", r.Method, "path", clip(r.URL.Path, 200), "permission", perm, "role", u.Role)}
			if id := r.PathValue("id"); id != "" {
				// Under /records/ the id may be of any kind; the kind is
				// named only where the path says it.
				e.RecordID = clip(id, 100)
				if strings.HasPrefix(r.URL.Path, "/api/v1/seizures/") {
					e.RecordKind = crossguard.KindSeizure
				}
			}
			if err := s.Audit.AppendAudit(r.Context(), e); err != nil {
				return fmt.Errorf("audit denied access: %w", err)
			}
			return crossguard.Errorf(crossguard.EFORBIDDEN, "the %s role does not hold the %s permission that this request needs", u.Role, perm)
		})
	}
}

// clip cuts s to at most n bytes, so that a client cannot fill the audit
// log with a huge path.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
