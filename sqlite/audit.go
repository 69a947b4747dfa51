package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"crossguard"
)

// AppendAudit appends e in its own transaction, setting its Seq, PrevHash
// and Hash.
func (s *Store) AppendAudit(ctx context.Context, e *crossguard.AuditEntry) error {
	return s.write(ctx, "append audit entry", func(tx *writeTx) error { return tx.audit(ctx, e) })
}

// auditColumns are the columns scanAudit reads, in order.
const auditColumns = `seq, at, actor, action, record_kind, record_id, outcome, detail, prev_hash, hash`

// scanAudit reads one entry of auditColumns.
func scanAudit(rows *sql.Rows) (*crossguard.AuditEntry, error) {
	var e crossguard.AuditEntry
	var at string
	if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.RecordKind, &e.RecordID, &e.Outcome, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
		return nil, err
	}
	t, err := parseTime(at)
	if err != nil {
		return nil, fmt.Errorf("audit entry %d: %w", e.Seq, err)
	}
	e.At = t
	return &e, nil
}

// ListAudit returns entries matching f, newest first.
func (s *Store) ListAudit(ctx context.Context, f crossguard.AuditFilter) (*crossguard.AuditPage, error) {
	limit, err := crossguard.PageSize(f.Limit)
	if err != nil {
		return nil, err
	}
	var where []string
	var args []any
	add := func(cond string, arg any) {
		where = append(where, cond)
		args = append(args, arg)
	}
	if f.Cursor != "" {
		seq, err := crossguard.DecodeAuditCursor(f.Cursor)
		if err != nil {
			return nil, err
		}
		add("seq < ?", seq)
	}
	if f.Actor != "" {
		add("actor = ?", f.Actor)
	}
	if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.RecordID != "" {
		add("record_id = ?", f.RecordID)
	}
	if !f.From.IsZero() {
		add("at >= ?", formatAuditTime(f.From.Add(999*time.Nanosecond).Truncate(time.Microsecond)))
	}
	if !f.To.IsZero() {
		add("at < ?", formatAuditTime(f.To.Add(999*time.Nanosecond).Truncate(time.Microsecond)))
	}
	q := `SELECT ` + auditColumns + ` FROM audit`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY seq DESC LIMIT ?`
	args = append(args, limit+1)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	defer rows.Close()
	page := &crossguard.AuditPage{Items: []*crossguard.AuditEntry{}}
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, fmt.Errorf("list audit: %w", err)
		}
		page.Items = append(page.Items, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.NextCursor = crossguard.EncodeAuditCursor(page.Items[limit-1].Seq)
	}
	return page, nil
}

// walkChunk is how many entries WalkAudit reads at a time.
const walkChunk = 1000

// WalkAudit calls fn for every entry, oldest first, reading the log in
// chunks so that memory stays bounded however long it is. It stops at fn's
// first error and returns it.
func (s *Store) WalkAudit(ctx context.Context, fn func(*crossguard.AuditEntry) error) error {
	return s.WalkAuditAfter(ctx, 0, fn)
}

// WalkAuditAfter calls fn for every entry after seq after, oldest first,
// as WalkAudit does.
func (s *Store) WalkAuditAfter(ctx context.Context, after int64, fn func(*crossguard.AuditEntry) error) error {
	for {
		chunk, err := s.auditChunk(ctx, after)
		if err != nil {
			return err
		}
		for _, e := range chunk {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(chunk) < walkChunk {
			return nil
		}
		after = chunk[len(chunk)-1].Seq
	}
}

// auditChunk reads up to walkChunk entries after seq.
func (s *Store) auditChunk(ctx context.Context, after int64) ([]*crossguard.AuditEntry, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit WHERE seq > ? ORDER BY seq LIMIT ?`, after, walkChunk)
	if err != nil {
		return nil, fmt.Errorf("walk audit after %d: %w", after, err)
	}
	defer rows.Close()
	chunk := make([]*crossguard.AuditEntry, 0, walkChunk)
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, fmt.Errorf("walk audit after %d: %w", after, err)
		}
		chunk = append(chunk, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("walk audit after %d: %w", after, err)
	}
	return chunk, nil
}
