package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"crossguard"
	"crossguard/auth"

	"golang.org/x/term"
)

// runUserPasswd sets a user's password from standard input or a prompt.
func runUserPasswd(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "user passwd", "user passwd NAME [flags]", `
Sets the password a user signs in to the web UI with, and ends the user's
web sessions. On a terminal it asks for the new password twice without
showing it; otherwise it reads the first line of standard input. A password
needs at least 12 characters. API tokens are not affected.

Examples:
  crossguard user passwd amina
  printf '%s\n' "$PASSWORD" | crossguard user passwd amina`)
	c.register(fs, env)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	var password string
	if fd, ok := terminal(env.Stdin); ok {
		password, err = promptPassword(env, fd, pos[0])
	} else {
		password, err = readPasswordLine(env.Stdin)
	}
	if err != nil {
		return err
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		if err := setPassword(ctx, env, o, pos[0], password); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Set the password of %s for the web UI; its web sessions ended.\n", pos[0])
		return nil
	})
}

// setPassword hashes password (argon2id) and stores it as user's.
func setPassword(ctx context.Context, env *Env, o *opened, user, password string) error {
	return auth.SetPassword(ctx, o.Node.Store, cliActor(env), user, password, auth.DefaultParams, o.Node.Core.Clock.Now().UTC())
}

// terminal returns the file descriptor of r if r is a terminal.
func terminal(r io.Reader) (int, bool) {
	f, ok := r.(interface{ Fd() uintptr })
	if !ok {
		return 0, false
	}
	fd := int(f.Fd())
	return fd, term.IsTerminal(fd)
}

// readPasswordLine reads a password from the first line of r, without its
// line ending, and checks it.
func readPasswordLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 4*auth.MaxPasswordLength+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from standard input: %w", err)
	}
	password := strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if password == "" {
		return "", crossguard.Errorf(crossguard.EINVALID, "no password on standard input: give it as the first line")
	}
	return password, auth.CheckPassword(password)
}

// promptPassword asks on the terminal fd for a new password twice, without
// echo, and checks it.
func promptPassword(env *Env, fd int, user string) (string, error) {
	fmt.Fprintf(env.Stderr, "New password for %s (at least %d characters): ", user, auth.MinPasswordLength)
	first, err := term.ReadPassword(fd)
	fmt.Fprintln(env.Stderr)
	if err != nil {
		return "", fmt.Errorf("read the password: %w", err)
	}
	if err := auth.CheckPassword(string(first)); err != nil {
		return "", err
	}
	fmt.Fprint(env.Stderr, "Repeat the password: ")
	second, err := term.ReadPassword(fd)
	fmt.Fprintln(env.Stderr)
	if err != nil {
		return "", fmt.Errorf("read the password: %w", err)
	}
	if string(first) != string(second) {
		return "", crossguard.Errorf(crossguard.EINVALID, "the two passwords differ: nothing changed")
	}
	return string(first), nil
}
