package storekit

import (
	"fmt"
	"strings"
	"time"

	"crossguard"
)

// ScanAuditEntry reads an audit entry from the columns seq, at, actor,
// action, record_kind, record_id, outcome, detail, prev_hash and hash.
func ScanAuditEntry(scan Scan) (*crossguard.AuditEntry, error) {
	var e crossguard.AuditEntry
	var at Time
	if err := scan(&e.Seq, &at, &e.Actor, &e.Action, &e.RecordKind, &e.RecordID, &e.Outcome, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
		return nil, err
	}
	e.At = at.Time
	return &e, nil
}

// AuditQuery returns the query of a page of the audit log for f, and the
// size of the page: head (which selects from audit) with the conditions
// of f, newest first, limited to one row more than the page so as to know
// whether another follows. arg adds a value to the query's arguments and
// returns its placeholder; the bounds of f are time.Time values.
func AuditQuery(head string, f crossguard.AuditFilter, arg func(v any) string) (string, int, error) {
	limit, err := crossguard.PageSize(f.Limit)
	if err != nil {
		return "", 0, err
	}
	var where []string
	add := func(cond string, v any) { where = append(where, cond+" "+arg(v)) }
	if f.Cursor != "" {
		seq, err := crossguard.DecodeAuditCursor(f.Cursor)
		if err != nil {
			return "", 0, err
		}
		add("seq <", seq)
	}
	if f.Actor != "" {
		add("actor =", f.Actor)
	}
	if f.Action != "" {
		add("action =", f.Action)
	}
	if f.RecordID != "" {
		add("record_id =", f.RecordID)
	}
	// The log keeps microseconds: at >= t and at < t hold of a stored
	// time exactly when they hold of t rounded up to the microsecond,
	// whatever a driver does with the nanoseconds it is given.
	if !f.From.IsZero() {
		add("at >=", ceilMicro(f.From))
	}
	if !f.To.IsZero() {
		add("at <", ceilMicro(f.To))
	}
	q := head
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return q + " ORDER BY seq DESC LIMIT " + arg(limit+1), limit, nil
}

// ceilMicro rounds t up to the microsecond.
func ceilMicro(t time.Time) time.Time {
	if r := t.Truncate(time.Microsecond); r.Before(t) {
		return r.Add(time.Microsecond)
	}
	return t
}

// AuditPage returns the page of the audit log of items, newest first,
// read with one more than limit so as to know whether another page
// follows.
func AuditPage(items []*crossguard.AuditEntry, limit int) *crossguard.AuditPage {
	page := &crossguard.AuditPage{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		page.NextCursor = crossguard.EncodeAuditCursor(page.Items[limit-1].Seq)
	}
	return page
}

// AuditWalkChunk is how many entries WalkAudit asks for at a time, so
// that walking a long log holds only one chunk in memory.
const AuditWalkChunk = 1000

// WalkAudit calls fn for every entry after seq after, in chain order
// (oldest first), reading them with chunk, which returns up to
// AuditWalkChunk entries after a seq in that order. It stops at the
// first error of chunk or fn and returns it.
func WalkAudit(after int64, chunk func(after int64) ([]*crossguard.AuditEntry, error), fn func(*crossguard.AuditEntry) error) error {
	for {
		entries, err := chunk(after)
		if err != nil {
			return fmt.Errorf("walk audit after %d: %w", after, err)
		}
		for _, e := range entries {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(entries) < AuditWalkChunk {
			return nil
		}
		after = entries[len(entries)-1].Seq
	}
}

// ScanAuditHead reads an audit head held from the columns signed, sig,
// via ("" for an own head) and received_at.
func ScanAuditHead(scan Scan) (*crossguard.HeldAuditHead, error) {
	var h crossguard.HeldAuditHead
	var signed string
	var at Time
	if err := scan(&signed, &h.Signed.Signature, &h.Via, &at); err != nil {
		return nil, err
	}
	h.ReceivedAt = at.Time
	h.Signed.Record = []byte(signed)
	var err error
	if h.Head, err = crossguard.DecodeAuditHead(h.Signed.Record, nil); err != nil {
		return nil, fmt.Errorf("stored audit head: %w", err)
	}
	return &h, nil
}
