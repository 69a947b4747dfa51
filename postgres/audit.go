package postgres

import (
	"context"
	"fmt"
	"strconv"

	"crossguard"

	"github.com/jackc/pgx/v5"
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

// auditColumns are the columns of an audit entry, in scanEntry's order.
const auditColumns = `seq, at, actor, action, record_kind, record_id, outcome, detail, prev_hash, hash`

// scanTargets returns the destinations for scanning one audit row into e.
func scanTargets(e *crossguard.AuditEntry) []any {
	return []any{&e.Seq, &e.At, &e.Actor, &e.Action, &e.RecordKind, &e.RecordID, &e.Outcome, &e.Detail, &e.PrevHash, &e.Hash}
}

// ListAudit returns the entries matching f, newest first, one page at a time.
func (s *Store) ListAudit(ctx context.Context, f crossguard.AuditFilter) (*crossguard.AuditPage, error) {
	limit, err := crossguard.PageSize(f.Limit)
	if err != nil {
		return nil, err
	}
	var q query
	q.where("actor", "=", f.Actor, f.Actor != "")
	q.where("action", "=", f.Action, f.Action != "")
	q.where("record_id", "=", f.RecordID, f.RecordID != "")
	q.where("at", ">=", f.From, !f.From.IsZero())
	q.where("at", "<", f.To, !f.To.IsZero())
	if f.Cursor != "" {
		seq, err := crossguard.DecodeAuditCursor(f.Cursor)
		if err != nil {
			return nil, err
		}
		q.where("seq", "<", seq, true)
	}
	sql := `SELECT ` + auditColumns + ` FROM audit` + q.whereClause() +
		` ORDER BY seq DESC LIMIT ` + strconv.Itoa(limit+1)
	rows, err := s.pool.Query(ctx, sql, q.args...)
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	page := &crossguard.AuditPage{Items: []*crossguard.AuditEntry{}}
	var e crossguard.AuditEntry
	_, err = pgx.ForEachRow(rows, scanTargets(&e), func() error {
		c := e
		c.At = c.At.UTC()
		page.Items = append(page.Items, &c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.NextCursor = crossguard.EncodeAuditCursor(page.Items[limit-1].Seq)
	}
	return page, nil
}

// walkChunk is how many entries WalkAudit reads per query, so that walking
// a long log holds only one chunk in memory.
const walkChunk = 1000

// WalkAudit calls fn for every entry in chain order (oldest first), reading
// the log in chunks, and stops at fn's first error.
func (s *Store) WalkAudit(ctx context.Context, fn func(*crossguard.AuditEntry) error) error {
	return s.WalkAuditAfter(ctx, 0, fn)
}

// WalkAuditAfter calls fn for every entry after seq after, in chain
// order, as WalkAudit does.
func (s *Store) WalkAuditAfter(ctx context.Context, after int64, fn func(*crossguard.AuditEntry) error) error {
	for {
		rows, err := s.pool.Query(ctx, `SELECT `+auditColumns+` FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2`, after, walkChunk)
		if err != nil {
			return fmt.Errorf("walk audit: %w", err)
		}
		var chunk []*crossguard.AuditEntry
		var e crossguard.AuditEntry
		_, err = pgx.ForEachRow(rows, scanTargets(&e), func() error {
			c := e
			c.At = c.At.UTC()
			chunk = append(chunk, &c)
			return nil
		})
		if err != nil {
			return fmt.Errorf("walk audit: %w", err)
		}
		for _, c := range chunk {
			if err := fn(c); err != nil {
				return err
			}
		}
		if len(chunk) < walkChunk {
			return nil
		}
		after = chunk[len(chunk)-1].Seq
	}
}
