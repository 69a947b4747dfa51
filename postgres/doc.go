// Package postgres stores a crossguard node's records in PostgreSQL, for
// headquarters nodes that outgrow the embedded SQLite database. It
// implements crossguard.Store with the same tables and behaviour as the
// sqlite package, so that both pass the one conformance suite in storetest.
//
// Writers serialize on the single row of the heads table (SELECT ... FOR
// UPDATE), which keeps change sequence numbers gap-free in commit order and
// the audit log a single hash chain, even when several processes write the
// same database. Records received from peers live in the same tables as
// own ones (with the peer they came via, the path they came along and the
// origin's signed version); the sources table keeps every peer that
// offered each copy, which is held while one of them supports its version.
// They take their change sequence numbers under the same lock, so that the
// change feed served to peers is one gap-free sequence.
package postgres
