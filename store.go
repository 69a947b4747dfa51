package crossguard

import (
	"context"
	"time"
)

// SeizureFilter selects seizures for a list. Zero fields do not filter.
type SeizureFilter struct {
	From      time.Time // occurred_at at or after From
	To        time.Time // occurred_at before To
	Category  string    // any goods line of this category
	HS        string    // any goods line whose HS code starts with these digits
	Country   string    // the seizure's country
	Query     string    // full-text search over goods descriptions and narrative
	Origin    string    // only records of this origin node (AGENCY/NODE)
	NotOrigin string    // only records of origins other than this node
	// Place keeps seizures whose place name contains these characters,
	// ignoring case, or whose UN/LOCODE is exactly this code (any case).
	Place string
	// Oldest lists oldest occurred_at first, ties by id ascending, instead
	// of newest first; cursors of one order are refused in the other.
	Oldest bool
	Limit  int    // page size; 0 means DefaultPageSize, capped at MaxPageSize
	Cursor string // opaque cursor from a previous page's NextCursor
}

// SeizurePage is one page of a seizure list, newest occurred_at first (ties
// broken by id, descending), or the reverse if the filter asks for Oldest.
// NextCursor is empty on the last page.
type SeizurePage struct {
	Items      []*Seizure `json:"items"`
	NextCursor string     `json:"next_cursor"`
}

// ImportProgress is the durable state of one CSV import, keyed by the
// SHA-256 of the file, so that an import killed part way resumes after the
// last committed batch instead of duplicating records.
type ImportProgress struct {
	FileHash   string     `json:"file_hash"`
	FileName   string     `json:"file_name"`
	LinesDone  int64      `json:"lines_done"` // input lines consumed, header included
	Imported   int64      `json:"imported"`
	Rejected   int64      `json:"rejected"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	// From is the LinesDone this progress advances from. Stores save it
	// only if no progress is saved for the file or the saved progress is
	// still at From, and fail with ECONFLICT otherwise, so that two imports
	// of one file running at once can never both store the same rows.
	From int64 `json:"-"`
}

// SeizureStore persists seizures. Every write appends its audit entry in the
// same transaction, assigns the record the next change sequence number, and
// either happens completely or not at all.
type SeizureStore interface {
	// CreateSeizures inserts fully stamped seizures (id, origin, version 1,
	// timestamps set by the caller) in one transaction. If progress is not
	// nil it is saved in the same transaction, under the rule of
	// ImportProgress.From.
	CreateSeizures(ctx context.Context, actor string, items []*Seizure, progress *ImportProgress) error
	// Seizure returns a live seizure, or ENOTFOUND if it never existed or was
	// deleted.
	Seizure(ctx context.Context, id string) (*Seizure, error)
	// UpdateSeizure replaces a seizure whose stored version is s.Version-1;
	// otherwise it fails with EPRECONDITIONFAILED (or ENOTFOUND).
	UpdateSeizure(ctx context.Context, actor string, s *Seizure) error
	// DeleteSeizure replaces a seizure with a tombstone at version
	// ifVersion+1, failing with EPRECONDITIONFAILED if the stored version is
	// not ifVersion; ifVersion 0 deletes whatever version is stored.
	DeleteSeizure(ctx context.Context, actor, id string, ifVersion int64, at time.Time) error
	// ListSeizures returns one page of live seizures matching f.
	ListSeizures(ctx context.Context, f SeizureFilter) (*SeizurePage, error)
	// Tombstone returns the header of a deleted seizure, or ENOTFOUND.
	Tombstone(ctx context.Context, id string) (*Header, error)
}

// ImportStore keeps the progress of CSV imports.
type ImportStore interface {
	// ImportProgress returns the saved progress of the file with this hash,
	// or nil if it was never started.
	ImportProgress(ctx context.Context, fileHash string) (*ImportProgress, error)
	// SaveImportProgress saves progress outside of a batch (at the start and
	// the end of an import, and after a batch of rejected rows only), under
	// the rule of ImportProgress.From.
	SaveImportProgress(ctx context.Context, p *ImportProgress) error
	// ForgetImport deletes the saved progress so the file can be imported
	// again from the start.
	ForgetImport(ctx context.Context, fileHash string) error
}

// User is a person or machine with a role on this node. Users hold API
// tokens, stored only as SHA-256 hashes.
type User struct {
	Name      string     `json:"name"`
	Role      string     `json:"role"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	// Language is the interface language (UserLanguages), or "" to follow
	// the browser; see UserLanguageStore.
	Language string `json:"language,omitempty"`
}

// UserStore persists users and their token hashes.
type UserStore interface {
	// CreateUser adds a user with one token; ECONFLICT if the name is taken.
	CreateUser(ctx context.Context, actor string, u *User, tokenHash string) error
	// AddToken gives an existing, unrevoked user another token.
	AddToken(ctx context.Context, actor, name, tokenHash string, at time.Time) error
	// UserByToken returns the unrevoked user holding the token with this
	// hash, or EUNAUTHORIZED.
	UserByToken(ctx context.Context, tokenHash string) (*User, error)
	// Users lists all users, revoked ones included, by name.
	Users(ctx context.Context) ([]*User, error)
	// RevokeUser revokes a user and all of its tokens; ENOTFOUND if unknown.
	RevokeUser(ctx context.Context, actor, name string, at time.Time) error
}

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
