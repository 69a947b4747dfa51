package web

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"crossguard"
)

// targeters are the statuses of the pages and forms that manage risk
// targeting: analysts only.
var targeters = map[string]int{crossguard.RoleAdmin: no, crossguard.RoleAnalyst: ok, crossguard.RoleOfficer: no, crossguard.RoleAuditor: no}

// ownProfile returns the id and version of the profile newTargetingEnv's
// node made.
func (e *accessEnv) ownProfile() (string, int64) {
	e.t.Helper()
	ps, err := e.te.node.Profiles(context.Background(), "test")
	if err != nil {
		e.t.Fatal(err)
	}
	for _, p := range ps {
		if p.Name == "Opium alkaloids declared cheap" {
			return p.ID, p.Version
		}
	}
	e.t.Fatal("no profile of the targeting node")
	return "", 0
}

// profileState describes the profiles, for state.
func (e *accessEnv) profileState() string {
	e.t.Helper()
	ps, err := e.te.node.Profiles(context.Background(), "test")
	if err != nil {
		e.t.Fatal(err)
	}
	var versions int64
	for _, p := range ps {
		versions += p.Version
	}
	return fmt.Sprintf("profiles=%d/v%d", len(ps), versions)
}

// profilePages are the profile editor's pages in the GET matrix.
func (e *accessEnv) profilePages() []accessGet {
	id, _ := e.ownProfile()
	return []accessGet{
		{"/targeting?channel=red&uninspected=1", everyone(ok)},
		{"/profiles/new", targeters},
		{"/profiles/" + id + "/edit", targeters},
	}
}

// profileForms are the profile editor's forms in the POST matrix: saving
// a new profile, saving a change.
func (e *accessEnv) profileForms() []accessPost {
	id, _ := e.ownProfile()
	saved := map[string]int{crossguard.RoleAdmin: no, crossguard.RoleAnalyst: see, crossguard.RoleOfficer: no, crossguard.RoleAuditor: no}
	return []accessPost{
		{"create profile", "/profiles/new", func(csrf, role string) url.Values {
			v := profileForm(csrf)
			v.Set("name", "by "+role)
			v.Set("save", "1")
			return v
		}, saved},
		{"edit profile", "/profiles/" + id + "/edit", func(csrf, role string) url.Values {
			_, version := e.ownProfile()
			v := profileForm(csrf)
			v.Set("name", "Opium alkaloids declared cheap")
			v.Set("version", strconv.FormatInt(version, 10))
			v.Set("save", "1")
			return v
		}, saved},
	}
}
