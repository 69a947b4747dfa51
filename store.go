package crossguard

import (
	"context"
	"time"
)

// AuditStore is the append-only, hash-chained audit log.
type AuditStore interface {
	// AppendAudit appends e, setting its Seq, PrevHash and Hash.
	AppendAudit(ctx context.Context, e *AuditEntry) error
	// ListAudit returns entries matching f, newest first.
	ListAudit(ctx context.Context, f AuditFilter) (*AuditPage, error)
	// WalkAudit calls fn for every entry in chain order (oldest first),
	// stopping at fn's first error.
	WalkAudit(ctx context.Context, fn func(*AuditEntry) error) error
	// AuditHead returns the sequence number and hash of the last entry as
	// the store's head records them (0 and GenesisHash for an empty log),
	// so that verification notices entries cut off the end of the chain.
	AuditHead(ctx context.Context) (seq int64, hash string, err error)
}

// NodeInfo is the identity of the node a database belongs to.
type NodeInfo struct {
	ID        string    `json:"id"` // AGENCY/NODE
	Agency    string    `json:"agency"`
	Node      string    `json:"node"`
	Country   string    `json:"country"`
	Name      string    `json:"name"`
	PublicKey string    `json:"public_key"` // base64 of the Ed25519 public key
	CreatedAt time.Time `json:"created_at"`
}

// SchemaStore applies and reports the embedded, ordered migrations.
type SchemaStore interface {
	// SchemaVersion returns the version the database is at and the latest
	// version this binary knows.
	SchemaVersion(ctx context.Context) (current, latest int, err error)
	// Migrate applies every pending migration, each in its own transaction,
	// and returns how many it applied. It refuses a database that is ahead.
	Migrate(ctx context.Context) (int, error)
}

// NodeStore binds a database to one node.
type NodeStore interface {
	// InitNode records the node's identity; ECONFLICT if the database already
	// belongs to a node.
	InitNode(ctx context.Context, n *NodeInfo) error
	// Node returns the node's identity, or ENOTFOUND before InitNode.
	Node(ctx context.Context) (*NodeInfo, error)
}

// Names of the running totals a store keeps (see CounterStore).
const (
	CounterDecisions  = "decisions"   // channel decisions made, by channel
	CounterImportRows = "import_rows" // rows of CSV imports of seizures and declarations, by outcome: imported or rejected
)

// CounterStore reads the running totals a store keeps for monitoring. They
// only grow: deleting the rows they counted (retention, a forgotten
// import) does not take them back, so that they serve as Prometheus
// counters that survive a restart.
type CounterStore interface {
	// Counters returns the totals of the counter name by label; labels
	// never counted are absent.
	Counters(ctx context.Context, name string) (map[string]int64, error)
}

// Store is everything a node keeps in its database.
type Store interface {
	SchemaStore
	NodeStore
	SeizureStore
	SeizureVersionStore
	ImportStore
	UserStore
	UserLanguageStore
	SessionStore
	AuditStore
	PeerStore
	KeyStore
	FeedStore
	QuarantineStore
	RecordStore
	RecordEditor
	RiskStore
	TallyStore
	AuditHeadStore
	CounterStore
	RetentionStore
	Close() error
}
