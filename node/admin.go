package node

import (
	"context"

	"crossguard"
)

// AdminStore is the storage Admin uses: the users and their tokens, the
// audit log, what retention removes, and the agreements that set
// retention.
type AdminStore interface {
	crossguard.UserStore
	crossguard.AuditStore
	crossguard.RetentionStore
	// RecordsOfKind reads the agreements that set retention (see
	// crossguard.RecordEditor).
	RecordsOfKind(ctx context.Context, kind string) ([]*crossguard.Record, error)
}

// Admin is the part of a node that administers it: its users and their
// API tokens, authentication, the audit log, and retention.
type Admin struct {
	*Core

	store AdminStore
}

// NewAdmin returns the administration service of core over store.
func NewAdmin(core *Core, store AdminStore) *Admin {
	return &Admin{Core: core, store: store}
}

// Users lists the node's users, revoked ones included.
func (ad *Admin) Users(ctx context.Context) ([]*crossguard.User, error) {
	return ad.store.Users(ctx)
}

// ListAudit returns one page of the audit log, newest first.
func (ad *Admin) ListAudit(ctx context.Context, f crossguard.AuditFilter) (*crossguard.AuditPage, error) {
	return ad.store.ListAudit(ctx, f)
}

// VerifyAudit walks the whole audit chain and returns how many entries
// verified, or a *crossguard.AuditBreak naming the first broken one.
func (ad *Admin) VerifyAudit(ctx context.Context) (int64, error) {
	return crossguard.VerifyAudit(ctx, ad.store)
}
