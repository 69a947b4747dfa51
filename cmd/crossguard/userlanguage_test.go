package main

import (
	"encoding/json"
	"strings"
	"testing"

	"crossguard"
)

// userLanguages returns each user's language as 'user list --json' shows.
func (c *cli) userLanguages() map[string]string {
	c.t.Helper()
	var users []*crossguard.User
	if err := json.Unmarshal([]byte(c.must("user", "list", "--json")), &users); err != nil {
		c.t.Fatalf("user list --json: %v", err)
	}
	out := map[string]string{}
	for _, u := range users {
		out[u.Name] = u.Language
	}
	return out
}

func TestUserLanguage(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	if out := c.must("user", "add", "li.wei", "--role", "analyst", "--language", "zh"); !strings.Contains(out, "Set the language of li.wei to zh") {
		t.Fatalf("user add --language:\n%s", out)
	}
	c.must("user", "add", "amina", "--role", "officer")
	if got := c.userLanguages(); got["li.wei"] != "zh" || got["amina"] != "" {
		t.Fatalf("languages after user add: %v", got)
	}
	if out := c.must("user", "language", "amina", "ur"); !strings.Contains(out, "Set the language of amina to ur") {
		t.Fatalf("user language:\n%s", out)
	}
	if out := c.must("user", "language", "li.wei", "browser"); !strings.Contains(out, "follow the browser") {
		t.Fatalf("user language browser:\n%s", out)
	}
	if got := c.userLanguages(); got["li.wei"] != "" || got["amina"] != "ur" {
		t.Fatalf("languages after user language: %v", got)
	}
	for _, tc := range []struct {
		name string
		args []string
		code string
	}{
		{"unknown language", []string{"user", "language", "amina", "fr"}, crossguard.EINVALID},
		{"unknown user", []string{"user", "language", "nobody", "zh"}, crossguard.ENOTFOUND},
		{"unknown language on add", []string{"user", "add", "bob", "--role", "officer", "--language", "fr"}, crossguard.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := c.run("", tc.args...); crossguard.ErrorCode(err) != tc.code {
				t.Fatalf("%v = %v, want %s", tc.args, err, tc.code)
			}
		})
	}
	if _, ok := c.userLanguages()["bob"]; ok {
		t.Error("a user was added with an unknown language")
	}
	out, errOut, err := c.run("", "user", "language", "--help")
	if err != nil || !strings.Contains(out+errOut, "crossguard user language amina ur") {
		t.Fatalf("user language --help = %v:\n%s%s", err, out, errOut)
	}
	if out, errOut, _ := c.run("", "user", "--help"); !strings.Contains(out+errOut, "language NAME LANG") {
		t.Errorf("user --help does not list the language command:\n%s%s", out, errOut)
	}
}
