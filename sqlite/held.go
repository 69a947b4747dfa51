package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// The tables a record can be in.
const (
	tableSeizures = iota
	tableRecords
)

// heldRow is the stored state of a record that a page names: which table
// holds it, its keys, kind, origin, the peer it came via ("" for own
// records), version and state.
type heldRow struct {
	table              int
	key, ftsKey        int64 // ftsKey of live seizures only
	kind, origin, via  string
	version            int64
	deleted, withdrawn bool
}

// heldSQL reads the state of the rows of both tables whose ids are in a
// list (%s).
const heldSQL = `SELECT 0, key, coalesce(fts_key, 0), 'seizure', id, origin, coalesce(via, ''), version, deleted, withdrawn FROM seizures WHERE id IN %[1]s
	UNION ALL
	SELECT 1, key, 0, kind, id, origin, coalesce(via, ''), version, deleted, withdrawn FROM records WHERE id IN %[1]s`

// readHeld reads the stored state of the records ids, by id.
func readHeld(ctx context.Context, tx *writeTx, ids []string) (map[string]*heldRow, error) {
	held := make(map[string]*heldRow, len(ids))
	err := inChunks(ids, 1, func(chunk []any, in string) error {
		rows, err := tx.QueryContext(ctx, fmt.Sprintf(heldSQL, in), chunk...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var h heldRow
			var id string
			if err := rows.Scan(&h.table, &h.key, &h.ftsKey, &h.kind, &id, &h.origin, &h.via, &h.version, &h.deleted, &h.withdrawn); err != nil {
				return err
			}
			held[id] = &h
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read held records: %w", err)
	}
	return held, nil
}

// applyStmts are the statements that apply received versions and
// withdrawals, besides those of seizureStmts, prepared once per page.
type applyStmts struct {
	seizureLive, seizureTomb, seizureTombNew, seizureWithdraw *sql.Stmt
	recordPut, recordWithdraw                                 *sql.Stmt
}

// prepareApplyStmts prepares the statements of applyStmts on tx.
func prepareApplyStmts(ctx context.Context, tx *writeTx) (*applyStmts, error) {
	st := &applyStmts{}
	for _, p := range []struct {
		dst **sql.Stmt
		sql string
	}{
		{&st.seizureLive, `UPDATE seizures SET fts_key = ?, seq = ?, origin = ?, version = ?, created_at = ?, updated_at = ?, occurred_at = ?,
			country = ?, distribution = ?, tlp = ?, deleted = 0, withdrawn = 0, body = ?, via = ?, signed = ?, sig = ? WHERE key = ?`},
		{&st.seizureTomb, `UPDATE seizures SET fts_key = NULL, seq = ?, origin = ?, version = ?, created_at = ?, updated_at = ?,
			distribution = ?, tlp = ?, deleted = 1, withdrawn = 0, body = ?, via = ?, signed = ?, sig = ? WHERE key = ?`},
		{&st.seizureTombNew, `INSERT INTO seizures (key, fts_key, id, seq, origin, version, created_at, updated_at, occurred_at, country,
			distribution, tlp, deleted, withdrawn, body, via, signed, sig) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, 0, '', ?, ?, 1, 0, ?, ?, ?, ?)`},
		{&st.seizureWithdraw, `UPDATE seizures SET fts_key = NULL, seq = ?, deleted = 1, withdrawn = 1, body = ?, signed = NULL, sig = NULL WHERE id = ?`},
		{&st.recordPut, `INSERT INTO records (id, kind, seq, origin, version, created_at, updated_at, distribution, tlp, deleted, withdrawn, target, body, via, signed, sig)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, seq = excluded.seq, origin = excluded.origin, version = excluded.version,
				created_at = excluded.created_at, updated_at = excluded.updated_at, distribution = excluded.distribution, tlp = excluded.tlp,
				deleted = excluded.deleted, withdrawn = 0, target = excluded.target, body = excluded.body, via = excluded.via,
				signed = excluded.signed, sig = excluded.sig`},
		{&st.recordWithdraw, `UPDATE records SET seq = ?, deleted = 1, withdrawn = 1, body = ?, signed = NULL, sig = NULL WHERE id = ?`},
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
func (st *applyStmts) close() {
	for _, s := range []*sql.Stmt{st.seizureLive, st.seizureTomb, st.seizureTombNew, st.seizureWithdraw, st.recordPut, st.recordWithdraw} {
		if s != nil {
			s.Close()
		}
	}
}
