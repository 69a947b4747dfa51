package web

import (
	"net/http"

	"golang.org/x/text/language"
)

// languageMatcher matches a browser's Accept-Language against the
// interface languages, in the order of Languages.
var languageMatcher = language.NewMatcher([]language.Tag{
	language.English, language.SimplifiedChinese, language.Urdu,
})

// chooseLanguage returns the language of the page for r: ?lang= first,
// then the choice this browser made earlier with ?lang= (the cg_lang
// cookie), then the signed-in person's setting, then the browser's
// Accept-Language, and English when nothing matches.
func chooseLanguage(r *http.Request, s *Session) string {
	if l := r.URL.Query().Get("lang"); isLanguage(l) {
		return l
	}
	if l := cookieValue(r, langCookie); isLanguage(l) {
		return l
	}
	if s != nil {
		if l := normalizeLanguage(s.Language); l != "" {
			return l
		}
	}
	if al := r.Header.Get("Accept-Language"); al != "" {
		tags, _, err := language.ParseAcceptLanguage(al)
		if err == nil && len(tags) > 0 {
			_, i, conf := languageMatcher.Match(tags...)
			if conf != language.No {
				return Languages[i]
			}
		}
	}
	return "en"
}

// rememberLanguage keeps a language chosen with ?lang= in the cg_lang
// cookie, so that the next pages stay in it.
func rememberLanguage(w http.ResponseWriter, r *http.Request) {
	l := r.URL.Query().Get("lang")
	if isLanguage(l) && cookieValue(r, langCookie) != l {
		http.SetCookie(w, newCookie(r, langCookie, l, 365*24*3600))
	}
}

// isLanguage reports whether l is an interface language code.
func isLanguage(l string) bool {
	_, ok := languageTags[l]
	return ok
}

// normalizeLanguage maps a language setting such as "zh-Hans" or "ur-PK"
// to an interface language code, or "" when it is none of them.
func normalizeLanguage(setting string) string {
	if isLanguage(setting) {
		return setting
	}
	tag, err := language.Parse(setting)
	if err != nil {
		return ""
	}
	_, i, conf := languageMatcher.Match(tag)
	if conf == language.No {
		return ""
	}
	return Languages[i]
}
