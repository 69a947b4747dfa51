package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"

	"golang.org/x/text/language"
)

// languageMatcher matches a browser's Accept-Language against the
// interface languages, in the order of Languages.
var languageMatcher = language.NewMatcher([]language.Tag{
	language.English, language.SimplifiedChinese, language.Urdu,
})

// chooseLanguage returns the language of the page for r, signed in as s
// (nil when signed out). The order:
//
//  1. ?lang=en|zh|ur, an explicit choice for this page, which
//     rememberLanguage keeps in the cg_lang cookie;
//  2. a ?lang= choice made earlier in this same session (the cookie's
//     value carries a tag of the session, see rememberLanguage), so that
//     following a language link switches the following pages and forms
//     too, not just one page;
//  3. the signed-in person's own setting (the /settings page, or
//     'crossguard user language'), which the session lookup carries with
//     the user's role, so that a person gets their language on any
//     browser, a shared one at a border post included, whatever the last
//     person there chose;
//  4. the cg_lang cookie when no session made it: the choice of this
//     browser while signed out, or of an earlier session;
//  5. the browser's Accept-Language;
//  6. English.
//
// Signing out forgets the cookie; saving the settings replaces it with
// the saved language, untagged.
func chooseLanguage(r *http.Request, s *Session) string {
	if l := r.URL.Query().Get("lang"); isLanguage(l) {
		return l
	}
	cookie, tag := splitLanguageCookie(cookieValue(r, langCookie))
	if s != nil {
		if tag != "" && tag == sessionTag(cookieValue(r, SessionCookie)) {
			return cookie
		}
		if l := normalizeLanguage(s.Language); l != "" {
			return l
		}
	}
	if cookie != "" {
		return cookie
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
// cookie, so that the next pages stay in it. Chosen with a session
// cookie, the value is LANG.TAG, TAG naming the session (sessionTag), so
// that the choice outweighs the person's setting for this session only.
func rememberLanguage(w http.ResponseWriter, r *http.Request) {
	l := r.URL.Query().Get("lang")
	if !isLanguage(l) {
		return
	}
	if tok := cookieValue(r, SessionCookie); tok != "" {
		l += "." + sessionTag(tok)
	}
	if cookieValue(r, langCookie) != l {
		http.SetCookie(w, newCookie(r, langCookie, l, 365*24*3600))
	}
}

// sessionTag names the session of a session token in the language
// cookie: 16 hex digits of a SHA-256 of the token, which tell one session
// from another and reveal nothing of the token. It is "" without a token.
func sessionTag(token string) string {
	if token == "" {
		return ""
	}
	sum := sha256.Sum256([]byte("crossguard language\x00" + token))
	return hex.EncodeToString(sum[:8])
}

// splitLanguageCookie reads the cg_lang cookie's value, LANG or LANG.TAG:
// the language ("" if it is none) and the session tag.
func splitLanguageCookie(v string) (lang, tag string) {
	lang, tag, _ = strings.Cut(v, ".")
	if !isLanguage(lang) {
		return "", ""
	}
	return lang, tag
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
