package storetest

import (
	"context"
	"testing"

	"crossguard"
)

// ChangeSeqer is implemented by stores that can report the change sequence
// number of a record's latest version (the seq column of the specification).
// It is not part of crossguard.Store: the suite uses it to check that every
// create, update and delete takes the next number, with no gaps, in commit
// order, which the federation change feed relies on. Both backends
// implement it; the subtests that need it fail on a store that does not.
type ChangeSeqer interface {
	ChangeSeq(ctx context.Context, id string) (int64, error)
}

// Opener returns a fresh, empty, migrated store on which InitNode has not
// been called. It registers the store's Close with t.Cleanup.
type Opener func(t *testing.T) crossguard.Store

// Run runs the conformance suite against the stores that open returns.
// Every subtest opens its own store and runs in parallel with the others.
//
// Seizures must read back exactly as written, times to the nanosecond
// (their JSON holds them). The times of nodes, users and imports are
// compared at microsecond precision, the precision of PostgreSQL's
// timestamptz; audit entries are chained at microsecond precision anyway.
//
// The federation groups (Peers, Records, Feed, Shares, Apply) need the
// store to implement FederationStore and fail on one that does not. They
// bind the store to the node Origin and exchange with the peers PeerA and
// PeerB, relaying records of OriginC; the refusal reasons they expect are
// the words of the storage specification, since peers' statuses show them.
func Run(t *testing.T, open func(t *testing.T) crossguard.Store) {
	groups := []struct {
		name string
		run  func(t *testing.T, open Opener)
	}{
		{"Schema", testSchema},
		{"Node", testNode},
		{"Seizures", testSeizures},
		{"SeizureVersions", testSeizureVersions},
		{"ChangeSeq", testChangeSeq},
		{"List", testList},
		{"Pagination", testPagination},
		{"ListOrder", testListOrder},
		{"Search", testSearch},
		{"Users", testUsers},
		{"Sessions", testSessions},
		{"UserLanguage", testUserLanguage},
		{"Audit", testAudit},
		{"AuditHeads", testAuditHeads},
		{"Concurrency", testConcurrency},
		{"Imports", testImports},
		{"Peers", testPeers},
		{"KeyHistory", testKeyHistory},
		{"Records", testRecords},
		{"RecordEdit", testRecordEdit},
		{"Feed", testFeed},
		{"Shares", testShares},
		{"PolicyVersion", testPolicyVersion},
		{"Apply", testApply},
		{"Refusals", testRefusals},
		{"RefusalStatus", testRefusalStatus},
		{"Counters", testCounters},
		{"Quarantine", testQuarantine},
		{"Risk", testRisk},
		{"Tallies", testTallies},
		{"RiskQueue", testRiskQueue},
		{"Retention", testRetention},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			g.run(t, open)
		})
	}
}
