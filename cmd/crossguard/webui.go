package main

import (
	"log/slog"

	"crossguard/auth"
	"crossguard/httpapi"
	"crossguard/node"
	"crossguard/web"
)

// apiServer returns the JSON API of n with its web interface mounted
// beside it, as serve and the demo's nodes serve them.
func apiServer(n *node.Node, logger *slog.Logger) *httpapi.Server {
	srv := httpapi.New(n, logger)
	mountUI(srv, n)
	return srv
}

// mountUI serves the web interface of n beside srv's API, on the same
// listener: people sign in with the passwords set by 'user add
// --password-stdin' and 'user passwd'.
func mountUI(srv *httpapi.Server, n *node.Node) {
	na := &web.NodeAuth{Service: auth.New(n.Store, auth.Options{}), Now: n.Clock.Now}
	srv.UI = web.Handler(web.Config{Auth: na, NodeName: n.Info.Name, Logger: srv.Logger, Now: n.Clock.Now, Records: n, NodeID: n.Info.ID, Targeting: n, Cooperation: n,
		Admin: web.NodeAdmin{Node: n}, Settings: n.Store, Dashboard: n})
}
