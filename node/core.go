package node

import (
	"log/slog"

	"crossguard"

	"github.com/google/uuid"
)

// Core is what every service of a node shares: the node's identity, its
// clock, its source of record ids and its logger. The services hold the
// same *Core, so that a key rotation (which changes Info.PublicKey) or a
// test's fixed clock reaches all of them.
type Core struct {
	Info   crossguard.NodeInfo
	Clock  crossguard.Clock
	NewID  func() string
	Logger *slog.Logger
}

// NewCore returns the core of node info with the system clock and UUIDv7
// ids, logging to logger (nil discards logs).
func NewCore(info crossguard.NodeInfo, logger *slog.Logger) *Core {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Core{Info: info, Clock: crossguard.SystemClock{}, NewID: NewUUIDv7, Logger: logger}
}

// NewUUIDv7 returns a new time-ordered UUID (RFC 9562 version 7).
func NewUUIDv7() string {
	return uuid.Must(uuid.NewV7()).String()
}
