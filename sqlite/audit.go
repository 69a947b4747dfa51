package sqlite

import (
	"context"
	"time"

	"crossguard"
	"crossguard/storekit"
)

// AppendAudit appends e in its own transaction, setting its Seq, PrevHash
// and Hash.
func (s *Store) AppendAudit(ctx context.Context, e *crossguard.AuditEntry) error {
	return s.write(ctx, "append audit entry", func(tx *writeTx) error { return tx.audit(ctx, e) })
}

// auditColumns are the columns storekit.ScanAuditEntry reads, in order.
const auditColumns = `seq, at, actor, action, record_kind, record_id, outcome, detail, prev_hash, hash`

// ListAudit returns entries matching f, newest first.
func (s *Store) ListAudit(ctx context.Context, f crossguard.AuditFilter) (*crossguard.AuditPage, error) {
	var args []any
	q, limit, err := storekit.AuditQuery(`SELECT `+auditColumns+` FROM audit`, f, func(v any) string {
		if t, ok := v.(time.Time); ok {
			v = formatAuditTime(t) // already whole microseconds
		}
		args = append(args, v)
		return "?"
	})
	if err != nil {
		return nil, err
	}
	items, err := queryRows(ctx, s.r, "list audit", storekit.All(storekit.ScanAuditEntry), q, args...)
	if err != nil {
		return nil, err
	}
	return storekit.AuditPage(items, limit), nil
}

// WalkAudit calls fn for every entry, oldest first, reading the log in
// chunks so that memory stays bounded however long it is. It stops at fn's
// first error and returns it.
func (s *Store) WalkAudit(ctx context.Context, fn func(*crossguard.AuditEntry) error) error {
	return s.WalkAuditAfter(ctx, 0, fn)
}

// WalkAuditAfter calls fn for every entry after seq after, oldest first,
// as WalkAudit does.
func (s *Store) WalkAuditAfter(ctx context.Context, after int64, fn func(*crossguard.AuditEntry) error) error {
	return storekit.WalkAudit(after, func(after int64) ([]*crossguard.AuditEntry, error) {
		return queryRows(ctx, s.r, "read audit", storekit.All(storekit.ScanAuditEntry), `SELECT `+auditColumns+` FROM audit WHERE seq > ? ORDER BY seq LIMIT ?`, after, storekit.AuditWalkChunk)
	}, fn)
}
