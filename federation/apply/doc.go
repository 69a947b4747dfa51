// Package apply decides what a received federation page does to what a
// node holds, and what the node's own removal of received copies does
// (retention, a removed peer's purge, the quarantine of a version it
// would now refuse): which versions to store, from which peer and along
// which path, which offers only add or change a source, which copies
// switch to another source or are withdrawn (and why), which items are
// refused (and why), which source rows change, what the page's audit
// entries and the peer's status say, which versions go into the
// quarantine, and in which order rows take their change sequence
// numbers.
//
// It is the one place these rules live. It does no I/O and knows no
// database: a store reads what it holds for the ids at hand (Held: rows
// and their sources), calls Page, Remove, Purge or Quarantine, and writes
// the Batch that comes back in one transaction. It imports the crossguard
// domain package, storekit and the standard library only, never
// federation or a store, so that both stores (sqlite, postgres) can
// import it.
//
// # The order of checks
//
// Each record version of a page is judged against the row held for its id
// as the page has left it so far (an id named twice in a page is judged
// the second time against what the first occurrence left), in this order;
// the first rule that applies decides:
//
//  1. A row held as another kind: refused ("record ID is a K, not a K2").
//  2. A row held under another origin: refused ("record ID belongs to O,
//     not O2").
//  3. A version of this node's own record: refused ("a version of this
//     node's own record").
//  4. A path through this node (a loop): the sender's copy depends on
//     this one, so the sender stops being a source, as if it had
//     withdrawn; a live copy left without support switches or goes
//     (ReasonLoop). Counted as Looped.
//  5. A version older than the row's: refused as a replay.
//  6. The version held (and not withdrawn): unchanged; a live offer makes
//     the sender a source, and if the sender is the copy's current source
//     and its path changed, the copy takes the new path.
//  7. A live seizure without its decoded record, or a live record of
//     another kind without its signed record: an error, and the page is
//     not applied.
//  8. Otherwise the version is stored, from the sender along its path; a
//     tombstone (deleted) drops every source of the record.
//
// Then each withdrawal, in page order: of an id not held, nothing; of the
// node's own record, refused; from a source of the copy, the peer stops
// being one (a deleted copy stays as it is, a live one switches or goes);
// from a peer that is not a source of a live copy, refused.
//
// A live received copy that loses a source stays if its current source
// still offers its version; otherwise it switches to the source with the
// lowest peer id that does; otherwise it is withdrawn: it keeps only what
// names it, and the feed serves a withdrawal of it on.
package apply
