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
	"crossguard/storekit"
)

// seizureStmts are the statements that write seizures, prepared once per
// transaction and reused for every record of a batch.
type seizureStmts struct {
	update, freeKey, delGoods, delText *sql.Stmt
	// seizures inserts many seizures rows of own records, seizure one;
	// received and receivedOne the same for records received from peers.
	seizures, seizure, received, receivedOne, goods, texts *bulkInsert
}

// Inserts of seizures, goods lines and full-text rows. Those of many rows
// at once are OR ROLLBACK: a statement of many rows that may fail on a
// constraint halfway must otherwise copy every page it changes to a
// statement journal, to undo just itself, while OR ROLLBACK undoes the
// whole transaction and needs no journal (except for the foreign key of
// goods lines, checked row by row). Every error fails the transaction
// anyway; the one to recover from is a conflict on a seizure's id or FTS
// key, after which CreateSeizures starts over one row at a time (see
// errBulkConflict).
const (
	seizuresColumns = `seizures (key, fts_key, id, seq, origin, version, created_at, updated_at, occurred_at, country, distribution, tlp, deleted, body, via, signed, sig, path) VALUES `
	seizuresRow     = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, NULL, NULL, NULL, NULL)`
	receivedRow     = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`
	goodsHead       = `INSERT OR ROLLBACK INTO seizure_goods (seizure, line, category, hs, hs2, hs4, hs6, occurred_at, country, first_category, first_hs2, first_hs4, first_hs6) VALUES `
	goodsRow        = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	textsHead       = `INSERT OR ROLLBACK INTO seizure_fts (rowid, goods, narrative, facets) VALUES `
	textsRow        = `(?, ?, ?, ?)`
)

// errBulkConflict reports that a multi-row insert of seizures conflicted
// with a stored seizure, or another of the batch, on its id or FTS key, and
// rolled the transaction back.
var errBulkConflict = errors.New("seizures conflict: retry one by one")

// prepareSeizureStmts prepares the seizure statements on tx; the
// multi-row inserts are prepared when first used.
func prepareSeizureStmts(ctx context.Context, tx *writeTx) (*seizureStmts, error) {
	st := &seizureStmts{
		seizures:    newBulkInsert(tx.Tx, `INSERT OR ROLLBACK INTO `+seizuresColumns, seizuresRow),
		seizure:     newBulkInsert(tx.Tx, `INSERT INTO `+seizuresColumns, seizuresRow),
		received:    newBulkInsert(tx.Tx, `INSERT OR ROLLBACK INTO `+seizuresColumns, receivedRow),
		receivedOne: newBulkInsert(tx.Tx, `INSERT INTO `+seizuresColumns, receivedRow),
		goods:       newBulkInsert(tx.Tx, goodsHead, goodsRow),
		texts:       newBulkInsert(tx.Tx, textsHead, textsRow),
	}
	for _, p := range []struct {
		dst **sql.Stmt
		sql string
	}{
		{&st.update, `UPDATE seizures SET fts_key = ?, seq = ?, origin = ?, version = ?, created_at = ?, updated_at = ?, occurred_at = ?,
			country = ?, distribution = ?, tlp = ?, body = ? WHERE key = ?`},
		{&st.freeKey, freeKeySQL},
		{&st.delGoods, `DELETE FROM seizure_goods WHERE seizure = ?`},
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
	for _, s := range []*sql.Stmt{st.update, st.freeKey, st.delGoods, st.delText} {
		if s != nil {
			s.Close()
		}
	}
	for _, b := range []*bulkInsert{st.seizures, st.seizure, st.received, st.receivedOne, st.goods, st.texts} {
		b.close()
	}
}

// nullIfEmpty stores "" as NULL.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// addGoodsLines queues the goods lines of the live seizure s stored under
// key, flagging the first line of each category, chapter, heading and
// subheading. The caller flushes st.goods.
func (st *seizureStmts) addGoodsLines(ctx context.Context, key int64, s *crossguard.Seizure) error {
	occurred := unixNano(s.OccurredAt)
	var seen [4][]string // categories, chapters, headings, subheadings seen so far
	first := func(set int, k string) int {
		if k == "" || slices.Contains(seen[set], k) {
			return 0
		}
		seen[set] = append(seen[set], k)
		return 1
	}
	for i, g := range s.Goods {
		hs2, hs4, hs6 := refdata.HSPrefixes(g.HS)
		err := st.goods.add(ctx, key, i, g.Category, g.HS, nullIfEmpty(hs2), nullIfEmpty(hs4), nullIfEmpty(hs6), occurred, s.Country,
			first(0, g.Category), first(1, hs2), first(2, hs4), first(3, hs6))
		if err != nil {
			return fmt.Errorf("seizure %s: goods lines up to %d: %w", s.ID, i, err)
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
		if err := st.texts.add(ctx, r.key, r.goods, r.narrative, r.facets); err != nil {
			return fmt.Errorf("full-text index: %w", err)
		}
	}
	if err := st.texts.flush(ctx); err != nil {
		return fmt.Errorf("full-text index: %w", err)
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

// newSeizure is a seizure of a batch being created: its key (the rowid of
// its row), change sequence number, FTS key and encoded body, and for a
// received one the peer it came via, the origin's signed version and the
// path (JSON) it came along.
type newSeizure struct {
	*crossguard.Seizure
	key, seq, ftsKey int64
	body             string
	via              string
	signed           *crossguard.SignedRecord
	path             string
}

// appendArgs appends the values of n's seizures row, in seizuresRow order,
// or receivedRow order for a received seizure.
func (n *newSeizure) appendArgs(args []any) []any {
	args = append(args, n.key, n.ftsKey, n.ID, n.seq, n.Origin, n.Version, formatTime(n.CreatedAt), formatTime(n.UpdatedAt),
		unixNano(n.OccurredAt), n.Country, n.Distribution, n.Marking.TLP, n.body)
	if n.via != "" {
		args = append(args, n.via, string(n.signed.Record), n.signed.Signature, nullIfEmpty(n.path))
	}
	return args
}

// insertSeizures inserts the seizures rows of chunk, all own or all
// received from peers: in one statement if
// bulk, failing with errBulkConflict (the transaction rolled back) on a
// conflict; otherwise one by one, giving a seizure whose FTS key is taken
// another one and failing with ECONFLICT on one that already exists.
func (st *seizureStmts) insertSeizures(ctx context.Context, chunk []newSeizure, args []any, bulk bool) ([]any, error) {
	many, one := st.seizures, st.seizure
	if len(chunk) > 0 && chunk[0].via != "" {
		many, one = st.received, st.receivedOne
	}
	if bulk {
		args = args[:0]
		for i := range chunk {
			args = chunk[i].appendArgs(args)
		}
		err := many.exec(ctx, len(chunk), args)
		if isUnique(err, "seizures.id") || isUnique(err, "seizures.fts_key") {
			return args, errBulkConflict
		}
		return args, err
	}
	for i := range chunk {
		n := &chunk[i]
		err := one.exec(ctx, 1, n.appendArgs(args[:0]))
		if isUnique(err, "seizures.fts_key") {
			if n.ftsKey, err = freeKey(ctx, st.freeKey, n.OccurredAt); err != nil {
				return args, fmt.Errorf("create seizure %s: %w", n.ID, err)
			}
			err = one.exec(ctx, 1, n.appendArgs(args[:0]))
		}
		if isUnique(err, "seizures.id") {
			return args, crossguard.Errorf(crossguard.ECONFLICT, "seizure %s already exists", n.ID)
		} else if err != nil {
			return args, fmt.Errorf("create seizure %s: %w", n.ID, err)
		}
	}
	return args, nil
}

// CreateSeizures inserts fully stamped seizures in one transaction, each
// with the next change sequence number and an audit entry, and saves
// progress with them if it is not nil. A duplicate id fails the whole batch
// with ECONFLICT.
//
// Rows are written bulkRows at a time with multi-row INSERTs. Since the
// write lock is held from the start, the keys of new rows are known in
// advance: the ones SQLite would choose, above the highest in use.
func (s *Store) CreateSeizures(ctx context.Context, actor string, items []*crossguard.Seizure, progress *crossguard.ImportProgress) error {
	if len(items) == 0 && progress == nil {
		return nil
	}
	// Encode before taking the write lock, so that it is held briefly.
	batch := make([]newSeizure, len(items))
	for i, it := range items {
		b, err := json.Marshal(it)
		if err != nil {
			return fmt.Errorf("create seizures: encode %s: %w", it.ID, err)
		}
		batch[i] = newSeizure{Seizure: it, body: string(b)}
	}
	err := s.write(ctx, "create seizures", func(tx *writeTx) error { return createSeizures(ctx, tx, actor, batch, progress, true) })
	if errors.Is(err, errBulkConflict) {
		err = s.write(ctx, "create seizures", func(tx *writeTx) error { return createSeizures(ctx, tx, actor, batch, progress, false) })
	}
	return err
}

// createSeizures writes batch in tx, bulkRows seizures rows at a time if
// bulk, else one by one (see insertSeizures).
func createSeizures(ctx context.Context, tx *writeTx, actor string, batch []newSeizure, progress *crossguard.ImportProgress, bulk bool) error {
	st, err := prepareSeizureStmts(ctx, tx)
	if err != nil {
		return fmt.Errorf("create seizures: %w", err)
	}
	defer st.close()
	audit := tx.auditBulk()
	defer audit.close()
	var lastKey int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(key), 0) FROM seizures`).Scan(&lastKey); err != nil {
		return fmt.Errorf("create seizures: read last key: %w", err)
	}
	for i := range batch {
		n := &batch[i]
		n.key, n.seq = lastKey+int64(i)+1, tx.nextSeq()
		n.ftsKey = seqKey(n.OccurredAt, n.seq)
	}
	texts := make([]ftsRow, 0, len(batch))
	args := make([]any, 0, bulkRows*st.seizures.cols)
	for lo := 0; lo < len(batch); lo += bulkRows {
		chunk := batch[lo:min(lo+bulkRows, len(batch))]
		if args, err = st.insertSeizures(ctx, chunk, args, bulk); err != nil {
			return fmt.Errorf("create seizures: %w", err)
		}
		for i := range chunk {
			n := &chunk[i]
			if err := st.addGoodsLines(ctx, n.key, n.Seizure); err != nil {
				return fmt.Errorf("create seizures: %w", err)
			}
			texts = append(texts, textOf(n.ftsKey, n.Seizure))
			err = tx.queueAudit(ctx, audit, &crossguard.AuditEntry{At: n.CreatedAt, Actor: actor, Action: crossguard.ActionSeizureCreate,
				RecordKind: crossguard.KindSeizure, RecordID: n.ID, Outcome: crossguard.OutcomeOK})
			if err != nil {
				return fmt.Errorf("create seizure %s: %w", n.ID, err)
			}
		}
	}
	if err := st.goods.flush(ctx); err != nil {
		return fmt.Errorf("create seizures: goods lines: %w", err)
	}
	if err := audit.flush(ctx); err != nil {
		return fmt.Errorf("create seizures: audit entries: %w", err)
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
		if err := st.goods.flush(ctx); err != nil {
			return fmt.Errorf("update seizure %s: goods lines: %w", sz.ID, err)
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
		st, err := prepareSeizureStmts(ctx, tx)
		if err != nil {
			return fmt.Errorf("delete seizure %s: %w", id, err)
		}
		defer st.close()
		tomb, err := tx.PrepareContext(ctx, tombstoneSeizureSQL)
		if err != nil {
			return fmt.Errorf("delete seizure %s: %w", id, err)
		}
		defer tomb.Close()
		version, err := tombstoneSeizure(ctx, tx, st, tomb, id, old, at)
		if err != nil {
			return err
		}
		return tx.audit(ctx, &crossguard.AuditEntry{At: at, Actor: actor, Action: crossguard.ActionSeizureDelete,
			RecordKind: crossguard.KindSeizure, RecordID: id, Outcome: crossguard.OutcomeOK,
			Detail: crossguard.AuditDetail("version", fmt.Sprint(version))})
	})
}

// tombstoneSeizureSQL turns a seizure row into a tombstone.
const tombstoneSeizureSQL = `UPDATE seizures SET fts_key = NULL, seq = ?, version = ?, updated_at = ?, deleted = 1, body = ? WHERE key = ?`

// tombstoneSeizure replaces the live seizure id, stored as old, with a
// tombstone by tomb (tombstoneSeizureSQL prepared on tx): the header of
// its last version at the next version, updated at at, under the next
// change sequence number. It returns that version.
func tombstoneSeizure(ctx context.Context, tx *writeTx, st *seizureStmts, tomb *sql.Stmt, id string, old *storedSeizure, at time.Time) (int64, error) {
	version, body, err := storekit.Tombstone(old.body, old.version, at)
	if err != nil {
		return 0, fmt.Errorf("delete seizure %s: %w", id, err)
	}
	if err := st.unindex(ctx, old); err != nil {
		return 0, fmt.Errorf("delete seizure %s: %w", id, err)
	}
	if _, err = tomb.ExecContext(ctx, tx.nextSeq(), version, formatTime(at), body, old.key); err != nil {
		return 0, fmt.Errorf("delete seizure %s: %w", id, err)
	}
	return version, nil
}
