package httpapi

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"crossguard"
)

// TestActivitiesCalendar checks that GET /api/v1/activities.ics parses
// with a real iCalendar parser and round-trips every activity: UID, the
// all-day dates (end exclusive), summary, location and status, with the
// text escaped and the lines folded as RFC 5545 says.
func TestActivitiesCalendar(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e *testEnv) {
		officer := e.tokens[crossguard.RoleOfficer]
		ag := e.mustCreateAgreement(t)
		want := map[string]crossguard.Activity{}
		for _, body := range []string{visitJSON(ag.ID), trainingJSON(ag.ID), exerciseJSON(ag.ID), exerciseJSON("")} {
			var a crossguard.Activity
			e.do(t, request{Method: "POST", Path: "/api/v1/activities", Token: officer, Body: body}).want(t, http.StatusCreated).decode(t, &a)
			want[a.ID+"@crossguard"] = a
		}
		res := e.do(t, request{Method: "GET", Path: "/api/v1/activities.ics", Token: e.tokens[crossguard.RoleAuditor]}).want(t, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
			t.Fatalf("Content-Type %q", ct)
		}
		checkICSLines(t, res.Body)

		cal, err := ics.ParseCalendar(bytes.NewReader(res.Body))
		if err != nil {
			t.Fatalf("parse the calendar: %v\n%s", err, res.Body)
		}
		if v := cal.CalendarProperties; len(v) == 0 {
			t.Fatalf("no calendar properties")
		}
		events := cal.Events()
		caveats := 0
		defer func() {
			if caveats == 0 && !t.Failed() {
				t.Errorf("no activity carried the H1 caveat: the fixture no longer tests it")
			}
		}()
		if len(events) != len(want) {
			t.Fatalf("%d events, want %d", len(events), len(want))
		}
		for _, ev := range events {
			a, ok := want[ev.Id()]
			if !ok {
				t.Fatalf("event with UID %q, which is no activity", ev.Id())
			}
			delete(want, ev.Id())
			prop := func(p ics.ComponentProperty) string {
				if v := ev.GetProperty(p); v != nil {
					return v.Value
				}
				return ""
			}
			start, end := ev.GetProperty(ics.ComponentPropertyDtStart), ev.GetProperty(ics.ComponentPropertyDtEnd)
			if start == nil || end == nil || start.ICalParameters["VALUE"][0] != "DATE" || end.ICalParameters["VALUE"][0] != "DATE" {
				t.Fatalf("%s: DTSTART and DTEND must be dates", a.Title)
			}
			ends, _ := time.Parse(time.DateOnly, a.EndsOn)
			if start.Value != strings.ReplaceAll(a.StartsOn, "-", "") || end.Value != ends.AddDate(0, 0, 1).Format("20060102") {
				t.Fatalf("%s: DTSTART %s, DTEND %s for %s..%s", a.Title, start.Value, end.Value, a.StartsOn, a.EndsOn)
			}
			if got, err := ev.GetAllDayStartAt(); err != nil || got.Format(time.DateOnly) != a.StartsOn {
				t.Fatalf("%s: the parser reads the start as %v (%v)", a.Title, got, err)
			}
			if prop(ics.ComponentPropertySummary) != a.Title || prop(ics.ComponentPropertyLocation) != a.Place {
				t.Fatalf("summary %q, location %q; want %q, %q", prop(ics.ComponentPropertySummary), prop(ics.ComponentPropertyLocation), a.Title, a.Place)
			}
			if s := prop(ics.ComponentPropertyStatus); s != icsStatus[a.Status] {
				t.Fatalf("%s: STATUS %s for %s", a.Title, s, a.Status)
			}
			desc := prop(ics.ComponentPropertyDescription)
			if !strings.Contains(desc, "\n") || !strings.Contains(desc, a.Origin) || !strings.Contains(desc, strings.Join(a.Agencies, ", ")) {
				t.Fatalf("%s: description %q", a.Title, desc)
			}
			if hasCaveat := strings.Contains(desc, "JUDICIAL PROCEEDINGS"); hasCaveat != (crossguard.HandlingCaveat(a.Marking) != "") {
				t.Fatalf("%s: handling %s, description %q", a.Title, a.Marking.Handling, desc)
			} else if hasCaveat {
				caveats++
			}
			if ts, err := ev.GetDtStampTime(); err != nil || !ts.Equal(a.UpdatedAt) {
				t.Fatalf("%s: DTSTAMP %v (%v), want %v", a.Title, ts, err, a.UpdatedAt)
			}
		}

		t.Run("one agreement", func(t *testing.T) {
			res := e.do(t, request{Method: "GET", Path: "/api/v1/activities.ics?agreement=" + ag.ID, Token: officer}).want(t, http.StatusOK)
			cal, err := ics.ParseCalendar(bytes.NewReader(res.Body))
			if err != nil || len(cal.Events()) != 3 {
				t.Fatalf("calendar of the agreement: %v", err)
			}
		})
		t.Run("empty", func(t *testing.T) {
			res := e.do(t, request{Method: "GET", Path: "/api/v1/activities.ics?agreement=" + e.mustCreateAgreement(t).ID, Token: officer}).want(t, http.StatusOK)
			cal, err := ics.ParseCalendar(bytes.NewReader(res.Body))
			if err != nil || len(cal.Events()) != 0 {
				t.Fatalf("empty calendar: %v\n%s", err, res.Body)
			}
		})
	})
}

// checkICSLines fails unless every line of b ends in CRLF and holds at
// most 75 octets of valid UTF-8, and only a long line's continuations
// start with a space.
func checkICSLines(t *testing.T, b []byte) {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Fatalf("the calendar does not end in CRLF")
	}
	folded := 0
	for i, line := range strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n") {
		switch {
		case strings.ContainsAny(line, "\r\n"):
			t.Fatalf("line %d has a bare CR or LF: %q", i+1, line)
		case len(line) > icsMaxLine:
			t.Fatalf("line %d has %d octets: %q", i+1, len(line), line)
		case !utf8.ValidString(line):
			t.Fatalf("line %d splits a UTF-8 sequence: %q", i+1, line)
		case strings.HasPrefix(line, " "):
			folded++
		}
	}
	if folded == 0 {
		t.Fatalf("no line was folded, though the training's title is long")
	}
}

// TestICSText checks the escaping and folding of text values.
func TestICSText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain", "plain"},
		{`a\b`, `a\\b`},
		{"a;b,c", `a\;b\,c`},
		{"two\nlines\r\nthree", `two\nlines\nthree`},
	}
	for _, tc := range cases {
		if got := icsText(tc.in); got != tc.want {
			t.Errorf("icsText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	var b bytes.Buffer
	long := "SUMMARY:" + strings.Repeat("検", 60) // 3 octets each
	writeICSLine(&b, long)
	unfolded := strings.ReplaceAll(strings.TrimSuffix(b.String(), "\r\n"), "\r\n ", "")
	if unfolded != long {
		t.Fatalf("unfolding gives %q", unfolded)
	}
	checkICSLinesOf(t, b.String())
}

// checkICSLinesOf checks the length and encoding of each line of s.
func checkICSLinesOf(t *testing.T, s string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if len(line) > icsMaxLine || !utf8.ValidString(line) {
			t.Fatalf("line %q", line)
		}
	}
}
