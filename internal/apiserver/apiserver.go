// Package apiserver puts a node's JSON API and its web interface together
// over the services that package wiring built, as serve and the demo's
// nodes serve them. It is apart from wiring so that wiring imports neither
// httpapi nor web, and the tests of those packages can build their nodes
// with it (through internal/testnode).
package apiserver

import (
	"log/slog"

	"crossguard/auth"
	"crossguard/httpapi"
	"crossguard/internal/wiring"
	"crossguard/web"
)

// API returns what the JSON API of s serves.
func API(s *wiring.Services) httpapi.Services {
	return httpapi.Services{Info: s.Core.Info, Clock: s.Core.Clock, Seizures: s.Sharing, Peers: s.Sharing,
		Cooperation: s.Cooperation, Targeting: s.Targeting, Users: s.Admin, Audit: s.Store, Health: s.Store, Metrics: s.Store}
}

// Server returns the JSON API of s with its web interface mounted beside
// it, as serve and the demo's nodes serve them.
func Server(s *wiring.Services, logger *slog.Logger) *httpapi.Server {
	srv := httpapi.New(API(s), logger)
	mountUI(srv, s)
	return srv
}

// mountUI serves the web interface of s beside srv's API, on the same
// listener: people sign in with the passwords set by 'user add
// --password-stdin' and 'user passwd'.
func mountUI(srv *httpapi.Server, s *wiring.Services) {
	now := s.Core.Clock.Now
	na := &web.NodeAuth{Service: auth.New(s.Store, auth.Options{}), Now: now}
	srv.UI = web.Handler(web.Config{Auth: na, NodeName: s.Core.Info.Name, Logger: srv.Logger, Now: now,
		Records: s.Sharing, NodeID: s.Core.Info.ID, Targeting: s.Targeting, Cooperation: s.Cooperation,
		Admin: web.NodeAdmin{PeerAdmin: s.Sharing, UserAdmin: s.Admin}, Settings: s.Store,
		Dashboard: web.NodeDashboard{Partners: s.Sharing, Risk: s.Targeting, Now: now}})
}
