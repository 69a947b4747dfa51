// Package postgres stores a crossguard node's records in PostgreSQL, for
// headquarters nodes that outgrow the embedded SQLite database. It
// implements crossguard.Store with the same tables and behaviour as the
// sqlite package, so that both pass the one conformance suite in storetest.
//
// Writers serialize on the single row of the heads table (SELECT ... FOR
// UPDATE), which keeps change sequence numbers gap-free in commit order and
// the audit log a single hash chain, even when several processes write the
// same database.
package postgres
