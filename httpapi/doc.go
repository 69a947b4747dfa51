// Package httpapi is the JSON API of a crossguard node: seizures, reference
// data, the node's identity, users and the audit log, for people and
// programs holding an API token.
//
// Every endpoint but /healthz requires a bearer token; a role matrix
// (crossguard.Can) decides what each role may do, and refusals are audited.
// Handlers return errors, and one function turns an error into a status and
// a JSON body of the form documented in API.md, so that clients see one
// error format and internal details stay in the log.
package httpapi
