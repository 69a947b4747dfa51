// Package testnode gives tests a node whose services are all at hand on
// one value, wired by package wiring as a serving node is, so that a test
// calls n.CreateSeizure or n.Decide without naming the service. It is for
// tests only: code outside tests takes the service it uses.
package testnode

import (
	"log/slog"

	"crossguard"
	"crossguard/internal/wiring"
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
// ids, logging to logger (nil discards logs), its services wired by
// package wiring.
func New(info crossguard.NodeInfo, store crossguard.Store, logger *slog.Logger) *Node {
	s := wiring.New(info, store, logger)
	return &Node{Core: s.Core, Sharing: s.Sharing, Cooperation: s.Cooperation, Targeting: s.Targeting,
		Admin: s.Admin, Store: s.Store}
}
