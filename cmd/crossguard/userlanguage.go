package main

import (
	"context"
	"fmt"

	"crossguard"
)

// runUserLanguage sets or clears a user's interface language.
func runUserLanguage(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "user language", "user language NAME LANG [flags]", `
Sets the language of a user's web pages, whatever browser they sign in
from: en (English), zh (Chinese, Simplified) or ur (Urdu, written right to
left). "" or "browser" clears it, so that the pages follow the browser's
language again. A ?lang= in a page's address still switches that one page.
People can also set it themselves on the Settings page (their name at the
top of every page). The change is audited as user.language.

Examples:
  crossguard user language amina ur
  crossguard user language li.wei zh
  crossguard user language amina browser`)
	c.register(fs, env)
	pos, err := parse(fs, args, 2, 2)
	if err != nil {
		return helpOK(err)
	}
	lang, err := userLanguageArg(pos[1])
	if err != nil {
		return err
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		if err := setUserLanguage(ctx, env, o, pos[0], lang); err != nil {
			return err
		}
		if lang == "" {
			fmt.Fprintf(env.Stdout, "The web pages of %s now follow the browser's language.\n", pos[0])
			return nil
		}
		fmt.Fprintf(env.Stdout, "Set the language of %s to %s.\n", pos[0], lang)
		return nil
	})
}

// userLanguageArg reads a language argument: en, zh, ur, or "" or
// "browser" for none.
func userLanguageArg(arg string) (string, error) {
	if arg == "browser" {
		arg = ""
	}
	if !crossguard.ValidUserLanguage(arg) {
		return "", crossguard.Errorf(crossguard.EINVALID, "unknown language %q: use en, zh, ur, or browser to follow the browser", arg)
	}
	return arg, nil
}

// setUserLanguage stores a user's language, audited as the command line's.
func setUserLanguage(ctx context.Context, env *Env, o *opened, user, lang string) error {
	return o.Node.Store.SetUserLanguage(ctx, cliActor(env), user, lang, o.Node.Core.Clock.Now().UTC())
}
