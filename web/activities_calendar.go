package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"crossguard"
)

// monthLayout is the form of ?month= and of a month input.
const monthLayout = "2006-01"

// calendarPage is the data of the activities page: a month of the
// calendar with the activities on each day, and every activity as a
// timeline below.
type calendarPage struct {
	// Title is the month written out ("March 2026"); Month its
	// YYYY-MM value, or what was typed when it was refused.
	Title string
	Month fieldInput
	// Prev and Next are the links to the months before and after, with
	// their titles.
	Prev, Next, PrevTitle, NextTitle string
	// Weekdays are the names of the columns, Monday first.
	Weekdays []weekdayName
	// Weeks are the rows of the grid, Monday to Sunday.
	Weeks [][]calendarDay
	// Busy counts the activities on the month's days.
	Busy int
	// Timeline is every activity held, by start date.
	Timeline []activityRow
}

// weekdayName is the short and full name of a day of the week.
type weekdayName struct{ Short, Full string }

// calendarDay is one cell of the grid.
type calendarDay struct {
	// Number is the day of the month; Date its YYYY-MM-DD; Label the date
	// written out, for the list the grid becomes on narrow screens and
	// for screen readers.
	Number, Date, Label string
	// Outside is set for the days of the weeks' other months; Today for
	// today.
	Outside, Today bool
	Items          []calendarItem
}

// calendarItem is an activity on one of its days. Kind gives its colour
// class, and KindLabel says the same in words; First and Last mark the
// first and the last day of an activity that spans several.
type calendarItem struct {
	Kind, KindLabel, Title, Href, Status string
	First, Last, Cancelled               bool
}

// dayOf writes out a YYYY-MM-DD day in the language of tr, or returns it
// as it is when it is no such day.
func dayOf(tr *Translator, day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return tr.Date(t)
}

// activityList shows a month of the calendar of activities (?month=
// YYYY-MM, this month by default) with every activity as a timeline
// below. A month that cannot be read is shown again with the reason
// beside it, over this month's calendar.
func (s *server) activityList(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requireSession(w, r)
	if sess == nil || err != nil {
		return err
	}
	p := s.newPage(r, sess, "prog.activities.title")
	tr := p.tr
	acts, err := s.cooperation.Activities(r.Context(), sess.Username, "")
	if err != nil {
		return fmt.Errorf("list activities: %w", err)
	}
	today := s.now().UTC()
	month := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	data := &calendarPage{}
	status := http.StatusOK
	if v := r.URL.Query().Get("month"); v != "" {
		data.Month.Value = v
		if m, err := time.Parse(monthLayout, v); err == nil && m.Year() >= 1900 && m.Year() <= 9999 {
			month = m
		} else {
			data.Month.Error = tr.T("prog.cal.error.month")
			status = http.StatusBadRequest
		}
	}
	if data.Month.Error == "" {
		data.Month.Value = month.Format(monthLayout)
	}
	data.Title = monthTitle(tr, month)
	prev, next := month.AddDate(0, -1, 0), month.AddDate(0, 1, 0)
	data.Prev, data.PrevTitle = monthHref(prev), monthTitle(tr, prev)
	data.Next, data.NextTitle = monthHref(next), monthTitle(tr, next)
	for d := 1; d <= 7; d++ {
		data.Weekdays = append(data.Weekdays, weekdayName{Short: tr.T("prog.cal.wd." + strconv.Itoa(d)),
			Full: tr.T("prog.cal.wday." + strconv.Itoa(d))})
	}
	data.Weeks, data.Busy = calendarWeeks(tr, month, today, acts)
	for _, a := range acts {
		data.Timeline = append(data.Timeline, activityRowOf(tr, a))
	}
	p.Data = data
	return s.render(w, status, "activities", p)
}

// monthTitle writes out a month and its year ("March 2026").
func monthTitle(tr *Translator, m time.Time) string {
	return tr.T("prog.cal.month", tr.T("month."+strconv.Itoa(int(m.Month()))), strconv.Itoa(m.Year()))
}

// monthHref is the link to the calendar of month m.
func monthHref(m time.Time) string {
	return "/activities?" + url.Values{"month": {m.Format(monthLayout)}}.Encode()
}

// calendarWeeks lays out the weeks, Monday to Sunday, that hold the days
// of month, putting each activity on every day from its start to its end,
// and counts the activities on the month's days.
func calendarWeeks(tr *Translator, month, today time.Time, acts []*crossguard.Activity) ([][]calendarDay, int) {
	type span struct {
		a          *crossguard.Activity
		start, end time.Time
	}
	var spans []span
	for _, a := range acts {
		start, err1 := time.Parse(time.DateOnly, a.StartsOn)
		end, err2 := time.Parse(time.DateOnly, a.EndsOn)
		if err1 != nil || err2 != nil || end.Before(start) {
			continue
		}
		spans = append(spans, span{a, start, end})
	}
	first := month.AddDate(0, 0, -((int(month.Weekday()) + 6) % 7)) // the Monday on or before the 1st
	last := month.AddDate(0, 1, -1)
	last = last.AddDate(0, 0, (7-int(last.Weekday()))%7) // the Sunday on or after the last day
	todayDate := today.Format(time.DateOnly)
	busy := map[*crossguard.Activity]bool{}
	var weeks [][]calendarDay
	for d := first; !d.After(last); d = d.AddDate(0, 0, 7) {
		week := make([]calendarDay, 7)
		for i := range week {
			day := d.AddDate(0, 0, i)
			c := calendarDay{Number: strconv.Itoa(day.Day()), Date: day.Format(time.DateOnly), Label: tr.Date(day),
				Outside: day.Month() != month.Month()}
			c.Today = c.Date == todayDate
			for _, sp := range spans {
				if day.Before(sp.start) || day.After(sp.end) {
					continue
				}
				it := calendarItem{Kind: sp.a.Type, KindLabel: tr.T("prog.type." + sp.a.Type), Title: sp.a.Title,
					Status: tr.T("prog.status." + sp.a.Status), First: day.Equal(sp.start), Last: day.Equal(sp.end),
					Cancelled: sp.a.Status == crossguard.StatusCancelled}
				if sp.a.Agreement != "" {
					it.Href = "/agreements/" + pathEscape(sp.a.Agreement)
				}
				c.Items = append(c.Items, it)
				if !c.Outside {
					busy[sp.a] = true
				}
			}
			week[i] = c
		}
		weeks = append(weeks, week)
	}
	return weeks, len(busy)
}
