package crossguard

import (
	"context"
	"slices"
	"time"
)

// UserLanguages lists the interface languages a user may choose: English,
// Chinese (Simplified) and Urdu. The empty language means "follow the
// browser".
var UserLanguages = []string{"en", "zh", "ur"}

// ValidUserLanguage reports whether lang is one of UserLanguages or empty.
func ValidUserLanguage(lang string) bool {
	return lang == "" || slices.Contains(UserLanguages, lang)
}

// UserLanguageStore keeps each user's interface language, which the web
// interface reads with the session (SessionByToken's user) so that a
// person's pages come in their language on any browser.
type UserLanguageStore interface {
	// SetUserLanguage sets the interface language of user name, or clears
	// it with "", audited as ActionUserLanguage by actor: EINVALID for a
	// language not in UserLanguages, ENOTFOUND for an unknown user,
	// ECONFLICT for a revoked one.
	SetUserLanguage(ctx context.Context, actor, name, lang string, at time.Time) error
}

// CheckUserLanguage returns the EINVALID error of a language that is not
// one of UserLanguages (or empty), or nil.
func CheckUserLanguage(lang string) error {
	if ValidUserLanguage(lang) {
		return nil
	}
	return &Error{Code: EINVALID, Message: "invalid language",
		Fields: []FieldError{{Field: "language", Message: "must be one of en, zh, ur, or empty to follow the browser"}}}
}
