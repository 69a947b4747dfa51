package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"crossguard"
	"crossguard/storekit"
)

var _ crossguard.QuarantineStore = (*Store)(nil)

// heldVersionsSQL reads the received versions held, of both tables, in id
// order after $1.
const heldVersionsSQL = `SELECT 'seizure', id, origin, version, deleted, via, signed, sig FROM seizures
	WHERE id > $1 AND via IS NOT NULL AND signed IS NOT NULL AND NOT withdrawn
	UNION ALL
	SELECT kind, id, origin, version, deleted, via, signed, sig FROM records
	WHERE id > $1 AND via IS NOT NULL AND signed IS NOT NULL AND NOT withdrawn
	ORDER BY 2 LIMIT $2`

// HeldVersions returns up to limit received versions held, after the id
// after.
func (s *Store) HeldVersions(ctx context.Context, after string, limit int) ([]*crossguard.HeldVersion, error) {
	rows, err := s.pool.Query(ctx, heldVersionsSQL, after, max(limit, 0))
	if err != nil {
		return nil, fmt.Errorf("read held versions after %q: %w", after, err)
	}
	var out []*crossguard.HeldVersion
	var v crossguard.HeldVersion
	var signed string
	_, err = pgx.ForEachRow(rows, []any{&v.Kind, &v.ID, &v.Origin, &v.Version, &v.Deleted, &v.Via, &signed, &v.Signed.Signature}, func() error {
		c := v
		c.Signed.Record = []byte(signed)
		out = append(out, &c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read held versions after %q: %w", after, err)
	}
	return out, nil
}

// heldCopySQL reads the row of record $1 in either table.
const heldCopySQL = `SELECT 'seizure', origin, version, deleted, withdrawn, coalesce(via, ''), signed, sig FROM seizures WHERE id = $1
	UNION ALL
	SELECT kind, origin, version, deleted, withdrawn, coalesce(via, ''), signed, sig FROM records WHERE id = $1`

// Quarantine removes the held version q names into the quarantine.
func (s *Store) Quarantine(ctx context.Context, q *crossguard.Quarantined) error {
	err := s.write(ctx, func(w *writeTx) error {
		var row struct {
			kind, origin, via  string
			version            int64
			deleted, withdrawn bool
		}
		var signed, sig *string
		err := w.tx.QueryRow(ctx, heldCopySQL, q.ID).Scan(&row.kind, &row.origin, &row.version, &row.deleted, &row.withdrawn, &row.via, &signed, &sig)
		if errors.Is(err, pgx.ErrNoRows) || err == nil && row.via == "" {
			return crossguard.Errorf(crossguard.ENOTFOUND, "no received copy of %s is held here", q.ID)
		} else if err != nil {
			return err
		}
		if row.withdrawn || row.version != q.Version || row.deleted != q.Deleted || signed == nil ||
			!bytes.Equal([]byte(*signed), q.Signed.Record) {
			return crossguard.Errorf(crossguard.ECONFLICT, "%s %s is no longer held at version %d as it was read: rescan again", row.kind, q.ID, q.Version)
		}
		body, err := storekit.WithdrawnBody(q.ID, row.kind, row.origin, row.version)
		if err != nil {
			return err
		}
		var wd withdrawRows
		wd.add(q.ID, w.nextSeq(), body)
		if row.kind == crossguard.KindSeizure {
			w.queue(wrapExec("delete goods"), `DELETE FROM seizure_goods WHERE seizure_id = $1`, q.ID)
			w.queue(wrapExec("withdraw seizure"), withdrawSeizures, wd.args()...)
		} else {
			w.queue(wrapExec("withdraw record"), withdrawRecords, wd.args()...)
		}
		w.queue(wrapExec("delete sources"), `DELETE FROM sources WHERE id = $1`, q.ID)
		w.queue(wrapExec("keep in the quarantine"), `INSERT INTO quarantine (id, kind, origin, version, deleted, via, signed, sig, reason, actor,
			quarantined_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			q.ID, row.kind, row.origin, row.version, row.deleted, row.via, *signed, deref(sig), q.Reason, q.Actor, q.At)
		w.audit(&crossguard.AuditEntry{At: q.At, Actor: q.Actor, Action: crossguard.ActionFedQuarantine,
			RecordKind: row.kind, RecordID: q.ID, Outcome: crossguard.OutcomeOK, Detail: crossguard.AuditDetail(
				"origin", row.origin, "version", strconv.FormatInt(row.version, 10), "via", row.via, "reason", q.Reason)})
		return nil
	})
	if err != nil {
		return fmt.Errorf("quarantine %s: %w", q.ID, err)
	}
	return nil
}

// deref returns *s, or "" for nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// QuarantinedVersions lists the quarantine, oldest first.
func (s *Store) QuarantinedVersions(ctx context.Context) ([]*crossguard.Quarantined, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, kind, origin, version, deleted, via, signed, sig, reason, actor, quarantined_at
		FROM quarantine ORDER BY key`)
	if err != nil {
		return nil, fmt.Errorf("read the quarantine: %w", err)
	}
	var out []*crossguard.Quarantined
	var q crossguard.Quarantined
	var signed string
	_, err = pgx.ForEachRow(rows, []any{&q.ID, &q.Kind, &q.Origin, &q.Version, &q.Deleted, &q.Via, &signed, &q.Signed.Signature,
		&q.Reason, &q.Actor, &q.At}, func() error {
		c := q
		c.Signed.Record = []byte(signed)
		c.At = c.At.UTC()
		out = append(out, &c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the quarantine: %w", err)
	}
	return out, nil
}
