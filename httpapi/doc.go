// Package httpapi is the JSON API of a crossguard node, for people and
// programs holding an API token: seizures and annotations; cooperation
// agreements, their progress reports and activities (also as an
// iCalendar feed); joint operations with their warnings, feedback,
// messages and report; declarations and their risk decisions, inspection
// results and hit rates; risk profiles, the watch list and models;
// reference data; the node's identity, users and peers; and the audit log
// and its verification. /healthz answers without a token and /metrics
// serves Prometheus metrics. httpapi/API.md documents every endpoint.
//
// Every endpoint but /healthz requires a bearer token; a role matrix
// (crossguard.Can) decides what each role may do, and refusals are audited.
// Handlers return errors, and one function turns an error into a status and
// a JSON body of the form documented in API.md, so that clients see one
// error format and internal details stay in the log. A write that keeps
// personal data in a local record answers with warnings beside the record.
//
// The work itself is done by the services of package node, so that the
// rules hold as they do on the command line and in the web pages. httpapi
// declares what its handlers use of them (Seizures, Peers, Cooperation,
// Targeting, Users) and of the store (the audit log, Health, MetricsStore),
// and New takes them as Services. A Server can also serve the web
// interface (package web) on the same listener, and Serve shuts down
// gracefully when its context ends.
package httpapi
