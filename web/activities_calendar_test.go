package web

import (
	"net/http"
	"strings"
	"testing"
)

func TestActivitiesCalendar(t *testing.T) {
	e := newCooperationEnv(t)
	c := e.signedIn()

	t.Run("this month by default", func(t *testing.T) {
		res := e.get(c, "/activities")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, `<h2 id="cal-title">March 2026</h2>`, `href="/activities?month=2026-02"`, `href="/activities?month=2026-04"`,
			"Previous month: February 2026", "Next month: April 2026", `aria-current="date"`, `datetime="2026-03-02"`,
			"No activities this month.", `href="/api/v1/activities.ics"`,
			// The timeline lists every activity, dates written out.
			"Timeline", "Joint border exercise", "10 November 2026 to 12 November 2026", `href="/agreements/`+e.agreement+`"`)
		// March 2026 starts on a Sunday: the grid opens on Monday 23 February.
		if i, j := strings.Index(res.body, `datetime="2026-02-23"`), strings.Index(res.body, `datetime="2026-03-01"`); i < 0 || j < i {
			t.Errorf("the grid does not start on Monday 23 February")
		}
		if !strings.Contains(res.body, `datetime="2026-04-05"`) || strings.Contains(res.body, `datetime="2026-04-06"`) {
			t.Errorf("the grid does not end on Sunday 5 April")
		}
	})
	t.Run("an activity on each of its days, kind in colour and words", func(t *testing.T) {
		res := e.get(c, "/activities?month=2026-11")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, "November 2026", `class="act act-exercise first"`, `class="act act-exercise last"`,
			`<span class="kind">Exercise</span>`, "(continued)")
		if n := strings.Count(res.body, `<li class="act act-exercise`); n != 3 {
			t.Errorf("the 3-day exercise is on %d days of the grid, want 3", n)
		}
		if strings.Contains(res.body, "No activities this month.") {
			t.Error("a busy month says it has no activities")
		}
	})
	t.Run("a month that is no month", func(t *testing.T) {
		res := e.get(c, "/activities?month=2026-13")
		wantStatus(t, res, http.StatusBadRequest)
		wantContains(t, res, `id="month-error"`, "Enter a month as YYYY-MM", `value="2026-13"`, "March 2026")
	})
	t.Run("in Chinese and Urdu", func(t *testing.T) {
		zh := e.get(c, "/activities?month=2026-11&lang=zh")
		wantContains(t, zh, "2026年11月", "2026年11月10日", `<abbr title="星期一">一</abbr>`, "演练")
		ur := e.get(c, "/activities?month=2026-11&lang=ur")
		wantContains(t, ur, `<html lang="ur" dir="rtl">`, "نومبر 2026", `<abbr title="پیر">پیر</abbr>`)
	})
}
