package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"crossguard"
	"crossguard/storetest"
)

// TestRoleMatrix calls every endpoint as every role and as nobody, and
// checks the answer against the role matrix written out below (not derived
// from crossguard.Can, so that a change to the matrix must change this
// test too). Refusals must be 403 and audited as access.denied.
func TestRoleMatrix(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	const (
		admin   = crossguard.RoleAdmin
		analyst = crossguard.RoleAnalyst
		officer = crossguard.RoleOfficer
		auditor = crossguard.RoleAuditor
		nobody  = "nobody" // no token at all
	)
	all := []string{admin, analyst, officer, auditor}
	type rule struct {
		allowed []string // roles allowed; nobody only for public endpoints
		status  int      // status of an allowed call
	}
	matrix := map[string]rule{
		"GET /healthz":                  {append(all, nobody), 200},
		"GET /metrics":                  {all, 200},
		"POST /api/v1/seizures":         {[]string{analyst, officer}, 201},
		"GET /api/v1/seizures":          {all, 200},
		"GET /api/v1/seizures/{id}":     {all, 200},
		"PUT /api/v1/seizures/{id}":     {[]string{analyst, officer}, 200},
		"DELETE /api/v1/seizures/{id}":  {[]string{admin, analyst}, 204},
		"GET /api/v1/refdata/hs":        {all, 200},
		"GET /api/v1/refdata/hs/{code}": {all, 200},
		"GET /api/v1/refdata/enums":     {all, 200},
		"GET /api/v1/node":              {all, 200},
		"GET /api/v1/users":             {[]string{admin}, 200},
		"GET /api/v1/audit":             {[]string{auditor}, 200},
		"GET /api/v1/audit/verify":      {[]string{auditor}, 200},

		"POST /api/v1/records/{id}/annotations":  {[]string{analyst, officer}, 201},
		"GET /api/v1/records/{id}/annotations":   {all, 200},
		"POST /api/v1/agreements":                {[]string{analyst, officer}, 201},
		"GET /api/v1/agreements":                 {all, 200},
		"GET /api/v1/agreements/{id}":            {all, 200},
		"PUT /api/v1/agreements/{id}":            {[]string{analyst, officer}, 200},
		"POST /api/v1/agreements/{id}/progress":  {[]string{analyst, officer}, 201},
		"POST /api/v1/activities":                {[]string{analyst, officer}, 201},
		"GET /api/v1/activities":                 {all, 200},
		"GET /api/v1/activities.ics":             {all, 200},
		"GET /api/v1/activities/{id}":            {all, 200},
		"GET /api/v1/peers":                      {[]string{admin}, 200},
		"POST /api/v1/peers":                     {[]string{admin}, 201},
		"DELETE /api/v1/peers/{agency}/{node}":   {[]string{admin}, 204},
		"POST /api/v1/peers/{agency}/{node}/ack": {[]string{admin}, 200},

		"POST /api/v1/operations":               {[]string{analyst, officer}, 201},
		"GET /api/v1/operations":                {all, 200},
		"GET /api/v1/operations/{id}":           {all, 200},
		"POST /api/v1/operations/{id}/warnings": {[]string{analyst, officer}, 201},
		"GET /api/v1/operations/{id}/warnings":  {all, 200},
		"POST /api/v1/operations/{id}/messages": {[]string{analyst, officer}, 201},
		"GET /api/v1/operations/{id}/messages":  {all, 200},
		"GET /api/v1/operations/{id}/report":    {all, 200},
		"GET /api/v1/warnings/{id}":             {all, 200},
		"DELETE /api/v1/warnings/{id}":          {[]string{analyst, officer}, 204},
		"POST /api/v1/warnings/{id}/feedback":   {[]string{analyst, officer}, 201},
		"GET /api/v1/warnings/{id}/feedback":    {all, 200},

		"POST /api/v1/declarations":                 {[]string{analyst, officer}, 200},
		"GET /api/v1/declarations/{id}":             {all, 200},
		"POST /api/v1/declarations/{id}/inspection": {[]string{analyst, officer}, 200},
		"GET /api/v1/risk/stats":                    {all, 200},
		"POST /api/v1/profiles":                     {[]string{analyst}, 201},
		"GET /api/v1/profiles":                      {all, 200},
		"GET /api/v1/profiles/{id}":                 {all, 200},
		"PUT /api/v1/profiles/{id}":                 {[]string{analyst}, 200},
		"DELETE /api/v1/profiles/{id}":              {[]string{analyst}, 204},
		"POST /api/v1/profiles/{id}/adopt":          {[]string{analyst}, 200},
		"POST /api/v1/profiles/{id}/disable":        {[]string{analyst}, 200},
		"POST /api/v1/watchlist":                    {[]string{analyst}, 201},
		"GET /api/v1/watchlist":                     {all, 200},
		"DELETE /api/v1/watchlist/{id}":             {[]string{analyst}, 204},
		"GET /api/v1/models":                        {all, 200},
		"POST /api/v1/models":                       {[]string{analyst}, 201},
		"POST /api/v1/models/train":                 {[]string{analyst}, 201},
		"POST /api/v1/models/{version}/activate":    {[]string{analyst}, 200},
	}
	// Labelled declarations to train on, and a partner whose profiles
	// this node adopts.
	e.mustSaveLabelled(t)
	e.mustAddPeer(t, storetest.NewPeer(storetest.PeerA, crossguard.RelPartner, testNow))
	n := 0 // numbers declarations and received profiles
	var endpoints []string
	for _, rt := range e.server.routes() {
		endpoints = append(endpoints, rt.Method+" "+rt.Path)
	}
	for ep := range matrix {
		if !slices.Contains(endpoints, ep) {
			t.Errorf("the matrix lists %s, which the server does not serve", ep)
		}
	}
	for _, ep := range endpoints {
		if _, ok := matrix[ep]; !ok {
			t.Errorf("endpoint %s is missing from the role matrix of this test", ep)
		}
	}

	for _, ep := range endpoints {
		r := matrix[ep]
		for _, role := range append(all, nobody) {
			allowed := slices.Contains(r.allowed, role)
			name := ep + " as " + role
			t.Run(name, func(t *testing.T) {
				method, path, _ := strings.Cut(ep, " ")
				req := request{Method: method, Path: path, Token: e.tokens[role]}
				n++
				switch {
				case strings.HasPrefix(path, "/api/v1/seizures/{id}"), strings.HasPrefix(path, "/api/v1/records/{id}"):
					s := e.mustCreate(t, storetest.ExampleSeizureJSON, nil)
					req.Path = strings.Replace(path, "{id}", s.ID, 1)
					if method == "PUT" {
						b, _ := json.Marshal(s)
						req.Body, req.Header = string(b), map[string]string{"If-Match": `"1"`}
					}
				case strings.HasPrefix(path, "/api/v1/declarations/{id}"):
					d := e.mustDecideOne(t, fmt.Sprintf("M%07d", n), nil)
					req.Path = strings.Replace(path, "{id}", d.DeclarationID, 1)
				case strings.HasSuffix(path, "/adopt"), strings.HasSuffix(path, "/disable"):
					// A profile received from a partner: inactive until adopted.
					p := e.mustReceiveProfile(t, n, int64(n))
					req.Path = strings.Replace(path, "{id}", p.ID, 1)
				case strings.HasPrefix(path, "/api/v1/profiles/{id}"):
					p := e.mustCreateProfile(t)
					req.Path = strings.Replace(path, "{id}", p.ID, 1)
					if method == "PUT" {
						req.Body, req.Header = opiumProfileJSON, map[string]string{"If-Match": `"1"`}
					}
				case strings.HasPrefix(path, "/api/v1/agreements/{id}"):
					a := e.mustCreateAgreement(t)
					req.Path = strings.Replace(path, "{id}", a.ID, 1)
					if method == "PUT" {
						req.Body, req.Header = agreementJSON, map[string]string{"If-Match": `"1"`}
					}
				case path == "/api/v1/activities/{id}":
					req.Path = strings.Replace(path, "{id}", e.mustCreateActivity(t, e.mustCreateAgreement(t).ID).ID, 1)
				case strings.HasPrefix(path, "/api/v1/operations/{id}"):
					req.Path = strings.Replace(path, "{id}", e.mustCreateOperation(t).ID, 1)
				case strings.HasPrefix(path, "/api/v1/warnings/{id}"):
					req.Path = strings.Replace(path, "{id}", e.mustCreateWarning(t, e.mustCreateOperation(t).ID).ID, 1)
				case path == "/api/v1/watchlist/{id}":
					req.Path = strings.Replace(path, "{id}", e.mustWatch(t).ID, 1)
				case path == "/api/v1/models/{version}/activate":
					req.Path = strings.Replace(path, "{version}", strconv.FormatInt(e.mustImportModel(t), 10), 1)
				}
				req.Path = strings.Replace(req.Path, "{code}", "2939", 1)
				if path == "/api/v1/refdata/hs" {
					req.Path += "?q=opium"
				}
				// Each role removes a peer of its own, so that the allowed
				// call finds one.
				peer := storetest.NewPeer("af-customs/matrix-"+role, crossguard.RelPartner, testNow)
				if strings.Contains(path, "{agency}/{node}") {
					e.mustAddPeer(t, peer)
					req.Path = strings.Replace(path, "{agency}/{node}", peer.Card.ID, 1)
				}
				switch {
				case method != "POST":
				case path == "/api/v1/peers":
					req.Body = peerBody(t, peer)
				case strings.HasSuffix(path, "/annotations"):
					req.Body = annotationJSON
				case path == "/api/v1/declarations":
					req.Body = declarationJSON(t, fmt.Sprintf("M%07d", n), nil)
				case strings.HasSuffix(path, "/inspection"):
					req.Body = `{"result": "irregularity", "recovered_revenue": 1200}`
				case path == "/api/v1/profiles":
					req.Body = opiumProfileJSON
				case path == "/api/v1/watchlist":
					req.Body = watchJSON
				case path == "/api/v1/agreements":
					req.Body = agreementJSON
				case strings.HasSuffix(path, "/progress"):
					req.Body = `{"commitment": "ex-1", "status": "in_progress"}`
				case path == "/api/v1/activities":
					req.Body = exerciseJSON("")
				case path == "/api/v1/operations":
					req.Body = operationJSON
				case strings.HasSuffix(path, "/warnings"):
					req.Body = nowWarningJSON
				case strings.HasSuffix(path, "/feedback"):
					req.Body = `{"result": "inspected_nothing_found", "notes": "container scanned and opened"}`
				case strings.HasSuffix(path, "/messages"):
					req.Body = `{"text": "Scanner at Sost down until 14:00."}`
				case path == "/api/v1/models":
					req.Body, req.Header = string(mustModelFile(t)), map[string]string{"Content-Type": "application/octet-stream"}
				case path == "/api/v1/seizures":
					req.Body = storetest.ExampleSeizureJSON
				}
				denials := e.auditCount(t, role, crossguard.ActionAccessDenied)
				res := e.do(t, req)
				switch {
				case allowed:
					res.want(t, r.status)
				case role == nobody:
					res.wantError(t, http.StatusUnauthorized, "unauthorized", "")
				default:
					res.wantError(t, http.StatusForbidden, "forbidden", "")
					if got := e.auditCount(t, role, crossguard.ActionAccessDenied); got != denials+1 {
						t.Fatalf("%d access.denied entries for %s after the refusal, want %d", got, role, denials+1)
					}
				}
			})
		}
	}
}
