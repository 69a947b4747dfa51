package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"crossguard"
)

// init adds the settings page to the pages parsePages loads.
func init() { pageNames = append(pageNames, "settings") }

// settingsRoutes adds the signed-in person's settings page to mux.
func (s *server) settingsRoutes(mux *http.ServeMux) {
	mux.Handle("GET /settings", s.handle(s.settingsForm))
	mux.Handle("POST /settings", s.handle(s.saveSettings))
}

// settingsPage is the data of the settings page.
type settingsPage struct {
	// Choices are the interface languages, "" (follow the browser) first.
	Choices []languageChoice
	// Back is the local page to return to after saving.
	Back string
	// Error is why the choice was refused.
	Error string
	// Saved is set just after the setting was saved.
	Saved bool
	// Editable is false when the node keeps no settings (no
	// Config.Settings): the language then follows the browser only.
	Editable bool
}

// languageChoice is one radio button of the language setting, labelled
// in its own language.
type languageChoice struct {
	Value, Label, Lang string
	Checked            bool
}

// settingsForm shows the signed-in person's language setting.
func (s *server) settingsForm(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requireSession(w, r)
	if sess == nil || err != nil {
		return err
	}
	return s.showSettings(w, r, sess, http.StatusOK, sess.Language, "")
}

// showSettings renders the settings page with lang chosen and the
// refusal reason msgKey ("" when none).
func (s *server) showSettings(w http.ResponseWriter, r *http.Request, sess *Session, status int, lang, msgKey string) error {
	p := s.newPage(r, sess, "settings.title")
	data := &settingsPage{Back: localBack(r.FormValue("back")), Saved: r.URL.Query().Get("saved") != "",
		Editable: s.settings != nil}
	if msgKey != "" {
		data.Error = p.tr.T(msgKey)
	}
	data.Choices = append(data.Choices, languageChoice{Value: "", Label: p.tr.T("settings.language.browser"), Lang: p.tr.Lang(), Checked: lang == ""})
	for _, code := range Languages {
		data.Choices = append(data.Choices, languageChoice{Value: code, Label: s.cat.Translator(code).Name(), Lang: code, Checked: code == lang})
	}
	p.Data = data
	return s.render(w, status, "settings", p)
}

// saveSettings stores the signed-in person's language and sends them back
// to the page they came from, now in that language. The cg_lang cookie
// is replaced by the saved language, untagged (or removed for "follow
// the browser"), so that an earlier ?lang= of the session no longer
// outweighs the new setting.
func (s *server) saveSettings(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requirePermission(w, r, crossguard.PermRead)
	if sess == nil || err != nil {
		return err
	}
	if s.settings == nil {
		return errNotFound
	}
	lang := strings.TrimSpace(r.PostFormValue("language"))
	if !crossguard.ValidUserLanguage(lang) {
		return s.showSettings(w, r, sess, http.StatusBadRequest, lang, "settings.error.language")
	}
	if err := s.settings.SetUserLanguage(r.Context(), sess.Username, sess.Username, lang, s.now().UTC()); err != nil {
		return fmt.Errorf("set the language of %s: %w", sess.Username, err)
	}
	if lang != "" {
		http.SetCookie(w, newCookie(r, langCookie, lang, 365*24*3600))
	} else {
		http.SetCookie(w, newCookie(r, langCookie, "", -1))
	}
	back := localBack(r.PostFormValue("back"))
	if back == "" {
		back = "/settings?saved=1"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// localBack returns back if it is a path of this site, without a ?lang=
// that would outweigh the setting just saved; "" otherwise.
func localBack(back string) string {
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.HasPrefix(back, "/\\") {
		return ""
	}
	u, err := url.Parse(back)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return ""
	}
	q := u.Query()
	q.Del("lang")
	u.RawQuery = q.Encode()
	return u.RequestURI()
}
