// Package wiring builds the services of one node over its store: the one
// place where node.Sharing, node.Cooperation, node.Targeting and
// node.Admin are put together, for the serving node, the other commands,
// the demo's nodes and the tests' nodes alike.
package wiring

import (
	"log/slog"

	"crossguard"
	"crossguard/node"
)

// Services are the services of one node and the store they share. It only
// groups them: each consumer takes the service, or the narrow interface,
// it uses.
type Services struct {
	// Core is the identity, clock, id source and logger every service
	// shares.
	Core *node.Core
	// Store is the node's store, which the services and the other ways in
	// (federation, sign-in) read and write.
	Store       crossguard.Store
	Sharing     *node.Sharing
	Cooperation *node.Cooperation
	Targeting   *node.Targeting
	Admin       *node.Admin
}

// New wires the services of node info over store, with the system clock
// and UUIDv7 ids, logging to logger (nil discards logs).
func New(info crossguard.NodeInfo, store crossguard.Store, logger *slog.Logger) *Services {
	core := node.NewCore(info, logger)
	sharing := node.NewSharing(core, store)
	targeting := node.NewTargeting(core, store)
	return &Services{
		Core:        core,
		Store:       store,
		Sharing:     sharing,
		Cooperation: node.NewCooperation(core, store, sharing, targeting),
		Targeting:   targeting,
		Admin:       node.NewAdmin(core, store),
	}
}
