// Package web serves the browser interface of a crossguard node: the
// sign-in page, the signed-in pages and their embedded assets (templates,
// one style sheet, message catalogs in English, Simplified Chinese and
// Urdu).
//
// Every page is rendered on the server from embedded files, so the
// interface works on a slow link and never asks the browser to fetch
// anything from another host. Pages carry a strict Content-Security-Policy
// (no inline script or style), forms are protected against cross-site
// request forgery, and the session lives in a Secure, HttpOnly,
// SameSite=Strict cookie. Sign-in, sessions and CSRF secrets are delegated
// to an Authenticator, which the caller supplies.
package web
