package httpapi

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"crossguard"
	"crossguard/storetest"
)

// TestServesAfterBadInput floods the server with bad requests of every
// kind, concurrently, and checks that a valid request still succeeds.
func TestServesAfterBadInput(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.server.MaxBodyBytes = 16 << 10
	officer := e.tokens[crossguard.RoleOfficer]
	bad := []request{
		{Method: "POST", Path: "/api/v1/seizures", Token: officer, Body: `{"occurred_at": `},
		{Method: "POST", Path: "/api/v1/seizures", Token: officer, Body: strings.Repeat(`[`, 10000)},
		{Method: "POST", Path: "/api/v1/seizures", Token: officer, Body: `{"narrative": "` + strings.Repeat("\u0000", 20000) + `"}`},
		{Method: "POST", Path: "/api/v1/seizures", Token: officer, Body: "\xff\xfe{}"},
		{Method: "POST", Path: "/api/v1/seizures", Token: officer, Body: `{"goods": [` + strings.Repeat(`{"quantity": "x"},`, 100) + `{}]}`},
		{Method: "POST", Path: "/api/v1/seizures", Token: "cg_bad", Body: storetest.ExampleSeizureJSON},
		{Method: "PUT", Path: "/api/v1/seizures/%00", Token: officer, Body: storetest.ExampleSeizureJSON, Header: map[string]string{"If-Match": "W/\"\""}},
		{Method: "GET", Path: "/api/v1/seizures?from=" + strings.Repeat("9", 5000), Token: officer},
		{Method: "GET", Path: "/api/v1/seizures?q=%22%28%2A&cursor=%00", Token: officer},
		{Method: "GET", Path: "/api/v1/../../etc/passwd", Token: officer},
		{Method: "BREW", Path: "/api/v1/seizures", Token: officer},
		{Method: "DELETE", Path: "/api/v1/seizures/" + strings.Repeat("x", 3000), Token: e.tokens[crossguard.RoleAuditor]},
	}
	var wg sync.WaitGroup
	for worker := range 8 {
		wg.Go(func() {
			for i := range 25 {
				req := bad[(worker+i)%len(bad)]
				res, err := e.send(req)
				if err != nil {
					t.Error(err)
					continue
				}
				if res.Status >= 500 {
					t.Errorf("%s %s: status %d: %s", req.Method, clip(req.Path, 60), res.Status, res.Body)
				} else if res.Status >= 400 && res.Status != http.StatusMovedPermanently {
					if err := checkErrorShape(res.Status, res.Body); err != nil {
						t.Errorf("%s %s: %v: %s", req.Method, clip(req.Path, 60), err, res.Body)
					}
				}
			}
		})
	}
	wg.Wait()
	res := e.do(t, request{Method: "POST", Path: "/api/v1/seizures", Token: officer, Body: storetest.ExampleSeizureJSON}).want(t, http.StatusCreated)
	e.do(t, request{Method: "GET", Path: "/api/v1/seizures/" + res.seizure(t).ID, Token: officer}).want(t, http.StatusOK)
	e.do(t, request{Method: "GET", Path: "/healthz"}).want(t, http.StatusOK)
}
