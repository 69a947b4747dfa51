package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"crossguard"
	"crossguard/storekit"
)

var _ crossguard.FeedStore = (*Store)(nil)

// changesSQL merges the rows of both record tables after a change
// sequence number, in change order: each arm walks its table's seq index
// and SQLite merges the two without sorting.
const changesSQL = `SELECT seq, deleted, withdrawn, via, signed, sig, path, body FROM seizures WHERE seq > ?1
	UNION ALL
	SELECT seq, deleted, withdrawn, via, signed, sig, path, body FROM records WHERE seq > ?1
	ORDER BY seq LIMIT ?2`

// Changes returns up to limit records whose latest change is after the
// cursor, in change order, and the last change sequence number, both read
// in one snapshot.
func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]*crossguard.Change, int64, error) {
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("read changes: begin: %w", err)
	}
	defer tx.Rollback()
	var head int64
	if err := tx.QueryRowContext(ctx, `SELECT change_seq FROM heads WHERE singleton = 1`).Scan(&head); err != nil {
		return nil, 0, fmt.Errorf("read changes: head: %w", err)
	}
	rows, err := tx.QueryContext(ctx, changesSQL, after, max(limit, 0))
	if err != nil {
		return nil, 0, fmt.Errorf("read changes after %d: %w", after, err)
	}
	defer rows.Close()
	out := make([]*crossguard.Change, 0, min(max(limit, 0), 1000))
	for rows.Next() {
		var c crossguard.Change
		var deleted, withdrawn bool
		var via, signed, sig, path sql.NullString
		var body []byte
		if err := rows.Scan(&c.Seq, &deleted, &withdrawn, &via, &signed, &sig, &path, &body); err != nil {
			return nil, 0, fmt.Errorf("read changes after %d: %w", after, err)
		}
		if err := json.Unmarshal(body, &c.Header); err != nil {
			return nil, 0, fmt.Errorf("read change %d: decode: %w", c.Seq, err)
		}
		c.Via = via.String
		switch {
		case withdrawn:
			c.State = crossguard.StateWithdrawn
		case deleted:
			c.State = crossguard.StateDeleted
		default:
			c.State = crossguard.StateLive
			if !via.Valid {
				c.Body = body
			} else if c.Path, err = storekit.DecodePath(path.String); err != nil {
				return nil, 0, fmt.Errorf("read change %d: %w", c.Seq, err)
			}
		}
		if signed.Valid {
			c.Signed = &crossguard.SignedRecord{Record: json.RawMessage(signed.String), Signature: sig.String}
		}
		out = append(out, &c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("read changes after %d: %w", after, err)
	}
	return out, head, nil
}

// inChunks calls fn with consecutive chunks of at most 500 of ids, the
// number of values one IN list binds here, and the list of numbered
// parameters that binds them after the first-1 parameters before them:
// "(?first, ?first+1, ...)".
func inChunks(ids []string, first int, fn func(chunk []any, in string) error) error {
	const size = 500
	args := make([]any, 0, min(len(ids), size))
	var in strings.Builder
	for lo := 0; lo < len(ids); lo += size {
		args = args[:0]
		in.Reset()
		in.WriteByte('(')
		for i, id := range ids[lo:min(lo+size, len(ids))] {
			if i > 0 {
				in.WriteString(", ")
			}
			fmt.Fprintf(&in, "?%d", first+i)
			args = append(args, id)
		}
		in.WriteByte(')')
		if err := fn(args, in.String()); err != nil {
			return err
		}
	}
	return nil
}

// Touch gives the records ids (either table; unknown ids are ignored) the
// next change sequence numbers, in the order given, changing nothing else.
func (s *Store) Touch(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	seen := make(map[string]bool, len(ids))
	ids = slices.DeleteFunc(slices.Clone(ids), func(id string) bool {
		dup := seen[id]
		seen[id] = true
		return dup
	})
	return s.write(ctx, "touch records", func(tx *writeTx) error {
		var stmts [2]*sql.Stmt
		for i, q := range []string{`UPDATE seizures SET seq = ? WHERE id = ?`, `UPDATE records SET seq = ? WHERE id = ?`} {
			st, err := tx.PrepareContext(ctx, q)
			if err != nil {
				return fmt.Errorf("touch records: %w", err)
			}
			defer st.Close()
			stmts[i] = st
		}
		for _, id := range ids {
			seq := tx.changeSeq + 1
			for _, st := range stmts {
				res, err := st.ExecContext(ctx, seq, id)
				if err != nil {
					return fmt.Errorf("touch %s: %w", id, err)
				}
				if n, err := res.RowsAffected(); err != nil {
					return fmt.Errorf("touch %s: %w", id, err)
				} else if n > 0 {
					tx.nextSeq()
					break
				}
			}
		}
		return nil
	})
}
