package web

import (
	"context"
	"fmt"
	"net/url"

	"crossguard"
)

// cooperationState describes what the feedback, message and settings
// forms change, for accessEnv.state.
func (e *accessEnv) cooperationState() string {
	e.t.Helper()
	ctx := context.Background()
	fbs, err := e.ce.node.FeedbackOn(ctx, "test", e.ce.warning)
	if err != nil {
		e.t.Fatal(err)
	}
	msgs, err := e.ce.node.Messages(ctx, "test", e.ce.op)
	if err != nil {
		e.t.Fatal(err)
	}
	return fmt.Sprintf("feedback=%d messages=%d languages=%d", len(fbs), len(msgs), e.settings.count())
}

// cooperationPages are the GET rows of the calendar and settings pages:
// reading pages, open to every signed-in role.
func (e *accessEnv) cooperationPages() []accessGet {
	return []accessGet{
		{"/activities?month=2026-11", everyone(ok)},
		{"/settings", everyone(ok)},
	}
}

// cooperationForms are the rows of the feedback and message forms, which
// need write, and of the settings form, where everyone signed in sets
// their own language.
func (e *accessEnv) cooperationForms() []accessPost {
	writers := map[string]int{crossguard.RoleAdmin: no, crossguard.RoleAnalyst: see, crossguard.RoleOfficer: see, crossguard.RoleAuditor: no}
	op := "/operations/" + e.ce.op
	return []accessPost{
		{"give feedback", op + "/warnings/" + e.ce.warning + "/feedback", func(csrf, role string) url.Values {
			return url.Values{"csrf": {csrf}, "result": {"not_seen"}, "notes": {"by " + role}}
		}, writers},
		{"send message", op + "/messages", func(csrf, role string) url.Values {
			return url.Values{"csrf": {csrf}, "text": {"by " + role}}
		}, writers},
		{"set language", "/settings", func(csrf, role string) url.Values {
			return url.Values{"csrf": {csrf}, "language": {"zh"}}
		}, everyone(see)},
	}
}
