// Package sqlite stores a crossguard node in one SQLite file: the embedded
// database of a border post or a small agency. It implements
// crossguard.Store with modernc.org/sqlite (pure Go, no cgo), a single
// writer connection whose transactions begin IMMEDIATE and a pool of
// read-only connections, in WAL mode, so that a command-line import and a
// running server can write the same file safely.
//
// Every write transaction first reads and then advances the heads row (the
// last change sequence number and the last audit entry), which gives
// gap-free change numbers in commit order and one audit chain across
// processes.
package sqlite
