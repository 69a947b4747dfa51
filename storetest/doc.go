// Package storetest is the one conformance suite that every crossguard
// storage backend (sqlite, postgres) must pass, so that a node behaves the
// same whichever database it runs on. Run drives a backend through every
// method and rule of the storage specification; the builders (NewSeizure,
// NewSeizures, NewNodeInfo, NewUser) make valid, varied records that tests
// and benchmarks in other packages reuse. The benchmarks both backends
// run are here too (RunListBenchmark, BenchCreateSeizures, BenchApplyPage,
// BenchSaveDeclarations, BenchTallies, BenchCreateSeizuresTallies): each
// backend calls them with its way of opening a store and its baselines.
// So are the checks that need a database the Opener cannot give, one not
// yet migrated or left by an earlier binary (MigrateNew,
// RefusesNewerSchema, PeerRefusalsBackfill, TalliesBackfill): each backend
// prepares the database its own way and calls them.
package storetest
