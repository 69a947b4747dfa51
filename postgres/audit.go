package postgres

import (
	"context"
	"fmt"

	"crossguard"
	"crossguard/storekit"
)

// AppendAudit appends e in its own transaction, setting its Seq, PrevHash
// and Hash.
func (s *Store) AppendAudit(ctx context.Context, e *crossguard.AuditEntry) error {
	err := s.write(ctx, func(w *writeTx) error {
		w.audit(e)
		return nil
	})
	if err != nil {
		return fmt.Errorf("append audit %s: %w", e.Action, err)
	}
	return nil
}

// auditColumns are the columns storekit.ScanAuditEntry reads, in order.
const auditColumns = `seq, at, actor, action, record_kind, record_id, outcome, detail, prev_hash, hash`

// ListAudit returns the entries matching f, newest first, one page at a time.
func (s *Store) ListAudit(ctx context.Context, f crossguard.AuditFilter) (*crossguard.AuditPage, error) {
	var qb query
	q, limit, err := storekit.AuditQuery(`SELECT `+auditColumns+` FROM audit`, f, qb.arg)
	if err != nil {
		return nil, err
	}
	items, err := queryRows(ctx, s.pool, "list audit", storekit.All(storekit.ScanAuditEntry), q, qb.args...)
	if err != nil {
		return nil, err
	}
	return storekit.AuditPage(items, limit), nil
}

// WalkAudit calls fn for every entry in chain order (oldest first), reading
// the log in chunks, and stops at fn's first error.
func (s *Store) WalkAudit(ctx context.Context, fn func(*crossguard.AuditEntry) error) error {
	return s.WalkAuditAfter(ctx, 0, fn)
}

// WalkAuditAfter calls fn for every entry after seq after, in chain
// order, as WalkAudit does.
func (s *Store) WalkAuditAfter(ctx context.Context, after int64, fn func(*crossguard.AuditEntry) error) error {
	return storekit.WalkAudit(after, func(after int64) ([]*crossguard.AuditEntry, error) {
		return queryRows(ctx, s.pool, "read audit", storekit.All(storekit.ScanAuditEntry), `SELECT `+auditColumns+` FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2`, after, storekit.AuditWalkChunk)
	}, fn)
}
