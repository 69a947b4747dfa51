// Package auth signs people in to the web UI with a user name and
// password: argon2id password hashes in the PHC string format, sessions
// whose tokens the store keeps only as SHA-256 hashes, idle and absolute
// session expiry, a random CSRF secret kept with each session, and a
// bounded limiter of failed sign-ins per user and per client address. The
// session cookie and the checking of form tokens belong to package web,
// which uses this package through web.NodeAuth. API tokens, for machines,
// stay with package node.
package auth
