package httpapi

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"crossguard"
)

// icsMaxLine is the longest content line RFC 5545 allows, in octets,
// without the CRLF; longer lines are folded.
const icsMaxLine = 75

// icsStatus maps an activity's status to a VEVENT's STATUS.
var icsStatus = map[string]string{
	crossguard.StatusPlanned:   "TENTATIVE",
	crossguard.StatusDone:      "CONFIRMED",
	crossguard.StatusCancelled: "CANCELLED",
}

// Calendar renders activities as an iCalendar object (RFC 5545) named
// name: one all-day VEVENT per activity, whose UID is the record id with
// "@crossguard", DTSTART and DTEND dates (the end exclusive, so the day
// after ends_on), the title as SUMMARY, the place as LOCATION, the
// details as DESCRIPTION, and SEQUENCE following the record's version so
// that calendars take an update. Lines end in CRLF and are folded at 75
// octets.
func Calendar(name string, acts []*crossguard.Activity) []byte {
	var b bytes.Buffer
	line := func(name, value string) { writeICSLine(&b, name+":"+value) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//crossguard//cooperation programme//EN")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	line("X-WR-CALNAME", icsText(name))
	for _, a := range acts {
		line("BEGIN", "VEVENT")
		line("UID", a.ID+"@crossguard")
		line("DTSTAMP", icsTime(a.UpdatedAt))
		line("CREATED", icsTime(a.CreatedAt))
		line("LAST-MODIFIED", icsTime(a.UpdatedAt))
		line("SEQUENCE", fmt.Sprint(max(a.Version-1, 0)))
		line("DTSTART;VALUE=DATE", icsDate(a.StartsOn, 0))
		line("DTEND;VALUE=DATE", icsDate(a.EndsOn, 1))
		line("SUMMARY", icsText(a.Title))
		line("LOCATION", icsText(a.Place))
		line("DESCRIPTION", icsText(describeActivity(a)))
		line("CATEGORIES", icsText(a.Type))
		if s, ok := icsStatus[a.Status]; ok {
			line("STATUS", s)
		}
		line("CLASS", "PRIVATE")
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	return b.Bytes()
}

// describeActivity is an activity's details in words, for DESCRIPTION:
// agencies, units and headcounts (never names), the training or visit,
// the outcome, the agreement, the marking and the origin.
func describeActivity(a *crossguard.Activity) string {
	var lines []string
	add := func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) }
	add("%s, %s (status %s)", a.Type, a.Title, a.Status)
	add("Agencies: %s", strings.Join(a.Agencies, ", "))
	if len(a.Units) > 0 {
		add("Units: %s", strings.Join(a.Units, "; "))
	}
	if len(a.Headcounts) > 0 {
		var hc []string
		for _, ag := range slices.Sorted(maps.Keys(a.Headcounts)) {
			hc = append(hc, fmt.Sprintf("%s %d", ag, a.Headcounts[ag]))
		}
		add("Headcounts: %s", strings.Join(hc, ", "))
	}
	if t := a.Training; t != nil {
		add("Training: %s, %g hours, %d certified", t.Course, t.Hours, t.Certified)
	}
	if v := a.Visit; v != nil {
		add("Visit: delegation of %d led by the %s", v.DelegationSize, v.LeadTitle)
		if len(v.Itinerary) > 0 {
			add("Itinerary: %s", strings.Join(v.Itinerary, " > "))
		}
	}
	if a.Outcome != "" {
		add("Outcome: %s", a.Outcome)
	}
	if a.Agreement != "" {
		c := ""
		if a.Commitment != "" {
			c = ", commitment " + a.Commitment
		}
		add("Agreement %s%s", a.Agreement, c)
	}
	add("TLP:%s %s; recorded by %s", strings.ToUpper(a.Marking.TLP), a.Marking.Handling, a.Origin)
	if a.Marking.Conditions != "" {
		add("Handling conditions: %s", a.Marking.Conditions)
	}
	if c := crossguard.HandlingCaveat(a.Marking); c != "" {
		add("%s", c)
	}
	return strings.Join(lines, "\n")
}

// icsTime renders an instant as an RFC 5545 DATE-TIME in UTC.
func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// icsDate renders a YYYY-MM-DD date plus days as an RFC 5545 DATE.
func icsDate(day string, plus int) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil { // stored activities are validated; keep the digits
		return strings.ReplaceAll(day, "-", "")
	}
	return d.AddDate(0, 0, plus).Format("20060102")
}

// icsText escapes a TEXT value (RFC 5545, 3.3.11): backslash, semicolon,
// comma and newline; carriage returns are dropped.
func icsText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", "")
	return r.Replace(s)
}

// writeICSLine writes a content line ended by CRLF, folded so that no
// line is longer than 75 octets: each continuation starts with a space,
// and a UTF-8 sequence is never split.
func writeICSLine(b *bytes.Buffer, s string) {
	limit := icsMaxLine
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = icsMaxLine - 1
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
