package httpapi

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"crossguard"
)

// FuzzCreateSeizure posts arbitrary bodies to the create endpoint and
// checks that the API never fails internally and always answers in the
// documented shape: 201 with a stored seizure, or 400/413 with an error
// body. The seed corpus is in testdata/fuzz/FuzzCreateSeizure.
func FuzzCreateSeizure(f *testing.F) {
	e := newTestNode(f)
	e.server.MaxBodyBytes = 16 << 10
	h := e.server.Handler()
	token := e.tokens[crossguard.RoleOfficer]
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest("POST", "/api/v1/seizures", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusCreated:
			var s crossguard.Seizure
			if err := strictJSON(rec.Body.Bytes(), &s); err != nil {
				t.Fatalf("201 body is not a seizure: %v: %s", err, rec.Body)
			}
			if s.ID == "" || s.Version != 1 || s.Origin != e.node.Info.ID || rec.Header().Get("Location") != seizurePath(s.ID) {
				t.Fatalf("201 with header %+v, Location %q", s.Header, rec.Header().Get("Location"))
			}
			if err := s.Validate(testNow); err != nil {
				t.Fatalf("stored an invalid seizure: %v", err)
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			if err := checkErrorShape(rec.Code, rec.Body.Bytes()); err != nil {
				t.Fatalf("status %d: %v: %s", rec.Code, err, rec.Body)
			}
		default:
			t.Fatalf("status %d for body %q: %s", rec.Code, body, rec.Body)
		}
	})
}
