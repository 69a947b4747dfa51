package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"crossguard"
	"crossguard/federation/apply"
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
	return queryRows(ctx, s.pool, fmt.Sprintf("read held versions after %q", after),
		storekit.All(storekit.ScanHeldVersion), heldVersionsSQL, after, max(limit, 0))
}

// heldSignedSQL reads the signed record held of record $1, in either
// table.
const heldSignedSQL = `SELECT signed, sig FROM seizures WHERE id = $1
	UNION ALL
	SELECT signed, sig FROM records WHERE id = $1`

// Quarantine removes the held version q names into the quarantine: it
// reads what is held of q.ID and its signed record, lets
// apply.Quarantine decide, and queues the batch that comes back (see
// queueBatch).
func (s *Store) Quarantine(ctx context.Context, q *crossguard.Quarantined) error {
	err := s.write(ctx, func(w *writeTx) error {
		held, err := storekit.ScanSigned(w.tx.QueryRow(ctx, heldSignedSQL, q.ID).Scan)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("read the signed record: %w", err)
		}
		h, err := w.readHeld(ctx, "", []string{q.ID})
		if err != nil {
			return err
		}
		b, err := apply.Quarantine(h, q, held)
		if err != nil {
			return err
		}
		return w.queueBatch(b)
	})
	if err != nil {
		return fmt.Errorf("quarantine %s: %w", q.ID, err)
	}
	return nil
}

// queueKept queues the insertion of the versions a batch keeps in the
// quarantine.
func (w *writeTx) queueKept(kept []*crossguard.Quarantined) {
	for _, q := range kept {
		w.queue(wrapExec("keep in the quarantine"), `INSERT INTO quarantine (id, kind, origin, version, deleted, via, signed, sig, reason, actor,
			quarantined_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			q.ID, q.Kind, q.Origin, q.Version, q.Deleted, q.Via, string(q.Signed.Record), q.Signed.Signature, q.Reason, q.Actor, q.At)
	}
}

// QuarantinedVersions lists the quarantine, oldest first.
func (s *Store) QuarantinedVersions(ctx context.Context) ([]*crossguard.Quarantined, error) {
	return queryRows(ctx, s.pool, "read the quarantine", storekit.All(storekit.ScanQuarantined),
		`SELECT kind, id, origin, version, deleted, via, signed, sig, reason, actor, quarantined_at FROM quarantine ORDER BY key`)
}
