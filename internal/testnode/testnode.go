// Package testnode gives tests a node whose services are all at hand on
// one value, wired as package wiring wires a serving node, so that a test
// calls n.CreateSeizure or n.Decide without naming the service. It is for
// tests only: code outside tests takes the service it uses. It does not
// import package wiring, which imports httpapi and web, so that the tests
// of those packages can use it.
package testnode

import (
	"log/slog"

	"crossguard"
	"crossguard/node"
)

// Node is a node under test: its core (Info, Clock, NewID, Logger, shared
// by the services), its four services and its store.
type Node struct {
	*node.Core
	*node.Sharing
	*node.Cooperation
	*node.Targeting
	*node.Admin
	Store crossguard.Store
}

// New returns the node info over store with the system clock and UUIDv7
// ids, logging to logger (nil discards logs).
func New(info crossguard.NodeInfo, store crossguard.Store, logger *slog.Logger) *Node {
	core := node.NewCore(info, logger)
	sharing := node.NewSharing(core, store)
	targeting := node.NewTargeting(core, store)
	return &Node{Core: core, Sharing: sharing, Cooperation: node.NewCooperation(core, store, sharing, targeting),
		Targeting: targeting, Admin: node.NewAdmin(core, store), Store: store}
}
