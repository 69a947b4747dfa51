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
// embedded JSON files i18n/LANG/*.json (flat objects of key to message;
// messages are fmt formats, with %[n]s for arguments in any order).
type Catalogs struct {
	messages map[string]map[string]string
	builder  *catalog.Builder
}

// loadCatalogs reads the catalog of each language from dir in fsys: the
// union of the files dir/LANG/*.json, each one flat object of key to
// message. Features keep their messages in files of their own; a key
// defined in two files of one language is an error.
func loadCatalogs(fsys fs.FS, dir string) (*Catalogs, error) {
	c := &Catalogs{
		messages: make(map[string]map[string]string),
		builder:  catalog.NewBuilder(catalog.Fallback(language.English)),
	}
	for _, lang := range Languages {
		msgs, err := readCatalog(fsys, path.Join(dir, lang))
		if err != nil {
			return nil, fmt.Errorf("%s catalog: %w", lang, err)
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

// readCatalog merges the JSON files of one language's directory.
func readCatalog(fsys fs.FS, dir string) (map[string]string, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("list files: %w", err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no files in %s", dir)
	}
	all := make(map[string]string)
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		var msgs map[string]string
		if err := json.Unmarshal(b, &msgs); err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		for key, msg := range msgs {
			if _, dup := all[key]; dup {
				return nil, fmt.Errorf("%s: key %q is defined twice", name, key)
			}
			all[key] = msg
		}
	}
	return all, nil
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
