package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"crossguard"
	"crossguard/refdata"
)

// seizureStmts are the statements that write seizures, prepared once per
// transaction and reused for every record of a batch.
type seizureStmts struct {
	insert, update, freeKey, addGoods, delGoods, addText, delText *sql.Stmt
}

// prepareSeizureStmts prepares the seizure statements on tx.
func prepareSeizureStmts(ctx context.Context, tx *writeTx) (*seizureStmts, error) {
	st := &seizureStmts{}
	for _, p := range []struct {
		dst **sql.Stmt
		sql string
	}{
		{&st.insert, `INSERT INTO seizures (fts_key, id, seq, origin, version, created_at, updated_at, occurred_at, country, distribution, tlp, deleted, body)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`},
		{&st.update, `UPDATE seizures SET fts_key = ?, seq = ?, origin = ?, version = ?, created_at = ?, updated_at = ?, occurred_at = ?,
			country = ?, distribution = ?, tlp = ?, body = ? WHERE key = ?`},
		{&st.freeKey, freeKeySQL},
		{&st.addGoods, `INSERT INTO seizure_goods (seizure, line, category, hs, hs2, hs4, hs6, occurred_at, country,
			first_category, first_hs2, first_hs4, first_hs6) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&st.delGoods, `DELETE FROM seizure_goods WHERE seizure = ?`},
		{&st.addText, `INSERT INTO seizure_fts (rowid, goods, narrative, facets) VALUES (?, ?, ?, ?)`},
		{&st.delText, `DELETE FROM seizure_fts WHERE rowid = ?`},
	} {
		s, err := tx.PrepareContext(ctx, p.sql)
		if err != nil {
			st.close()
			return nil, fmt.Errorf("prepare %q: %w", strings.Fields(p.sql)[0], err)
		}
		*p.dst = s
	}
	return st, nil
}

// close closes the prepared statements.
func (st *seizureStmts) close() {
	for _, s := range []*sql.Stmt{st.insert, st.update, st.freeKey, st.addGoods, st.delGoods, st.addText, st.delText} {
		if s != nil {
			s.Close()
		}
	}
}

// nullIfEmpty stores "" as NULL.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// addGoodsLines writes the goods lines of the live seizure s stored under key,
// flagging the first line of each category, chapter, heading and
// subheading.
func (st *seizureStmts) addGoodsLines(ctx context.Context, key int64, s *crossguard.Seizure) error {
	occurred := unixNano(s.OccurredAt)
	seen := make(map[string]bool, 4*len(s.Goods))
	first := func(k string) int {
		if k == "" || seen[k] {
			return 0
		}
		seen[k] = true
		return 1
	}
	for i, g := range s.Goods {
		hs2, hs4, hs6 := refdata.HSPrefixes(g.HS)
		_, err := st.addGoods.ExecContext(ctx, key, i, g.Category, g.HS, nullIfEmpty(hs2), nullIfEmpty(hs4), nullIfEmpty(hs6), occurred, s.Country,
			first("c"+g.Category), first(hs2), first(hs4), first(hs6))
		if err != nil {
			return fmt.Errorf("seizure %s: goods line %d: %w", s.ID, i, err)
		}
	}
	return nil
}

// addTexts writes full-text rows in ascending rowid order: FTS5 keeps
// pending rows in memory only while rowids ascend and otherwise writes a
// new index segment for every row, which is slower by far.
func (st *seizureStmts) addTexts(ctx context.Context, rows []ftsRow) error {
	slices.SortFunc(rows, func(a, b ftsRow) int { return cmp.Compare(a.key, b.key) })
	for _, r := range rows {
		if _, err := st.addText.ExecContext(ctx, r.key, r.goods, r.narrative, r.facets); err != nil {
			return fmt.Errorf("full-text index: %w", err)
		}
	}
	return nil
}

// unindex removes the goods lines and full-text row of a live seizure.
func (st *seizureStmts) unindex(ctx context.Context, old *storedSeizure) error {
	if _, err := st.delGoods.ExecContext(ctx, old.key); err != nil {
		return fmt.Errorf("remove goods lines: %w", err)
	}
	if _, err := st.delText.ExecContext(ctx, old.ftsKey); err != nil {
		return fmt.Errorf("remove full-text row: %w", err)
	}
	return nil
}

// CreateSeizures inserts fully stamped seizures in one transaction, each
// with the next change sequence number and an audit entry, and saves
// progress with them if it is not nil. A duplicate id fails the whole batch
// with ECONFLICT.
func (s *Store) CreateSeizures(ctx context.Context, actor string, items []*crossguard.Seizure, progress *crossguard.ImportProgress) error {
	if len(items) == 0 && progress == nil {
		return nil
	}
	// Encode before taking the write lock, so that it is held briefly.
	bodies := make([][]byte, len(items))
	for i, it := range items {
		b, err := json.Marshal(it)
		if err != nil {
			return fmt.Errorf("create seizures: encode %s: %w", it.ID, err)
		}
		bodies[i] = b
	}
	return s.write(ctx, "create seizures", func(tx *writeTx) error {
		st, err := prepareSeizureStmts(ctx, tx)
		if err != nil {
			return fmt.Errorf("create seizures: %w", err)
		}
		defer st.close()
		texts := make([]ftsRow, 0, len(items))
		for i, it := range items {
			seq := tx.nextSeq()
			insert := func(ftsKey int64) (sql.Result, error) {
				return st.insert.ExecContext(ctx, ftsKey, it.ID, seq, it.Origin, it.Version, formatTime(it.CreatedAt), formatTime(it.UpdatedAt),
					unixNano(it.OccurredAt), it.Country, it.Distribution, it.Marking.TLP, string(bodies[i]))
			}
			ftsKey := seqKey(it.OccurredAt, seq)
			res, err := insert(ftsKey)
			if isUnique(err, "seizures.fts_key") {
				if ftsKey, err = freeKey(ctx, st.freeKey, it.OccurredAt); err != nil {
					return fmt.Errorf("create seizure %s: %w", it.ID, err)
				}
				res, err = insert(ftsKey)
			}
			if isUnique(err, "seizures.id") {
				return crossguard.Errorf(crossguard.ECONFLICT, "seizure %s already exists", it.ID)
			} else if err != nil {
				return fmt.Errorf("create seizure %s: %w", it.ID, err)
			}
			key, err := res.LastInsertId()
			if err != nil {
				return fmt.Errorf("create seizure %s: %w", it.ID, err)
			}
			if err := st.addGoodsLines(ctx, key, it); err != nil {
				return fmt.Errorf("create seizure: %w", err)
			}
			texts = append(texts, textOf(ftsKey, it))
			err = tx.audit(ctx, &crossguard.AuditEntry{At: it.CreatedAt, Actor: actor, Action: crossguard.ActionSeizureCreate,
				RecordKind: crossguard.KindSeizure, RecordID: it.ID, Outcome: crossguard.OutcomeOK})
			if err != nil {
				return fmt.Errorf("create seizure %s: %w", it.ID, err)
			}
		}
		if err := st.addTexts(ctx, texts); err != nil {
			return fmt.Errorf("create seizures: %w", err)
		}
		if progress != nil {
			if err := saveProgress(ctx, tx, progress); err != nil {
				return fmt.Errorf("create seizures: %w", err)
			}
		}
		return nil
	})
}

// storedSeizure is the state of a stored seizure that writes check.
type storedSeizure struct {
	key     int64
	ftsKey  int64
	version int64
	deleted bool
	body    []byte
}

// lookup reads the stored state of seizure id, ENOTFOUND if there is none
// or it is deleted.
func lookup(ctx context.Context, tx *writeTx, id string) (*storedSeizure, error) {
	var r storedSeizure
	var ftsKey sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT key, fts_key, version, deleted, body FROM seizures WHERE id = ?`, id).
		Scan(&r.key, &ftsKey, &r.version, &r.deleted, &r.body)
	r.ftsKey = ftsKey.Int64
	if errors.Is(err, sql.ErrNoRows) || err == nil && r.deleted {
		return nil, crossguard.Errorf(crossguard.ENOTFOUND, "seizure %s not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("read seizure %s: %w", id, err)
	}
	return &r, nil
}

// UpdateSeizure replaces a live seizure whose stored version is
// s.Version-1, with a new change sequence number and an audit entry.
func (s *Store) UpdateSeizure(ctx context.Context, actor string, sz *crossguard.Seizure) error {
	body, err := json.Marshal(sz)
	if err != nil {
		return fmt.Errorf("update seizure %s: encode: %w", sz.ID, err)
	}
	return s.write(ctx, "update seizure", func(tx *writeTx) error {
		old, err := lookup(ctx, tx, sz.ID)
		if err != nil {
			return err
		}
		if old.version != sz.Version-1 {
			return crossguard.Errorf(crossguard.EPRECONDITIONFAILED, "seizure %s is at version %d: version %d cannot follow it", sz.ID, old.version, sz.Version)
		}
		st, err := prepareSeizureStmts(ctx, tx)
		if err != nil {
			return fmt.Errorf("update seizure %s: %w", sz.ID, err)
		}
		defer st.close()
		if err := st.unindex(ctx, old); err != nil {
			return fmt.Errorf("update seizure %s: %w", sz.ID, err)
		}
		seq := tx.nextSeq()
		update := func(ftsKey int64) error {
			_, err := st.update.ExecContext(ctx, ftsKey, seq, sz.Origin, sz.Version, formatTime(sz.CreatedAt), formatTime(sz.UpdatedAt),
				unixNano(sz.OccurredAt), sz.Country, sz.Distribution, sz.Marking.TLP, string(body), old.key)
			return err
		}
		ftsKey := old.ftsKey
		if bucketOf(ftsKey) != keyBucket(sz.OccurredAt) {
			ftsKey = seqKey(sz.OccurredAt, seq)
		}
		err = update(ftsKey)
		if isUnique(err, "seizures.fts_key") {
			if ftsKey, err = freeKey(ctx, st.freeKey, sz.OccurredAt); err != nil {
				return fmt.Errorf("update seizure %s: %w", sz.ID, err)
			}
			err = update(ftsKey)
		}
		if err != nil {
			return fmt.Errorf("update seizure %s: %w", sz.ID, err)
		}
		if err := st.addGoodsLines(ctx, old.key, sz); err != nil {
			return fmt.Errorf("update seizure: %w", err)
		}
		if err := st.addTexts(ctx, []ftsRow{textOf(ftsKey, sz)}); err != nil {
			return fmt.Errorf("update seizure %s: %w", sz.ID, err)
		}
		return tx.audit(ctx, &crossguard.AuditEntry{At: sz.UpdatedAt, Actor: actor, Action: crossguard.ActionSeizureUpdate,
			RecordKind: crossguard.KindSeizure, RecordID: sz.ID, Outcome: crossguard.OutcomeOK,
			Detail: crossguard.AuditDetail("version", fmt.Sprint(sz.Version))})
	})
}

// DeleteSeizure replaces a live seizure with a tombstone, the header of its
// last version at the next version, updated at at.
func (s *Store) DeleteSeizure(ctx context.Context, actor, id string, ifVersion int64, at time.Time) error {
	return s.write(ctx, "delete seizure", func(tx *writeTx) error {
		old, err := lookup(ctx, tx, id)
		if err != nil {
			return err
		}
		if ifVersion != 0 && ifVersion != old.version {
			return crossguard.Errorf(crossguard.EPRECONDITIONFAILED, "seizure %s is at version %d, not %d: reload it before deleting", id, old.version, ifVersion)
		}
		var h crossguard.Header
		if err := json.Unmarshal(old.body, &h); err != nil {
			return fmt.Errorf("delete seizure %s: decode stored record: %w", id, err)
		}
		h.Version, h.UpdatedAt = old.version+1, at
		body, err := json.Marshal(h)
		if err != nil {
			return fmt.Errorf("delete seizure %s: encode tombstone: %w", id, err)
		}
		st, err := prepareSeizureStmts(ctx, tx)
		if err != nil {
			return fmt.Errorf("delete seizure %s: %w", id, err)
		}
		defer st.close()
		if err := st.unindex(ctx, old); err != nil {
			return fmt.Errorf("delete seizure %s: %w", id, err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE seizures SET fts_key = NULL, seq = ?, version = ?, updated_at = ?, deleted = 1, body = ? WHERE key = ?`,
			tx.nextSeq(), h.Version, formatTime(at), string(body), old.key)
		if err != nil {
			return fmt.Errorf("delete seizure %s: %w", id, err)
		}
		return tx.audit(ctx, &crossguard.AuditEntry{At: at, Actor: actor, Action: crossguard.ActionSeizureDelete,
			RecordKind: crossguard.KindSeizure, RecordID: id, Outcome: crossguard.OutcomeOK,
			Detail: crossguard.AuditDetail("version", fmt.Sprint(h.Version))})
	})
}
