package web

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
	"golang.org/x/text/number"
)

// Languages lists the codes of the interface languages, English first as
// the default.
var Languages = []string{"en", "zh", "ur"}

// languageTags maps each interface language to the tag whose conventions
// (number grouping, Chinese script) its pages follow.
var languageTags = map[string]language.Tag{
	"en": language.English,
	"zh": language.SimplifiedChinese,
	"ur": language.Urdu,
}

// rtlLanguages lists the languages written right to left.
var rtlLanguages = map[string]bool{"ur": true}

// Catalogs holds the messages of every interface language, read from the
// embedded JSON files i18n/LANG.json (one flat object of key to message;
// messages are fmt formats, with %[n]s for arguments in any order).
type Catalogs struct {
	messages map[string]map[string]string
	builder  *catalog.Builder
}

// loadCatalogs reads one catalog per language from dir in fsys.
func loadCatalogs(fsys fs.FS, dir string) (*Catalogs, error) {
	c := &Catalogs{
		messages: make(map[string]map[string]string),
		builder:  catalog.NewBuilder(catalog.Fallback(language.English)),
	}
	for _, lang := range Languages {
		b, err := fs.ReadFile(fsys, path.Join(dir, lang+".json"))
		if err != nil {
			return nil, fmt.Errorf("read %s catalog: %w", lang, err)
		}
		var msgs map[string]string
		if err := json.Unmarshal(b, &msgs); err != nil {
			return nil, fmt.Errorf("parse %s catalog: %w", lang, err)
		}
		for key, msg := range msgs {
			if err := c.builder.SetString(languageTags[lang], key, msg); err != nil {
				return nil, fmt.Errorf("%s catalog key %q: %w", lang, key, err)
			}
		}
		c.messages[lang] = msgs
	}
	return c, nil
}

// Translator renders messages, numbers and dates in one language.
type Translator struct {
	lang    string
	cat     *Catalogs
	printer *message.Printer
}

// Translator returns the translator of lang, or of English when lang is
// not an interface language.
func (c *Catalogs) Translator(lang string) *Translator {
	if _, ok := languageTags[lang]; !ok {
		lang = "en"
	}
	return &Translator{
		lang:    lang,
		cat:     c,
		printer: message.NewPrinter(languageTags[lang], message.Catalog(c.builder)),
	}
}

// Lang returns the language code, as used in <html lang>.
func (t *Translator) Lang() string { return t.lang }

// Dir returns the writing direction of the language, "rtl" or "ltr".
func (t *Translator) Dir() string {
	if rtlLanguages[t.lang] {
		return "rtl"
	}
	return "ltr"
}

// T returns the message of key formatted with args; numbers among args are
// written with the language's grouping. A key missing from the language's
// catalog falls back to English, and one missing everywhere is returned as
// is, so that a missing translation shows rather than breaking the page.
func (t *Translator) T(key string, args ...any) string {
	return t.printer.Sprintf(key, args...)
}

// Number formats n (an integer or floating-point number) for the language.
func (t *Translator) Number(n any) string {
	return t.printer.Sprint(number.Decimal(n))
}

// Date formats the calendar date of tm for the language, with the month
// written out ("2 March 2026", "2026年3月2日").
func (t *Translator) Date(tm time.Time) string {
	return t.T("date.format",
		strconv.Itoa(tm.Day()),
		t.T("month."+strconv.Itoa(int(tm.Month()))),
		strconv.Itoa(tm.Year()))
}

// DateTime formats the date and the 24-hour time of tm for the language.
func (t *Translator) DateTime(tm time.Time) string {
	return t.T("datetime.format", t.Date(tm), tm.Format("15:04"))
}

// Name returns the name of the language in itself ("English", "اردو").
func (t *Translator) Name() string { return t.cat.messages[t.lang]["language.name"] }
