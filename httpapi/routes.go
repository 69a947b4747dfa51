package httpapi

import (
	"net/http"
	"slices"
	"strings"

	"crossguard"
)

// public marks a route that needs no token.
const public = ""

// route is one endpoint: a method and path pattern for http.ServeMux, the
// permission a caller's role must hold (public for none) and the handler.
type route struct {
	Method  string
	Path    string
	Perm    string
	handler http.Handler
}

// routes lists every endpoint of the API. API.md documents each one; a
// test fails if one is missing there or from the role matrix test.
func (s *Server) routes() []route {
	return []route{
		{"GET", "/healthz", public, s.handle(s.health)},
		{"GET", "/metrics", crossguard.PermRead, s.metrics.handler()},

		{"POST", "/api/v1/seizures", crossguard.PermWrite, s.handle(s.createSeizure)},
		{"GET", "/api/v1/seizures", crossguard.PermRead, s.handle(s.listSeizures)},
		{"GET", "/api/v1/seizures/{id}", crossguard.PermRead, s.handle(s.getSeizure)},
		{"PUT", "/api/v1/seizures/{id}", crossguard.PermWrite, s.handle(s.updateSeizure)},
		{"DELETE", "/api/v1/seizures/{id}", crossguard.PermDelete, s.handle(s.deleteSeizure)},

		{"POST", "/api/v1/records/{id}/annotations", crossguard.PermWrite, s.handle(s.createAnnotation)},
		{"GET", "/api/v1/records/{id}/annotations", crossguard.PermRead, s.handle(s.listAnnotations)},

		{"POST", "/api/v1/agreements", crossguard.PermWrite, s.handle(s.createAgreement)},
		{"GET", "/api/v1/agreements", crossguard.PermRead, s.handle(s.listAgreements)},
		{"GET", "/api/v1/agreements/{id}", crossguard.PermRead, s.handle(s.getAgreement)},
		{"PUT", "/api/v1/agreements/{id}", crossguard.PermWrite, s.handle(s.updateAgreement)},
		{"POST", "/api/v1/agreements/{id}/progress", crossguard.PermWrite, s.handle(s.reportProgress)},
		{"POST", "/api/v1/activities", crossguard.PermWrite, s.handle(s.createActivity)},
		{"GET", "/api/v1/activities", crossguard.PermRead, s.handle(s.listActivities)},
		{"GET", "/api/v1/activities.ics", crossguard.PermRead, s.handle(s.activitiesCalendar)},
		{"GET", "/api/v1/activities/{id}", crossguard.PermRead, s.handle(s.getActivity)},

		{"POST", "/api/v1/operations", crossguard.PermWrite, s.handle(s.createOperation)},
		{"GET", "/api/v1/operations", crossguard.PermRead, s.handle(s.listOperations)},
		{"GET", "/api/v1/operations/{id}", crossguard.PermRead, s.handle(s.getOperation)},
		{"POST", "/api/v1/operations/{id}/warnings", crossguard.PermWrite, s.handle(s.createWarning)},
		{"GET", "/api/v1/operations/{id}/warnings", crossguard.PermRead, s.handle(s.listWarnings)},
		{"POST", "/api/v1/operations/{id}/messages", crossguard.PermWrite, s.handle(s.createMessage)},
		{"GET", "/api/v1/operations/{id}/messages", crossguard.PermRead, s.handle(s.listMessages)},
		{"GET", "/api/v1/operations/{id}/report", crossguard.PermRead, s.handle(s.operationReport)},
		{"GET", "/api/v1/warnings/{id}", crossguard.PermRead, s.handle(s.getWarning)},
		{"DELETE", "/api/v1/warnings/{id}", crossguard.PermWrite, s.handle(s.withdrawWarning)},
		{"POST", "/api/v1/warnings/{id}/feedback", crossguard.PermWrite, s.handle(s.createFeedback)},
		{"GET", "/api/v1/warnings/{id}/feedback", crossguard.PermRead, s.handle(s.listFeedback)},

		{"POST", "/api/v1/declarations", crossguard.PermWrite, s.handle(s.createDeclarations)},
		{"GET", "/api/v1/declarations/{id}", crossguard.PermRead, s.handle(s.getDeclaration)},
		{"POST", "/api/v1/declarations/{id}/inspection", crossguard.PermWrite, s.handle(s.recordInspection)},
		{"GET", "/api/v1/risk/stats", crossguard.PermRead, s.handle(s.riskStats)},

		{"POST", "/api/v1/profiles", crossguard.PermTarget, s.handle(s.createProfile)},
		{"GET", "/api/v1/profiles", crossguard.PermRead, s.handle(s.listProfiles)},
		{"GET", "/api/v1/profiles/{id}", crossguard.PermRead, s.handle(s.getProfile)},
		{"PUT", "/api/v1/profiles/{id}", crossguard.PermTarget, s.handle(s.updateProfile)},
		{"DELETE", "/api/v1/profiles/{id}", crossguard.PermTarget, s.handle(s.deleteProfile)},
		{"POST", "/api/v1/profiles/{id}/adopt", crossguard.PermTarget, s.handle(s.profileState(crossguard.ProfileActive))},
		{"POST", "/api/v1/profiles/{id}/disable", crossguard.PermTarget, s.handle(s.profileState(crossguard.ProfileDisabled))},

		{"POST", "/api/v1/watchlist", crossguard.PermTarget, s.handle(s.addWatch)},
		{"GET", "/api/v1/watchlist", crossguard.PermRead, s.handle(s.listWatch)},
		{"DELETE", "/api/v1/watchlist/{id}", crossguard.PermTarget, s.handle(s.removeWatch)},

		{"GET", "/api/v1/models", crossguard.PermRead, s.handle(s.listModels)},
		{"POST", "/api/v1/models", crossguard.PermTarget, s.handle(s.uploadModel)},
		{"POST", "/api/v1/models/train", crossguard.PermTarget, s.handle(s.trainModel)},
		{"POST", "/api/v1/models/{version}/activate", crossguard.PermTarget, s.handle(s.activateModel)},

		{"GET", "/api/v1/refdata/hs", crossguard.PermRead, s.handle(s.searchHS)},
		{"GET", "/api/v1/refdata/hs/{code}", crossguard.PermRead, s.handle(s.getHS)},
		{"GET", "/api/v1/refdata/enums", crossguard.PermRead, s.handle(s.enums)},

		{"GET", "/api/v1/node", crossguard.PermRead, s.handle(s.nodeInfo)},
		{"GET", "/api/v1/users", crossguard.PermAdmin, s.handle(s.listUsers)},
		{"GET", "/api/v1/peers", crossguard.PermAdmin, s.handle(s.listPeers)},
		{"POST", "/api/v1/peers", crossguard.PermAdmin, s.handle(s.putPeer)},
		{"DELETE", "/api/v1/peers/{agency}/{node}", crossguard.PermAdmin, s.handle(s.removePeer)},
		{"POST", "/api/v1/peers/{agency}/{node}/ack", crossguard.PermAdmin, s.handle(s.ackPeer)},
		{"GET", "/api/v1/audit", crossguard.PermAudit, s.handle(s.listAudit)},
		{"GET", "/api/v1/audit/verify", crossguard.PermAudit, s.handle(s.verifyAudit)},
	}
}

// register adds every route to mux, each behind authentication and its
// permission check, plus JSON answers for the cases ServeMux would answer in
// plain text: a method-less pattern per path that answers 405 with the
// allowed methods, and catch-alls that answer 404.
func (s *Server) register(mux *http.ServeMux) {
	var paths []string
	allowed := make(map[string][]string)
	open := make(map[string]bool)
	for _, rt := range s.routes() {
		h := rt.handler
		if rt.Perm != public {
			h = s.authenticate(s.authorize(rt.Perm)(h))
		}
		mux.Handle(rt.Method+" "+rt.Path, h)
		if _, seen := allowed[rt.Path]; !seen {
			paths = append(paths, rt.Path)
			open[rt.Path] = true
		}
		allowed[rt.Path] = append(allowed[rt.Path], rt.Method)
		open[rt.Path] = open[rt.Path] && rt.Perm == public
	}
	for _, p := range paths {
		h := s.methodNotAllowed(allowed[p])
		if !open[p] {
			h = s.authenticate(h)
		}
		mux.Handle(p, h)
	}
	mux.Handle("/api/", s.authenticate(s.handle(s.notFound)))
	if s.UI != nil {
		mux.Handle("/", s.UI)
	} else {
		mux.Handle("/", s.handle(s.notFound))
	}
}

// methodNotAllowed answers 405 with an Allow header and a JSON error of
// code invalid (the error codes are a closed list; see API.md).
func (s *Server) methodNotAllowed(methods []string) http.Handler {
	allow := slices.Clone(methods)
	if slices.Contains(allow, http.MethodGet) {
		allow = append(allow, http.MethodHead)
	}
	list := strings.Join(allow, ", ")
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Allow", list)
		return &statusError{Status: http.StatusMethodNotAllowed, Err: crossguard.Errorf(crossguard.EINVALID,
			"method %s not allowed on this path; allowed: %s", r.Method, list)}
	})
}

// notFound answers every path that matches no route.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return crossguard.Errorf(crossguard.ENOTFOUND, "no such endpoint: %s", r.URL.Path)
}
