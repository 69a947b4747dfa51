package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"crossguard"
	"crossguard/federation/apply"
	"crossguard/storekit"
)

var _ crossguard.QuarantineStore = (*Store)(nil)

// heldVersionsSQL reads the received versions held, of both tables, in id
// order after ?1.
const heldVersionsSQL = `SELECT 'seizure', id, origin, version, deleted, via, signed, sig FROM seizures
	WHERE id > ?1 AND via IS NOT NULL AND signed IS NOT NULL AND withdrawn = 0
	UNION ALL
	SELECT kind, id, origin, version, deleted, via, signed, sig FROM records
	WHERE id > ?1 AND via IS NOT NULL AND signed IS NOT NULL AND withdrawn = 0
	ORDER BY 2 LIMIT ?2`

// HeldVersions returns up to limit received versions held, after the id
// after.
func (s *Store) HeldVersions(ctx context.Context, after string, limit int) ([]*crossguard.HeldVersion, error) {
	return queryRows(ctx, s.r, fmt.Sprintf("read held versions after %q", after),
		storekit.All(storekit.ScanHeldVersion), heldVersionsSQL, after, max(limit, 0))
}

// heldSignedSQL reads the signed record held of record ?1, in either
// table.
const heldSignedSQL = `SELECT signed, sig FROM seizures WHERE id = ?1
	UNION ALL
	SELECT signed, sig FROM records WHERE id = ?1`

// Quarantine removes the held version q names into the quarantine: it
// reads what is held of q.ID and its signed record, lets
// apply.Quarantine decide, and writes the batch that comes back.
func (s *Store) Quarantine(ctx context.Context, q *crossguard.Quarantined) error {
	return s.write(ctx, "quarantine "+q.ID, func(tx *writeTx) error {
		held, err := storekit.ScanSigned(tx.QueryRowContext(ctx, heldSignedSQL, q.ID).Scan)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("quarantine %s: read the signed record: %w", q.ID, err)
		}
		_, err = writeCopies(ctx, tx, []string{q.ID}, func(h *apply.Held) (*apply.Batch, error) { return apply.Quarantine(h, q, held) })
		if err != nil {
			return fmt.Errorf("quarantine %s: %w", q.ID, err)
		}
		return nil
	})
}

// keep inserts the versions a batch keeps in the quarantine.
func (w *batchWriter) keep(ctx context.Context, kept []*crossguard.Quarantined) error {
	for _, q := range kept {
		_, err := w.tx.ExecContext(ctx, `INSERT INTO quarantine (id, kind, origin, version, deleted, via, signed, sig, reason, actor, quarantined_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, q.ID, q.Kind, q.Origin, q.Version, q.Deleted, q.Via, string(q.Signed.Record), q.Signed.Signature,
			q.Reason, q.Actor, formatTime(q.At))
		if err != nil {
			return fmt.Errorf("keep %s in the quarantine: %w", q.ID, err)
		}
	}
	return nil
}

// QuarantinedVersions lists the quarantine, oldest first.
func (s *Store) QuarantinedVersions(ctx context.Context) ([]*crossguard.Quarantined, error) {
	return queryRows(ctx, s.r, "read the quarantine", storekit.All(storekit.ScanQuarantined),
		`SELECT kind, id, origin, version, deleted, via, signed, sig, reason, actor, quarantined_at FROM quarantine ORDER BY key`)
}
