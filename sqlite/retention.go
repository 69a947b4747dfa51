package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"crossguard"
	"crossguard/federation/apply"
)

var _ crossguard.RetentionStore = (*Store)(nil)

// RetentionGroups returns the live records held, own and received, grouped
// by kind, origin and distribution, from the retention indexes alone.
func (s *Store) RetentionGroups(ctx context.Context) ([]*crossguard.RetentionGroup, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT 'seizure', origin, distribution, count(*), min(created_at) FROM seizures
		WHERE deleted = 0 GROUP BY origin, distribution
		UNION ALL
		SELECT kind, origin, distribution, count(*), min(created_at) FROM records
		WHERE deleted = 0 GROUP BY kind, origin, distribution
		ORDER BY 1, 2, 3`)
	if err != nil {
		return nil, fmt.Errorf("group records for retention: %w", err)
	}
	defer rows.Close()
	var out []*crossguard.RetentionGroup
	for rows.Next() {
		var g crossguard.RetentionGroup
		var oldest string
		if err := rows.Scan(&g.Kind, &g.Origin, &g.Distribution, &g.Count, &oldest); err != nil {
			return nil, fmt.Errorf("group records for retention: %w", err)
		}
		if g.Oldest, err = parseTime(oldest); err != nil {
			return nil, fmt.Errorf("group records for retention: %w", err)
		}
		out = append(out, &g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("group records for retention: %w", err)
	}
	return out, nil
}

// CreatedBefore returns up to limit ids of the group's live records
// created before t, oldest first.
func (s *Store) CreatedBefore(ctx context.Context, g *crossguard.RetentionGroup, t time.Time, limit int) ([]string, error) {
	q, args := `SELECT id FROM seizures WHERE deleted = 0 AND origin = ? AND distribution = ? AND created_at < ?
		ORDER BY created_at LIMIT ?`, []any{g.Origin, g.Distribution, formatTime(t), limit}
	if g.Kind != crossguard.KindSeizure {
		q = `SELECT id FROM records WHERE deleted = 0 AND kind = ? AND origin = ? AND distribution = ? AND created_at < ?
		ORDER BY created_at LIMIT ?`
		args = append([]any{g.Kind}, args...)
	}
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find expired %s records of %s: %w", g.Kind, g.Origin, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("find expired %s records of %s: %w", g.Kind, g.Origin, err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// DeleteOwn replaces the node's own live records among r.IDs with
// tombstones in one transaction, auditing each.
func (s *Store) DeleteOwn(ctx context.Context, r *crossguard.Removal) (int, error) {
	n := 0
	err := s.write(ctx, "delete own records", func(tx *writeTx) error {
		n = 0
		var self string
		if err := tx.QueryRowContext(ctx, `SELECT coalesce((SELECT node_id FROM node WHERE singleton = 1), '')`).Scan(&self); err != nil {
			return fmt.Errorf("delete own records: read node: %w", err)
		}
		held, err := readHeld(ctx, tx, r.IDs)
		if err != nil {
			return err
		}
		st, err := prepareSeizureStmts(ctx, tx)
		if err != nil {
			return fmt.Errorf("delete own records: %w", err)
		}
		defer st.close()
		tomb, err := tx.PrepareContext(ctx, tombstoneSeizureSQL)
		if err != nil {
			return fmt.Errorf("delete own records: %w", err)
		}
		defer tomb.Close()
		read, err := tx.PrepareContext(ctx, `SELECT body FROM seizures WHERE key = ?`)
		if err != nil {
			return fmt.Errorf("delete own records: %w", err)
		}
		defer read.Close()
		for _, id := range r.IDs {
			h := held[id]
			if h == nil || h.deleted || h.via != "" || h.origin != self {
				continue
			}
			var version int64
			if h.table == tableSeizures {
				old := &storedSeizure{key: h.key, ftsKey: h.ftsKey, version: h.version}
				if err := read.QueryRowContext(ctx, h.key).Scan(&old.body); err != nil {
					return fmt.Errorf("delete own records: read %s: %w", id, err)
				}
				if version, err = tombstoneSeizure(ctx, tx, st, tomb, id, old, r.At); err != nil {
					return err
				}
			} else {
				old, err := lookupOwnRecord(ctx, tx, id, "delete")
				if err != nil {
					return err
				}
				if version, err = tombstoneRecord(ctx, tx, id, old, r.At); err != nil {
					return err
				}
			}
			h.deleted = true
			n++
			err := tx.audit(ctx, &crossguard.AuditEntry{At: r.At, Actor: r.Actor, Action: r.Action, RecordKind: h.kind, RecordID: id,
				Outcome: crossguard.OutcomeOK, Detail: crossguard.AuditDetail("version", fmt.Sprint(version), "reason", r.Reason)})
			if err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// writeCopies reads what is held of the records ids, lets decide (a
// decision of the apply package) what to do with them, and writes the
// batch that comes back; if decide fails, nothing is written.
func writeCopies(ctx context.Context, tx *writeTx, ids []string, decide func(*apply.Held) (*apply.Batch, error)) (*apply.Batch, error) {
	held, rows, err := readForApply(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	b, err := decide(held)
	if err != nil {
		return nil, err
	}
	w, err := newBatchWriter(ctx, tx, rows)
	if err != nil {
		return nil, err
	}
	defer w.close()
	if err := w.write(ctx, b); err != nil {
		return nil, err
	}
	return b, nil
}

// RemoveCopies removes the live received copies among r.IDs, as the
// withdrawal by their last source removes them (apply.Remove), in one
// transaction.
func (s *Store) RemoveCopies(ctx context.Context, r *crossguard.Removal) (int, error) {
	n := 0
	err := s.write(ctx, "remove copies", func(tx *writeTx) error {
		rm := apply.Removal{Actor: r.Actor, Action: r.Action, Reason: r.Reason, At: r.At}
		b, err := writeCopies(ctx, tx, r.IDs, func(h *apply.Held) (*apply.Batch, error) { return apply.Remove(h, rm, r.IDs), nil })
		if err != nil {
			return fmt.Errorf("remove copies: %w", err)
		}
		n = b.Result.Withdrawn
		return nil
	})
	return n, err
}

// PurgeSource drops up to limit sources of peer, removing the copies it
// was the only source of and switching those it was the current source
// of (apply.Purge), in one transaction.
func (s *Store) PurgeSource(ctx context.Context, actor, action, peer string, at time.Time, limit int) (crossguard.SourcePurge, error) {
	var res crossguard.SourcePurge
	err := s.write(ctx, "purge the copies of "+peer, func(tx *writeTx) error {
		res = crossguard.SourcePurge{}
		ids, err := sourceIDs(ctx, tx, peer, limit)
		if err != nil || len(ids) == 0 {
			return err
		}
		b, err := writeCopies(ctx, tx, ids, func(h *apply.Held) (*apply.Batch, error) {
			return apply.Purge(h, peer, ids, actor, action, at), nil
		})
		if err != nil {
			return fmt.Errorf("purge the copies of %s: %w", peer, err)
		}
		res = crossguard.SourcePurge{Removed: b.Result.Withdrawn, Switched: b.Switched, Sources: len(ids)}
		return nil
	})
	return res, err
}

// sourceIDs returns up to limit ids of records peer is a source of.
func sourceIDs(ctx context.Context, tx *writeTx, peer string, limit int) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM sources WHERE peer = ? ORDER BY id LIMIT ?`, peer, limit)
	if err != nil {
		return nil, fmt.Errorf("read the sources of %s: %w", peer, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("read the sources of %s: %w", peer, err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// DeclarationAges counts the declarations received before t and in all.
func (s *Store) DeclarationAges(ctx context.Context, t time.Time) (*crossguard.DeclarationAges, error) {
	var a crossguard.DeclarationAges
	var oldest sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE received_at < ?), min(received_at) FROM declarations`,
		formatTime(t)).Scan(&a.Total, &a.Due, &oldest)
	if err != nil {
		return nil, fmt.Errorf("count declarations: %w", err)
	}
	if oldest.Valid {
		if a.Oldest, err = parseTime(oldest.String); err != nil {
			return nil, fmt.Errorf("count declarations: %w", err)
		}
	}
	return &a, nil
}

// DeleteDeclarations deletes up to limit declarations received before t,
// oldest first, with their decisions, profile hits and inspections, and
// audits the batch in one entry.
func (s *Store) DeleteDeclarations(ctx context.Context, actor string, t, at time.Time, limit int) (crossguard.DeclarationsDeleted, error) {
	var d crossguard.DeclarationsDeleted
	err := s.write(ctx, "delete declarations", func(tx *writeTx) error {
		d = crossguard.DeclarationsDeleted{}
		// The same batch each time: the declarations go last.
		const batch = `(SELECT id FROM declarations WHERE received_at < ?1 ORDER BY received_at, id LIMIT ?2)`
		for _, q := range []struct {
			n   *int64
			sql string
		}{
			{&d.Decisions, `DELETE FROM decisions WHERE declaration_id IN ` + batch},
			{nil, `DELETE FROM decision_profiles WHERE declaration_id IN ` + batch},
			{&d.Inspections, `DELETE FROM inspections WHERE declaration_id IN ` + batch},
			{&d.Declarations, `DELETE FROM declarations WHERE id IN ` + batch},
		} {
			res, err := tx.ExecContext(ctx, q.sql, formatTime(t), limit)
			if err != nil {
				return fmt.Errorf("delete declarations: %w", err)
			}
			if q.n != nil {
				if *q.n, err = res.RowsAffected(); err != nil {
					return fmt.Errorf("delete declarations: %w", err)
				}
			}
		}
		if d.Declarations == 0 {
			return nil
		}
		return tx.audit(ctx, &crossguard.AuditEntry{At: at, Actor: actor, Action: crossguard.ActionRetentionDeclarations,
			RecordKind: "declaration", Outcome: crossguard.OutcomeOK, Detail: crossguard.AuditDetail(
				"declarations", fmt.Sprint(d.Declarations), "decisions", fmt.Sprint(d.Decisions),
				"inspections", fmt.Sprint(d.Inspections), "received_before", t.UTC().Format(time.RFC3339Nano))})
	})
	return d, err
}
