// Package node is one agency's crossguard node seen from the inside, the
// layer between the ways in (the JSON API, the web pages, the command
// line) and the store, so that the rules hold whichever way a record comes
// in. It validates and stamps records before they reach the store, checks
// that only the origin writes a record, and audits reads of other
// origins' records.
//
// Through it the node keeps seizures and their version history,
// annotations, cooperation agreements with their progress reports and
// activities, and joint operations with their warnings, feedback, messages
// and report. It runs risk targeting: profiles, the watch list and models,
// the decisions on declarations and the inspections that feed their hit
// rates, reloaded while serving. It manages users and their API tokens,
// peers and their sharing policy, the rotation of the node's key,
// retention (status, apply, and a loop that applies it while serving), and
// the dashboard's figures.
package node
