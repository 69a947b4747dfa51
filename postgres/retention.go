package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"crossguard"
	"crossguard/federation/apply"

	"github.com/jackc/pgx/v5"
)

var _ crossguard.RetentionStore = (*Store)(nil)

// RetentionGroups returns the live records held, own and received, grouped
// by kind, origin and distribution, from the retention indexes alone.
func (s *Store) RetentionGroups(ctx context.Context) ([]*crossguard.RetentionGroup, error) {
	rows, err := s.pool.Query(ctx, `SELECT 'seizure', origin, coalesce(distribution, ''), count(*), min(created_at) FROM seizures
		WHERE NOT deleted GROUP BY origin, distribution
		UNION ALL
		SELECT kind, origin, coalesce(distribution, ''), count(*), min(created_at) FROM records
		WHERE NOT deleted GROUP BY kind, origin, distribution
		ORDER BY 1, 2, 3`)
	if err != nil {
		return nil, fmt.Errorf("group records for retention: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*crossguard.RetentionGroup, error) {
		var g crossguard.RetentionGroup
		err := r.Scan(&g.Kind, &g.Origin, &g.Distribution, &g.Count, &g.Oldest)
		g.Oldest = g.Oldest.UTC()
		return &g, err
	})
	if err != nil {
		return nil, fmt.Errorf("group records for retention: %w", err)
	}
	return out, nil
}

// CreatedBefore returns up to limit ids of the group's live records
// created before t, oldest first.
func (s *Store) CreatedBefore(ctx context.Context, g *crossguard.RetentionGroup, t time.Time, limit int) ([]string, error) {
	q, args := `SELECT id FROM seizures WHERE NOT deleted AND origin = $1 AND distribution = $2 AND created_at < $3
		ORDER BY created_at LIMIT $4`, []any{g.Origin, g.Distribution, dbTime(t), limit}
	if g.Kind != crossguard.KindSeizure {
		q = `SELECT id FROM records WHERE NOT deleted AND origin = $1 AND distribution = $2 AND created_at < $3 AND kind = $5
		ORDER BY created_at LIMIT $4`
		args = append(args, g.Kind)
	}
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find expired %s records of %s: %w", g.Kind, g.Origin, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("find expired %s records of %s: %w", g.Kind, g.Origin, err)
	}
	return ids, nil
}

// ownLiveSQL reads the node's own live records among the ids $1.
const ownLiveSQL = `WITH self AS (SELECT coalesce((SELECT node_id FROM node), '') AS id)
SELECT id, 'seizure', version, body FROM seizures WHERE id = ANY($1) AND NOT deleted AND via IS NULL AND origin = (SELECT id FROM self)
UNION ALL
SELECT id, kind, version, body FROM records WHERE id = ANY($1) AND NOT deleted AND via IS NULL AND origin = (SELECT id FROM self)`

// DeleteOwn replaces the node's own live records among r.IDs with
// tombstones in one transaction, auditing each.
func (s *Store) DeleteOwn(ctx context.Context, r *crossguard.Removal) (int, error) {
	n := 0
	err := s.write(ctx, func(w *writeTx) error {
		n = 0
		rows, err := w.tx.Query(ctx, ownLiveSQL, r.IDs)
		if err != nil {
			return fmt.Errorf("read own records: %w", err)
		}
		type own struct {
			id, kind string
			version  int64
			body     []byte
		}
		var found []own
		var o own
		if _, err := pgx.ForEachRow(rows, []any{&o.id, &o.kind, &o.version, &o.body}, func() error {
			found = append(found, own{o.id, o.kind, o.version, append([]byte(nil), o.body...)})
			return nil
		}); err != nil {
			return fmt.Errorf("read own records: %w", err)
		}
		byID := make(map[string]own, len(found))
		for _, f := range found {
			byID[f.id] = f
		}
		for _, id := range r.IDs {
			f, ok := byID[id]
			if !ok {
				continue
			}
			delete(byID, id)
			next, err := w.queueTombstone(f.kind, id, f.version, f.body, r.At)
			if err != nil {
				return err
			}
			w.recordAudit(r.At, r.Actor, r.Action, f.kind, id,
				crossguard.AuditDetail("version", strconv.FormatInt(next, 10), "reason", r.Reason))
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("delete own records: %w", err)
	}
	return n, nil
}

// RemoveCopies removes the live received copies among r.IDs, as the
// withdrawal by their last source removes them (apply.Remove), in one
// transaction.
func (s *Store) RemoveCopies(ctx context.Context, r *crossguard.Removal) (int, error) {
	n := 0
	err := s.write(ctx, func(w *writeTx) error {
		held, err := w.readHeld(ctx, "", r.IDs)
		if err != nil {
			return err
		}
		b := apply.Remove(held, apply.Removal{Actor: r.Actor, Action: r.Action, Reason: r.Reason, At: r.At}, r.IDs)
		n = b.Result.Withdrawn
		return w.queueBatch(b)
	})
	if err != nil {
		return 0, fmt.Errorf("remove copies: %w", err)
	}
	return n, nil
}

// PurgeSource drops up to limit sources of peer, removing the copies it
// was the only source of and switching those it was the current source
// of (apply.Purge), in one transaction.
func (s *Store) PurgeSource(ctx context.Context, actor, action, peer string, at time.Time, limit int) (crossguard.SourcePurge, error) {
	var res crossguard.SourcePurge
	err := s.write(ctx, func(w *writeTx) error {
		res = crossguard.SourcePurge{}
		rows, err := w.tx.Query(ctx, `SELECT id FROM sources WHERE peer = $1 ORDER BY id LIMIT $2`, peer, limit)
		if err != nil {
			return fmt.Errorf("read the sources of %s: %w", peer, err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil || len(ids) == 0 {
			return err
		}
		held, err := w.readHeld(ctx, "", ids)
		if err != nil {
			return err
		}
		b := apply.Purge(held, peer, ids, actor, action, at)
		res = crossguard.SourcePurge{Removed: b.Result.Withdrawn, Switched: b.Switched, Sources: len(ids)}
		return w.queueBatch(b)
	})
	if err != nil {
		return crossguard.SourcePurge{}, fmt.Errorf("purge the copies of %s: %w", peer, err)
	}
	return res, nil
}

// DeclarationAges counts the declarations received before t and in all.
func (s *Store) DeclarationAges(ctx context.Context, t time.Time) (*crossguard.DeclarationAges, error) {
	var a crossguard.DeclarationAges
	var oldest *time.Time
	err := s.pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE received_at < $1), min(received_at) FROM declarations`,
		dbTime(t)).Scan(&a.Total, &a.Due, &oldest)
	if err != nil {
		return nil, fmt.Errorf("count declarations: %w", err)
	}
	if oldest != nil {
		a.Oldest = oldest.UTC()
	}
	return &a, nil
}

// deleteDeclarations deletes a batch of the declarations received before
// $1, oldest first, at most $2, with their decisions, profile hits and
// inspections, and counts what it deleted.
const deleteDeclarations = `WITH batch AS (SELECT id FROM declarations WHERE received_at < $1 ORDER BY received_at, id LIMIT $2),
dec AS (DELETE FROM decisions WHERE declaration_id IN (SELECT id FROM batch) RETURNING 1),
hits AS (DELETE FROM decision_profiles WHERE declaration_id IN (SELECT id FROM batch) RETURNING 1),
ins AS (DELETE FROM inspections WHERE declaration_id IN (SELECT id FROM batch) RETURNING 1),
decl AS (DELETE FROM declarations WHERE id IN (SELECT id FROM batch) RETURNING 1)
SELECT (SELECT count(*) FROM decl), (SELECT count(*) FROM dec), (SELECT count(*) FROM ins), (SELECT count(*) FROM hits)`

// DeleteDeclarations deletes up to limit declarations received before t,
// oldest first, with their decisions, profile hits and inspections, and
// audits the batch in one entry.
func (s *Store) DeleteDeclarations(ctx context.Context, actor string, t, at time.Time, limit int) (crossguard.DeclarationsDeleted, error) {
	var d crossguard.DeclarationsDeleted
	err := s.write(ctx, func(w *writeTx) error {
		var hits int64
		d = crossguard.DeclarationsDeleted{}
		if err := w.tx.QueryRow(ctx, deleteDeclarations, dbTime(t), limit).Scan(&d.Declarations, &d.Decisions, &d.Inspections, &hits); err != nil {
			return err
		}
		if d.Declarations > 0 {
			w.audit(&crossguard.AuditEntry{At: at, Actor: actor, Action: crossguard.ActionRetentionDeclarations,
				RecordKind: "declaration", Outcome: crossguard.OutcomeOK, Detail: crossguard.AuditDetail(
					"declarations", strconv.FormatInt(d.Declarations, 10), "decisions", strconv.FormatInt(d.Decisions, 10),
					"inspections", strconv.FormatInt(d.Inspections, 10), "received_before", t.UTC().Format(time.RFC3339Nano))})
		}
		return nil
	})
	if err != nil {
		return crossguard.DeclarationsDeleted{}, fmt.Errorf("delete declarations: %w", err)
	}
	return d, nil
}
