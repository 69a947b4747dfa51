package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"crossguard"
	"crossguard/storekit"

	"github.com/jackc/pgx/v5"
)

// storedVersion reads the version and deletion flag of a seizure inside a
// write transaction (the heads lock keeps them from changing until commit),
// failing with ENOTFOUND if it does not exist or is not live (deleted, or a
// copy withdrawn by a peer: both are deleted rows).
func (w *writeTx) storedVersion(ctx context.Context, id string) (version int64, body []byte, err error) {
	var deleted bool
	err = w.tx.QueryRow(ctx, `SELECT version, deleted, body FROM seizures WHERE id = $1`, id).Scan(&version, &deleted, &body)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && deleted {
		return 0, nil, crossguard.Errorf(crossguard.ENOTFOUND, "seizure %s not found", id)
	}
	if err != nil {
		return 0, nil, fmt.Errorf("read seizure %s: %w", id, err)
	}
	return version, body, nil
}

// updateSeizure rewrites a live seizure row, search vector included.
const updateSeizure = `UPDATE seizures SET seq = $2, origin = $3, version = $4, created_at = $5, updated_at = $6,
    occurred_at = $7, country = $8, distribution = $9, tlp = $10, deleted = false, body = $11,
    fts = array_to_tsvector(string_to_array($12::text, ' '))
WHERE id = $1`

// UpdateSeizure replaces a seizure whose stored version is s.Version-1,
// giving it a new change sequence number and rewriting its goods lines and
// search vector.
func (s *Store) UpdateSeizure(ctx context.Context, actor string, sz *crossguard.Seizure) error {
	err := s.write(ctx, func(w *writeTx) error {
		version, _, err := w.storedVersion(ctx, sz.ID)
		if err != nil {
			return err
		}
		if version != sz.Version-1 {
			return crossguard.Errorf(crossguard.EPRECONDITIONFAILED,
				"seizure %s is at version %d: version %d cannot follow it", sz.ID, version, sz.Version)
		}
		body, err := json.Marshal(sz)
		if err != nil {
			return fmt.Errorf("encode seizure: %w", err)
		}
		w.queue(wrapExec("update seizure"), updateSeizure, sz.ID, w.nextSeq(), sz.Origin, sz.Version,
			sz.CreatedAt, sz.UpdatedAt, sz.OccurredAt, sz.Country, sz.Distribution, sz.Marking.TLP,
			string(body), searchWords(sz))
		w.queue(wrapExec("delete goods"), `DELETE FROM seizure_goods WHERE seizure_id = $1`, sz.ID)
		var goods goodsCols
		goods.add(sz)
		if !goods.empty() {
			w.queue(wrapExec("insert goods"), insertGoods, goods.args()...)
		}
		w.recordAudit(sz.UpdatedAt, actor, crossguard.ActionSeizureUpdate, crossguard.KindSeizure, sz.ID,
			crossguard.AuditDetail("version", strconv.FormatInt(sz.Version, 10)))
		return nil
	})
	if err != nil {
		return fmt.Errorf("update seizure %s: %w", sz.ID, err)
	}
	return nil
}

// tombstoneSeizure turns a seizure row into a tombstone.
const tombstoneSeizure = `UPDATE seizures SET seq = $2, version = $3, updated_at = $4, deleted = true, body = $5,
    fts = ''::tsvector
WHERE id = $1`

// DeleteSeizure replaces a live seizure with a tombstone at the next
// version: only the header remains, its goods lines and search vector go.
// ifVersion 0 deletes whatever version is stored.
func (s *Store) DeleteSeizure(ctx context.Context, actor, id string, ifVersion int64, at time.Time) error {
	err := s.write(ctx, func(w *writeTx) error {
		version, body, err := w.storedVersion(ctx, id)
		if err != nil {
			return err
		}
		if ifVersion != 0 && version != ifVersion {
			return crossguard.Errorf(crossguard.EPRECONDITIONFAILED,
				"seizure %s is at version %d, not %d: reload it before deleting", id, version, ifVersion)
		}
		next, err := w.queueTombstone(crossguard.KindSeizure, id, version, body, at)
		if err != nil {
			return err
		}
		w.recordAudit(at, actor, crossguard.ActionSeizureDelete, crossguard.KindSeizure, id,
			crossguard.AuditDetail("version", strconv.FormatInt(next, 10)))
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete seizure %s: %w", id, err)
	}
	return nil
}

// queueTombstone queues the replacement of the own live record id of
// kind, stored at version with body, by its tombstone: the header of its
// last version at the next version, updated at at, under the next change
// sequence number; a seizure's goods lines and search vector go. The
// shares of the record stay, so that the change feed serves the
// tombstone to every peer that may hold it. It returns that version.
func (w *writeTx) queueTombstone(kind, id string, version int64, body []byte, at time.Time) (int64, error) {
	next, tomb, err := storekit.Tombstone(body, version, at)
	if err != nil {
		return 0, err
	}
	if kind != crossguard.KindSeizure {
		w.queue(wrapExec("tombstone record"), tombstoneRecord, id, w.nextSeq(), next, at, tomb)
		return next, nil
	}
	w.queue(wrapExec("tombstone seizure"), tombstoneSeizure, id, w.nextSeq(), next, at, tomb)
	w.queue(wrapExec("delete goods"), `DELETE FROM seizure_goods WHERE seizure_id = $1`, id)
	return next, nil
}
