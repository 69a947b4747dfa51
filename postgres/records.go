package postgres

import (
	"context"
	"errors"
	"fmt"

	"crossguard"
	"crossguard/storekit"

	"github.com/jackc/pgx/v5"
)

var _ crossguard.RecordStore = (*Store)(nil)

// insertRecord inserts a live record, doing nothing (and returning no row)
// if its id is taken in records or seizures: an id names one record of one
// kind.
const insertRecord = `INSERT INTO records (id, kind, seq, origin, version, created_at, updated_at,
    distribution, tlp, target, body)
SELECT $1::text, $2::text, $3::bigint, $4::text, $5::bigint, $6::timestamptz, $7::timestamptz,
    $8::text, $9::text, nullif($10::text, ''), $11::text
WHERE NOT EXISTS (SELECT 1 FROM seizures WHERE id = $1::text)
ON CONFLICT (id) DO NOTHING
RETURNING id`

// CreateRecord stores a new own record at version 1 with the next change
// sequence number, and audits it; ECONFLICT if its id is taken.
func (s *Store) CreateRecord(ctx context.Context, actor string, r *crossguard.Record) error {
	err := s.write(ctx, func(w *writeTx) error {
		w.queue(func(br pgx.BatchResults) error {
			var id string
			err := br.QueryRow().Scan(&id)
			if errors.Is(err, pgx.ErrNoRows) {
				return crossguard.Errorf(crossguard.ECONFLICT, "record %s already exists", r.ID)
			}
			if err != nil {
				return fmt.Errorf("insert record: %w", err)
			}
			return nil
		}, insertRecord, r.ID, r.Kind, w.nextSeq(), r.Origin, r.Version, r.CreatedAt, r.UpdatedAt,
			r.Distribution, r.Marking.TLP, r.Target, string(r.Body))
		w.recordAudit(r.CreatedAt, actor, crossguard.ActionRecordCreate, r.Kind, r.ID, "")
		return nil
	})
	if err != nil {
		return fmt.Errorf("create %s %s: %w", r.Kind, r.ID, err)
	}
	return nil
}

// recordColumns are the columns storekit.ScanRecord reads.
const recordColumns = `target, body`

// Record returns a live record, or ENOTFOUND.
func (s *Store) Record(ctx context.Context, id string) (*crossguard.Record, error) {
	r, err := storekit.ScanRecord(s.pool.QueryRow(ctx, `SELECT `+recordColumns+` FROM records WHERE id = $1 AND NOT deleted`, id).Scan)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, crossguard.Errorf(crossguard.ENOTFOUND, "record %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("record %s: %w", id, err)
	}
	return r, nil
}

// RecordsAbout lists the live records of a kind that refer to target,
// oldest first (by created_at, then id).
func (s *Store) RecordsAbout(ctx context.Context, kind, target string) ([]*crossguard.Record, error) {
	return queryRows(ctx, s.pool, fmt.Sprintf("%s records about %s", kind, target), storekit.All(storekit.ScanRecord),
		`SELECT `+recordColumns+` FROM records WHERE target = $1 AND kind = $2 AND NOT deleted ORDER BY created_at, id`, target, kind)
}
