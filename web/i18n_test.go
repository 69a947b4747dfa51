package web

import (
	"io/fs"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"crossguard"
)

// mustCatalogs loads the embedded catalogs.
func mustCatalogs(t *testing.T) *Catalogs {
	t.Helper()
	c, err := loadCatalogs(assets, "assets/i18n")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// verbPattern finds the fmt verbs of a message.
var verbPattern = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*\d*(?:\.\d+)?[a-zA-Z%]`)

func TestCatalogsHaveTheSameKeys(t *testing.T) {
	c := mustCatalogs(t)
	all := make(map[string]bool)
	for _, msgs := range c.messages {
		for k := range msgs {
			all[k] = true
		}
	}
	for _, lang := range Languages {
		for _, k := range slices.Sorted(maps.Keys(all)) {
			msg, ok := c.messages[lang][k]
			if !ok {
				t.Errorf("catalog %s lacks key %q", lang, k)
			} else if strings.TrimSpace(msg) == "" {
				t.Errorf("catalog %s has an empty message for %q", lang, k)
			}
		}
	}
}

func TestCatalogsUseTheSameArguments(t *testing.T) {
	c := mustCatalogs(t)
	for k, en := range c.messages["en"] {
		want := verbSet(en)
		for _, lang := range Languages {
			if got := verbSet(c.messages[lang][k]); got != want {
				t.Errorf("%s %q takes %s, English takes %s", lang, k, got, want)
			}
		}
	}
}

// verbSet returns the sorted fmt verbs of msg, written as one string.
func verbSet(msg string) string {
	v := verbPattern.FindAllString(msg, -1)
	slices.Sort(v)
	return strings.Join(v, " ")
}

// templateKey finds the message keys templates pass to t.
var templateKey = regexp.MustCompile(`\bt\s+"([^"]+)"`)

// sourceKey finds string literals in Go code shaped like message keys.
var sourceKey = regexp.MustCompile(`"([a-z]+(?:\.[a-z0-9]+)+)"`)

func TestEveryKeyUsedIsInTheCatalogs(t *testing.T) {
	c := mustCatalogs(t)
	namespaces := make(map[string]bool)
	for k := range c.messages["en"] {
		ns, _, _ := strings.Cut(k, ".")
		namespaces[ns] = true
	}
	want := func(where, key string) {
		for _, lang := range Languages {
			if _, ok := c.messages[lang][key]; !ok {
				t.Errorf("%s uses key %q, which catalog %s lacks", where, key, lang)
			}
		}
	}
	err := fs.WalkDir(assets, "assets/templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assets, p)
		if err != nil {
			return err
		}
		for _, m := range templateKey.FindAllStringSubmatch(string(b), -1) {
			want(p, m[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sources, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range sources {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range sourceKey.FindAllStringSubmatch(string(b), -1) {
			if ns, _, _ := strings.Cut(m[1], "."); namespaces[ns] {
				want(p, m[1])
			}
		}
	}
	// Keys built at run time.
	for _, role := range crossguard.Roles {
		want("home.go", "role."+role)
	}
	for m := 1; m <= 12; m++ {
		want("i18n.go", "month."+strconv.Itoa(m))
	}
	want("i18n.go", "language.name")
}

func TestDatesAndNumbersFollowTheLanguage(t *testing.T) {
	c := mustCatalogs(t)
	day := time.Date(2026, time.March, 2, 14, 5, 0, 0, time.UTC)
	tests := []struct {
		lang, date, datetime, number string
	}{
		{"en", "2 March 2026", "2 March 2026, 14:05", "1,234,567.5"},
		{"zh", "2026年3月2日", "2026年3月2日 14:05", "1,234,567.5"},
		{"ur", "2 مارچ 2026", "2 مارچ 2026، 14:05", "1,234,567.5"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			tr := c.Translator(tt.lang)
			if got := tr.Date(day); got != tt.date {
				t.Errorf("Date = %q, want %q", got, tt.date)
			}
			if got := tr.DateTime(day); got != tt.datetime {
				t.Errorf("DateTime = %q, want %q", got, tt.datetime)
			}
			if got := tr.Number(1234567.5); got != tt.number {
				t.Errorf("Number = %q, want %q", got, tt.number)
			}
		})
	}
}

func TestTranslatorFallsBackToEnglish(t *testing.T) {
	tr := mustCatalogs(t).Translator("fr")
	if tr.Lang() != "en" || tr.T("login.submit") != "Sign in" {
		t.Errorf("Translator(fr) = %s %q, want English", tr.Lang(), tr.T("login.submit"))
	}
}

func TestUrduPagesAreRightToLeft(t *testing.T) {
	e := newTestEnv(t)
	t.Run("by query", func(t *testing.T) {
		res := e.get(e.client(), "/login?lang=ur")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, `<html lang="ur" dir="rtl">`, "صارف نام")
	})
	t.Run("by the user's setting", func(t *testing.T) {
		c := e.client()
		e.mustSignIn(c, "bilal")
		res := e.get(c, "/")
		wantContains(t, res, `<html lang="ur" dir="rtl">`, "آپ bilal (افسر) کے طور پر سائن اِن ہیں۔", "2 مارچ 2026")
	})
}

func TestLanguageChoice(t *testing.T) {
	e := newTestEnv(t)
	tests := []struct {
		name   string
		path   string
		header []string
		lang   string
		text   string
	}{
		{"default", "/login", nil, "en", "Sign in to Khunjerab"},
		{"query zh", "/login?lang=zh", nil, "zh", "用户名"},
		{"unknown query ignored", "/login?lang=xx", nil, "en", "User name"},
		{"accept-language", "/login", []string{"Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5"}, "zh", "密码"},
		{"accept-language urdu", "/login", []string{"Accept-Language", "ur-PK"}, "ur", "پاس ورڈ"},
		{"accept-language unknown", "/login", []string{"Accept-Language", "fr-FR"}, "en", "Password"},
		{"query beats accept-language", "/login?lang=en", []string{"Accept-Language", "ur"}, "en", "Password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := e.get(e.client(), tt.path, tt.header...)
			wantStatus(t, res, http.StatusOK)
			wantContains(t, res, `<html lang="`+tt.lang+`"`, tt.text)
		})
	}
}

func TestLanguageSwitchStays(t *testing.T) {
	e := newTestEnv(t)
	c := e.client()
	e.mustSignIn(c, "alice")
	home := e.get(c, "/")
	wantContains(t, home, `href="/?lang=zh"`, `href="/?lang=ur"`, `lang="zh"`, "简体中文", "اردو")

	zh := e.get(c, "/?lang=zh")
	wantContains(t, zh, `<html lang="zh" dir="ltr">`, "您已以 alice（分析员）身份登录。", "2026年3月2日", `aria-current="true">简体中文`)
	next := e.get(c, "/")
	wantContains(t, next, `<html lang="zh"`)

	out := e.post(c, "/logout", urlValues("csrf", mustCSRF(t, next)))
	wantStatus(t, out, http.StatusSeeOther)
	login := e.get(c, "/login")
	wantContains(t, login, `<html lang="en"`)
}
