package crossguard_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"crossguard"
)

// wantFieldError fails unless err is an invalid error naming field, or
// nil when field is "".
func wantFieldError(t *testing.T, err error, field string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Fatalf("refused: %v %v", err, crossguard.ErrorFields(err))
		}
		return
	}
	if crossguard.ErrorCode(err) != crossguard.EINVALID {
		t.Fatalf("error %v, want invalid naming %s", err, field)
	}
	for _, f := range crossguard.ErrorFields(err) {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("no error for %s among %v", field, crossguard.ErrorFields(err))
}

func TestAgreementValidate(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(a *crossguard.Agreement)
		field string
	}{
		{"valid", func(a *crossguard.Agreement) {}, ""},
		{"recipients in another order", func(a *crossguard.Agreement) { a.Recipients = []string{"af-customs", "pk-customs"} }, ""},
		{"no title", func(a *crossguard.Agreement) { a.Title = " " }, "title"},
		{"one party", func(a *crossguard.Agreement) {
			a.Parties, a.Recipients = []string{"pk-customs"}, []string{"pk-customs"}
		}, "parties"},
		{"party twice", func(a *crossguard.Agreement) {
			a.Parties = []string{"pk-customs", "af-customs", "pk-customs"}
		}, "parties[2]"},
		{"malformed party", func(a *crossguard.Agreement) { a.Parties[1] = "AF Customs" }, "parties[1]"},
		{"writer not a party", func(a *crossguard.Agreement) { a.Origin = "ir-customs/taftan" }, "parties"},
		{"recipients not the parties", func(a *crossguard.Agreement) { a.Recipients = []string{"pk-customs"} }, "recipients"},
		{"distribution partners", func(a *crossguard.Agreement) { a.Distribution = crossguard.DistPartners }, "distribution"},
		{"no marking", func(a *crossguard.Agreement) { a.Marking = crossguard.Marking{} }, "marking.tlp"},
		{"signed_on not a date", func(a *crossguard.Agreement) { a.SignedOn = "1 June 2026" }, "signed_on"},
		{"unknown scope kind", func(a *crossguard.Agreement) { a.Scope.Kinds = []string{"declaration"} }, "scope.kinds[0]"},
		{"scope kind twice", func(a *crossguard.Agreement) { a.Scope.Kinds = []string{"seizure", "seizure"} }, "scope.kinds[1]"},
		{"bad default marking", func(a *crossguard.Agreement) { a.Scope.DefaultMarking.TLP = "white" }, "scope.default_marking.tlp"},
		{"negative retention", func(a *crossguard.Agreement) { a.Scope.RetentionDays = -1 }, "scope.retention_days"},
		{"commitment id twice", func(a *crossguard.Agreement) { a.Commitments[1].ID = "ex-1" }, "commitments[1].id"},
		{"commitment id with spaces", func(a *crossguard.Agreement) { a.Commitments[0].ID = "ex 1" }, "commitments[0].id"},
		{"unknown commitment type", func(a *crossguard.Agreement) { a.Commitments[0].Type = "party" }, "commitments[0].type"},
		{"owner not a party", func(a *crossguard.Agreement) { a.Commitments[2].Owner = "ir-customs" }, "commitments[2].owner"},
		{"no owner", func(a *crossguard.Agreement) { a.Commitments[2].Owner = "" }, "commitments[2].owner"},
		{"due not a date", func(a *crossguard.Agreement) { a.Commitments[3].Due = "2026-13-01" }, "commitments[3].due"},
		{"no commitment title", func(a *crossguard.Agreement) { a.Commitments[3].Title = "" }, "commitments[3].title"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := progAgreement()
			tc.edit(a)
			wantFieldError(t, a.Validate(), tc.field)
		})
	}
}

func TestProgressValidate(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(p *crossguard.Progress)
		field string
	}{
		{"valid", func(p *crossguard.Progress) {}, ""},
		{"overdue is not reported", func(p *crossguard.Progress) { p.Status = crossguard.StatusOverdue }, "status"},
		{"no status", func(p *crossguard.Progress) { p.Status = "" }, "status"},
		{"agreement not an id", func(p *crossguard.Progress) { p.Agreement = "ag-1" }, "agreement"},
		{"no commitment", func(p *crossguard.Progress) { p.Commitment = "" }, "commitment"},
		{"no recipients", func(p *crossguard.Progress) { p.Recipients = nil }, "recipients"},
		{"distribution agency", func(p *crossguard.Progress) { p.Distribution = crossguard.DistAgency }, "distribution"},
		{"no time", func(p *crossguard.Progress) { p.ReportedAt = time.Time{} }, "reported_at"},
		{"control character in note", func(p *crossguard.Progress) { p.Note = "done\x00" }, "note"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := progReport(1, "pk-customs/sost", "ex-1", crossguard.StatusDone, 0)
			tc.edit(p)
			wantFieldError(t, p.Validate(), tc.field)
		})
	}
}

// TestProgrammeRecordKinds checks the registered checks of received
// agreements, progress reports and activities: a valid record passes with
// its target, an invalid one or one whose header differs is refused.
func TestProgrammeRecordKinds(t *testing.T) {
	a := progAgreement()
	p := progReport(1, "af-customs/islam-qala", "tr-1", crossguard.StatusDone, 0)
	act := progActivity()
	for _, tc := range []struct {
		rec    any
		h      crossguard.Header
		target string
	}{{a, a.Header, ""}, {p, p.Header, progAgreementID}, {act, act.Header, progAgreementID}} {
		k, ok := crossguard.LookupRecordKind(tc.h.Kind)
		if !ok {
			t.Fatalf("kind %s is not registered", tc.h.Kind)
		}
		body, err := json.Marshal(tc.rec)
		if err != nil {
			t.Fatal(err)
		}
		if target, err := k.Check(body, &tc.h); err != nil || target != tc.target {
			t.Fatalf("%s: target %q, error %v; want %q", tc.h.Kind, target, err, tc.target)
		}
		other := tc.h
		other.Version++
		if _, err := k.Check(body, &other); err == nil || !strings.Contains(err.Error(), "header differs") {
			t.Fatalf("%s with another header: %v", tc.h.Kind, err)
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatal(err)
		}
		m["recipients"] = []string{}
		bad, _ := json.Marshal(m)
		h := tc.h
		h.Recipients = nil
		if _, err := k.Check(bad, &h); err == nil || !slices.ContainsFunc(crossguard.ErrorFields(err), func(f crossguard.FieldError) bool { return f.Field == "recipients" }) {
			t.Fatalf("%s without recipients: %v", tc.h.Kind, err)
		}
	}
}
