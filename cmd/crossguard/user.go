package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"crossguard"
)

// runUser dispatches the user subcommands.
func runUser(ctx context.Context, env *Env, args []string) error {
	return runGroup(ctx, env, "user", []subcommand{
		{"add", "NAME --role ROLE", "add a user (roles: admin, analyst, officer, auditor) and print its API token", runUserAdd},
		{"passwd", "NAME", "set a user's password for signing in to the web UI", runUserPasswd},
		{"language", "NAME LANG", "set the language of a user's web pages (en, zh, ur, or browser)", runUserLanguage},
		{"list", "", "list users with their roles", runUserList},
		{"token", "NAME", "issue another API token for a user", runUserToken},
		{"revoke", "NAME", "revoke a user, all of its tokens and its sessions", runUserRevoke},
	}, args)
}

// runUserAdd adds a user, with a password if --password-stdin, and prints
// its token as the last line.
func runUserAdd(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "user add", "user add NAME --role ROLE [flags]", `
Adds a user with a role and prints a new API token as the last line of the
output. The token is shown once: only its hash is stored. Roles:
  admin    manages users and the node; reads and deletes records
  analyst  reads, records, corrects and deletes records
  officer  reads, records and corrects records
  auditor  reads records and the audit log

With --password-stdin it reads the user's password for the web UI from the
first line of standard input (at least 12 characters); without it the user
has none until 'crossguard user passwd NAME'.

With --language en, zh or ur the user's web pages come in that language
whatever the browser says (see 'crossguard user language').

Examples:
  crossguard user add amina --role officer
  crossguard user add li.wei --role analyst --language zh
  printf '%s\n' "$PASSWORD" | crossguard user add amina --role officer --password-stdin`)
	c.register(fs, env)
	role := fs.String("role", "", "role: admin, analyst, officer or auditor (required)")
	pwStdin := fs.Bool("password-stdin", false, "read the user's web password from the first line of standard input")
	language := fs.String("language", "", "language of the user's web pages: en, zh or ur (default: follow the browser)")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	lang, err := userLanguageArg(*language)
	if err != nil {
		return err
	}
	var password string
	if *pwStdin {
		if password, err = readPasswordLine(env.Stdin); err != nil {
			return err
		}
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		token, err := o.Node.Admin.AddUser(ctx, cliActor(env), pos[0], *role)
		if err != nil {
			return err
		}
		if *pwStdin {
			if err := setPassword(ctx, env, o, pos[0], password); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "Set the password of %s for the web UI.\n", pos[0])
		}
		if lang != "" {
			if err := setUserLanguage(ctx, env, o, pos[0], lang); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "Set the language of %s to %s.\n", pos[0], lang)
		}
		fmt.Fprintf(env.Stdout, "Added user %s with role %s. API token (shown once; use it as 'Authorization: Bearer TOKEN'):\n%s\n", pos[0], *role, token)
		return nil
	})
}

// runUserToken issues another token.
func runUserToken(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "user token", "user token NAME [flags]", `
Issues another API token for an existing user, e.g. for a second machine,
and prints it as the last line. Earlier tokens stay valid until the user is
revoked.

Example:
  crossguard user token amina`)
	c.register(fs, env)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		token, err := o.Node.Admin.NewUserToken(ctx, cliActor(env), pos[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "New API token for %s (shown once):\n%s\n", pos[0], token)
		return nil
	})
}

// runUserList lists users.
func runUserList(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "user list", "user list [flags]", `
Lists users with their roles, when they were added and whether they are
revoked. --json prints the list as JSON.

Example:
  crossguard user list --json`)
	c.register(fs, env)
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		users, err := o.Node.Store.Users(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, users)
		}
		printUsers(env.Stdout, users)
		return nil
	})
}

// printUsers prints users as a table.
func printUsers(w io.Writer, users []*crossguard.User) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tADDED\tSTATUS")
	for _, u := range users {
		status := "active"
		if u.RevokedAt != nil {
			status = "revoked " + u.RevokedAt.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Name, u.Role, u.CreatedAt.Format("2006-01-02 15:04"), status)
	}
	tw.Flush()
}

// runUserRevoke revokes a user.
func runUserRevoke(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "user revoke", "user revoke NAME [flags]", `
Revokes a user and every API token it holds, and ends its web sessions, at
once, also for a running server. The user stays in the list (and the audit
log) as revoked.

Example:
  crossguard user revoke amina`)
	c.register(fs, env)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		if err := o.Node.Admin.RevokeUser(ctx, cliActor(env), pos[0]); err != nil {
			return err
		}
		n, err := o.Node.Store.DeleteUserSessions(ctx, pos[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Revoked user %s and all of its tokens; ended %d web sessions.\n", pos[0], n)
		return nil
	})
}
