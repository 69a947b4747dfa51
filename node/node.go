package node

import (
	"log/slog"
	"sync"

	"crossguard"

	"github.com/google/uuid"
)

// Node is a running node: its identity, its store and its clock.
type Node struct {
	Info   crossguard.NodeInfo
	Store  crossguard.Store
	Clock  crossguard.Clock
	NewID  func() string
	Logger *slog.Logger
	// FederationURL is where peers reach this node's federation listener;
	// it goes on the node card.
	FederationURL string

	riskMu sync.Mutex
	risk   *Targeting
}

// New returns a node over store with the system clock and UUIDv7 ids.
func New(info crossguard.NodeInfo, store crossguard.Store, logger *slog.Logger) *Node {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Node{Info: info, Store: store, Clock: crossguard.SystemClock{}, NewID: NewUUIDv7, Logger: logger}
}

// NewUUIDv7 returns a new time-ordered UUID (RFC 9562 version 7).
func NewUUIDv7() string {
	return uuid.Must(uuid.NewV7()).String()
}
