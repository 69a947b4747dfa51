// Package web serves the browser interface of a crossguard node: the
// sign-in page and, for a signed-in person as their role allows, the start
// page (dashboard with charts, a map of the region, partners' records and
// peer status), seizures (list, filters, detail with history, the form),
// risk targeting (the queue of decisions, declarations and inspections,
// the profile editor with a preview, the watch list, models), joint
// operations (warnings, feedback, messages), the cooperation programme
// (agreements and an activities calendar), administration (peers and
// users), the audit log and its verification, and the person's settings.
// Each section exists when its Config field is set; web declares the small
// interface it needs of each (Records, Targeting, Cooperation, Admin,
// Dashboard) and the services of package node supply them. The pages come in English,
// Simplified Chinese and Urdu (right to left), from message catalogs.
//
// Every page is rendered on the server from embedded files (templates,
// style sheets, the map, message catalogs), so the interface works on a
// slow link and never asks the browser to fetch anything from another
// host. Pages carry a strict Content-Security-Policy (no inline script or
// style), and forms that change anything carry the session's CSRF token
// behind a cross-origin check of unsafe methods; the sign-in form carries a
// signed double-submit token of its own. The session lives in the
// HttpOnly, SameSite=Strict cg_session cookie, Secure unless the request
// came over plain HTTP on loopback. Sign-in, sessions and CSRF secrets are
// delegated to an Authenticator, which the caller supplies; NodeAuth is
// the one of a running node, over package auth.
package web
