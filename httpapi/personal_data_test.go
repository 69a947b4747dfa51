package httpapi

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"crossguard"
	"crossguard/storetest"
)

// apiFieldError is a field error or warning as the API answers it, with
// the personal data it found.
type apiFieldError struct {
	Field        string `json:"field"`
	Message      string `json:"message"`
	PersonalData *struct {
		Kind   string `json:"kind"`
		Start  int    `json:"start"`
		End    int    `json:"end"`
		Masked string `json:"masked"`
	} `json:"personal_data"`
}

// withNarrative returns the example seizure's JSON with the narrative and
// distribution given.
func withNarrative(t *testing.T, distribution, narrative string) string {
	t.Helper()
	var s map[string]any
	if err := json.Unmarshal([]byte(storetest.ExampleSeizureJSON), &s); err != nil {
		t.Fatal(err)
	}
	s["distribution"], s["narrative"] = distribution, narrative
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// cnicNarrative carries a CNIC at characters 11 to 26.
const cnicNarrative = "Driver, ID 35202-1234567-1, fled on foot."

// wantCNIC fails unless fs is one CNIC in the narrative at characters 11
// to 26, masked, with what to write instead.
func wantCNIC(t *testing.T, fs []apiFieldError, body []byte) {
	t.Helper()
	if len(fs) != 1 || fs[0].Field != "narrative" || fs[0].PersonalData == nil {
		t.Fatalf("want one personal-data finding in the narrative; body: %s", body)
	}
	f := fs[0]
	if p := f.PersonalData; p.Kind != "cnic" || p.Start != 11 || p.End != 26 || p.Masked != "3****-*******-*" {
		t.Errorf("found %+v, want cnic at 11 to 26 masked 3****-*******-*", *p)
	}
	if !strings.Contains(f.Message, "characters 11 to 26") || !strings.Contains(f.Message, "a Pakistani national") {
		t.Errorf("message %q does not say where and what to write instead", f.Message)
	}
}

// TestSeizureWithPersonalData posts seizures with a CNIC in the
// narrative: refused with the field and the offsets when the seizure may
// leave the node, accepted with a warning when it is local, and the same
// on update.
func TestSeizureWithPersonalData(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	officer := e.tokens[crossguard.RoleOfficer]

	for _, dist := range []string{"agency", "partners", "network"} {
		res := e.do(t, request{Method: "POST", Path: "/api/v1/seizures", Token: officer, Body: withNarrative(t, dist, cnicNarrative)})
		res.wantError(t, http.StatusBadRequest, "invalid", "narrative")
		var b struct {
			Error struct{ Fields []apiFieldError }
		}
		res.decode(t, &b)
		wantCNIC(t, b.Error.Fields, res.Body)
		if strings.Contains(string(res.Body), "35202-1234567-1") {
			t.Errorf("the refusal repeats the CNIC: %s", res.Body)
		}
	}

	res := e.do(t, request{Method: "POST", Path: "/api/v1/seizures", Token: officer, Body: withNarrative(t, "local", cnicNarrative)}).
		want(t, http.StatusCreated)
	var created struct {
		crossguard.Seizure
		Warnings []apiFieldError `json:"warnings"`
	}
	res.decode(t, &created)
	wantCNIC(t, created.Warnings, res.Body)
	if created.Narrative != cnicNarrative || created.Distribution != "local" {
		t.Fatalf("stored %q with distribution %q", created.Narrative, created.Distribution)
	}
	// The record read back is the record: the warning is not part of it.
	got := e.do(t, request{Method: "GET", Path: seizurePath(created.ID), Token: officer}).want(t, http.StatusOK)
	if strings.Contains(string(got.Body), "warnings") {
		t.Errorf("GET answers warnings: %s", got.Body)
	}

	// Updating the local record keeps warning; widening it is refused.
	put := func(dist string, ifMatch string) *response {
		return e.do(t, request{Method: "PUT", Path: seizurePath(created.ID), Token: officer, Body: withNarrative(t, dist, cnicNarrative),
			Header: map[string]string{"If-Match": ifMatch}})
	}
	var updated struct {
		crossguard.Seizure
		Warnings []apiFieldError `json:"warnings"`
	}
	res = put("local", `"1"`).want(t, http.StatusOK)
	res.decode(t, &updated)
	wantCNIC(t, updated.Warnings, res.Body)
	put("partners", `"2"`).wantError(t, http.StatusBadRequest, "invalid", "narrative")

	// A clean record's answer has no warnings at all.
	res = e.do(t, request{Method: "POST", Path: "/api/v1/seizures", Token: officer, Body: withNarrative(t, "local", "Hidden in the spare tyre.")}).
		want(t, http.StatusCreated)
	if strings.Contains(string(res.Body), "warnings") {
		t.Errorf("a clean seizure's answer has warnings: %s", res.Body)
	}
}

// TestOtherRecordsWithPersonalData checks the other doors of the API: an
// annotation and a profile warn when local and are refused otherwise; a
// message of an operation, which always leaves the node, is refused.
func TestOtherRecordsWithPersonalData(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	officer, analyst := e.tokens[crossguard.RoleOfficer], e.tokens[crossguard.RoleAnalyst]
	own := e.mustCreate(t, storetest.ExampleSeizureJSON, nil)

	annotation := func(dist string) string {
		return `{"text": "Same driver, mobile 0300-1234567.", "distribution": "` + dist + `", "marking": {"tlp": "green", "handling": "H1"}}`
	}
	path := "/api/v1/records/" + own.ID + "/annotations"
	e.do(t, request{Method: "POST", Path: path, Token: officer, Body: annotation("partners")}).wantError(t, http.StatusBadRequest, "invalid", "text")
	var a struct {
		Text     string
		Warnings []apiFieldError `json:"warnings"`
	}
	e.do(t, request{Method: "POST", Path: path, Token: officer, Body: annotation("local")}).want(t, http.StatusCreated).decode(t, &a)
	if len(a.Warnings) != 1 || a.Warnings[0].Field != "text" || a.Warnings[0].PersonalData == nil || a.Warnings[0].PersonalData.Kind != "phone" {
		t.Errorf("local annotation: warnings %+v, want the phone in text", a.Warnings)
	}

	profile := func(dist string) string {
		return strings.Replace(strings.Replace(opiumProfileJSON, `"distribution": "partners"`, `"distribution": "`+dist+`"`, 1),
			`"channel": "red"`, `"description": "Tip from ali.khan@example.com", "channel": "red"`, 1)
	}
	e.do(t, request{Method: "POST", Path: "/api/v1/profiles", Token: analyst, Body: profile("partners")}).
		wantError(t, http.StatusBadRequest, "invalid", "description")
	var p struct {
		ID       string
		Warnings []apiFieldError `json:"warnings"`
	}
	e.do(t, request{Method: "POST", Path: "/api/v1/profiles", Token: analyst, Body: profile("local")}).want(t, http.StatusCreated).decode(t, &p)
	if len(p.Warnings) != 1 || p.Warnings[0].Field != "description" || p.Warnings[0].PersonalData == nil || p.Warnings[0].PersonalData.Kind != "email" {
		t.Errorf("local profile: warnings %+v, want the e-mail address in description", p.Warnings)
	}

	op := e.mustCreateOperation(t)
	e.do(t, request{Method: "POST", Path: "/api/v1/operations/" + op.ID + "/messages", Token: officer,
		Body: `{"text": "The courier's passport AB1234567 was forged."}`}).wantError(t, http.StatusBadRequest, "invalid", "text")
}
