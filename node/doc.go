// Package node is one agency's crossguard node seen from the inside, the
// layer between the ways in (the JSON API, the web pages, the command
// line) and the store, so that the rules hold whichever way a record comes
// in. It validates and stamps records before they reach the store, checks
// that only the origin writes a record, and audits reads of other
// origins' records.
//
// It is four services over one Core (the node's identity, clock, id source
// and logger), each taking only the storage it uses, declared beside it:
//
//   - Sharing (SharingStore) keeps seizures and their version history and
//     annotations, manages the peers and their sharing policy, the purge
//     of a removed peer's copies and the rotation of the node's key, and
//     reads the seizure tallies and the newest records of partners that
//     the start page shows.
//   - Cooperation (CooperationStore) keeps joint operations with their
//     warnings, feedback, messages and report, and cooperation agreements
//     with their progress reports and activities. It widens the sharing of
//     a seizure that feedback links through a SeizureUpdater (Sharing) and
//     reloads targeting after a warning through a TargetingRefresher
//     (Targeting).
//   - Targeting (TargetingStore) runs risk targeting: profiles, the watch
//     list and models, the decisions on declarations and the inspections
//     that feed their hit rates, reloaded while serving.
//   - Admin (AdminStore) manages users and their API tokens,
//     authentication, the audit log and retention (status, apply, and a
//     loop that applies it while serving).
//
// Their consumers declare the small interfaces they use of them; package
// internal/wiring puts them together over one store.
package node
