package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"crossguard/federation/apply"
	"crossguard/storekit"
)

// The tables a record can be in.
const (
	tableSeizures = iota
	tableRecords
)

// heldRow is the stored state of a record that a page names: which table
// holds it, its keys, kind, origin, the peer it came via ("" for own
// records) and the path (JSON, "" if none), version and state.
type heldRow struct {
	table                   int
	key, ftsKey             int64 // ftsKey of live seizures only
	kind, origin, via, path string
	version                 int64
	deleted, withdrawn      bool
}

// heldSQL reads the state of the rows of both tables whose ids are in a
// list (%s).
const heldSQL = `SELECT 0, key, coalesce(fts_key, 0), 'seizure', id, origin, coalesce(via, ''), coalesce(path, ''), version, deleted, withdrawn
	FROM seizures WHERE id IN %[1]s
	UNION ALL
	SELECT 1, key, 0, kind, id, origin, coalesce(via, ''), coalesce(path, ''), version, deleted, withdrawn FROM records WHERE id IN %[1]s`

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
			if err := rows.Scan(&h.table, &h.key, &h.ftsKey, &h.kind, &id, &h.origin, &h.via, &h.path, &h.version, &h.deleted, &h.withdrawn); err != nil {
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

// readSources reads the sources of the records ids: by id, by peer.
func readSources(ctx context.Context, tx *writeTx, ids []string) (map[string]map[string]apply.Source, error) {
	out := map[string]map[string]apply.Source{}
	err := inChunks(ids, 1, func(chunk []any, in string) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, peer, version, path FROM sources WHERE id IN `+in, chunk...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, peer, path string
			var src apply.Source
			if err := rows.Scan(&id, &peer, &src.Version, &path); err != nil {
				return err
			}
			if src.Path, err = storekit.DecodePath(path); err != nil {
				return err
			}
			if out[id] == nil {
				out[id] = map[string]apply.Source{}
			}
			out[id][peer] = src
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read sources: %w", err)
	}
	return out, nil
}

// readForApply reads what the store holds of the records ids, for a
// decision of the apply package: this node's id, the rows (returned as
// read, with their keys, for the write) and their sources.
func readForApply(ctx context.Context, tx *writeTx, ids []string) (*apply.Held, map[string]*heldRow, error) {
	held := &apply.Held{Rows: make(map[string]*apply.Row, len(ids))}
	if err := tx.QueryRowContext(ctx, `SELECT coalesce((SELECT node_id FROM node WHERE singleton = 1), '')`).Scan(&held.Self); err != nil {
		return nil, nil, fmt.Errorf("read node: %w", err)
	}
	rows, err := readHeld(ctx, tx, ids)
	if err != nil {
		return nil, nil, err
	}
	for id, r := range rows {
		path, err := storekit.DecodePath(r.path)
		if err != nil {
			return nil, nil, fmt.Errorf("read held record %s: %w", id, err)
		}
		held.Rows[id] = &apply.Row{Kind: r.kind, Origin: r.origin, Version: r.version, Deleted: r.deleted,
			Withdrawn: r.withdrawn, Via: r.via, Path: path}
	}
	if held.Sources, err = readSources(ctx, tx, ids); err != nil {
		return nil, nil, err
	}
	return held, rows, nil
}

// applyStmts are the statements that apply received versions and
// withdrawals, besides those of seizureStmts, prepared once per page.
type applyStmts struct {
	seizureLive, seizureTomb, seizureTombNew, seizureWithdraw, seizureVia *sql.Stmt
	recordPut, recordWithdraw, recordVia                                  *sql.Stmt
	sourceDel                                                             *sql.Stmt
	// sources upserts sources many at a time.
	sources *bulkInsert
}

// prepareApplyStmts prepares the statements of applyStmts on tx.
func prepareApplyStmts(ctx context.Context, tx *writeTx) (*applyStmts, error) {
	st := &applyStmts{sources: newBulkInsert(tx.Tx, `INSERT INTO sources (id, peer, version, path) VALUES `, `(?, ?, ?, ?)`)}
	st.sources.tail = ` ON CONFLICT (id, peer) DO UPDATE SET version = excluded.version, path = excluded.path`
	for _, p := range []struct {
		dst **sql.Stmt
		sql string
	}{
		{&st.seizureLive, `UPDATE seizures SET fts_key = ?, seq = ?, origin = ?, version = ?, created_at = ?, updated_at = ?, occurred_at = ?,
			country = ?, distribution = ?, tlp = ?, deleted = 0, withdrawn = 0, body = ?, via = ?, signed = ?, sig = ?, path = ? WHERE key = ?`},
		{&st.seizureTomb, `UPDATE seizures SET fts_key = NULL, seq = ?, origin = ?, version = ?, created_at = ?, updated_at = ?,
			distribution = ?, tlp = ?, deleted = 1, withdrawn = 0, body = ?, via = ?, signed = ?, sig = ?, path = NULL WHERE key = ?`},
		{&st.seizureTombNew, `INSERT INTO seizures (key, fts_key, id, seq, origin, version, created_at, updated_at, occurred_at, country,
			distribution, tlp, deleted, withdrawn, body, via, signed, sig) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, 0, '', ?, ?, 1, 0, ?, ?, ?, ?)`},
		{&st.seizureWithdraw, `UPDATE seizures SET fts_key = NULL, seq = ?, deleted = 1, withdrawn = 1, body = ?, signed = NULL, sig = NULL, path = NULL
			WHERE id = ?`},
		{&st.seizureVia, `UPDATE seizures SET seq = ?, via = ?, path = ? WHERE id = ?`},
		{&st.recordPut, `INSERT INTO records (id, kind, seq, origin, version, created_at, updated_at, distribution, tlp, deleted, withdrawn, target, body, via, signed, sig,
			path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, seq = excluded.seq, origin = excluded.origin, version = excluded.version,
				created_at = excluded.created_at, updated_at = excluded.updated_at, distribution = excluded.distribution, tlp = excluded.tlp,
				deleted = excluded.deleted, withdrawn = 0, target = excluded.target, body = excluded.body, via = excluded.via,
				signed = excluded.signed, sig = excluded.sig, path = excluded.path`},
		{&st.recordWithdraw, `UPDATE records SET seq = ?, deleted = 1, withdrawn = 1, body = ?, signed = NULL, sig = NULL, path = NULL WHERE id = ?`},
		{&st.recordVia, `UPDATE records SET seq = ?, via = ?, path = ? WHERE id = ?`},
		{&st.sourceDel, `DELETE FROM sources WHERE id = ? AND peer = ?`},
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
	for _, s := range []*sql.Stmt{st.seizureLive, st.seizureTomb, st.seizureTombNew, st.seizureWithdraw, st.seizureVia,
		st.recordPut, st.recordWithdraw, st.recordVia, st.sourceDel} {
		if s != nil {
			s.Close()
		}
	}
	st.sources.close()
}
