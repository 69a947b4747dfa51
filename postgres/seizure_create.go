package postgres

import (
	"context"
	"errors"
	"fmt"

	"crossguard"

	"github.com/jackc/pgx/v5"
)

// CreateSeizures inserts fully stamped seizures in one transaction: the
// seizure rows, their goods lines and search vectors, one audit entry each
// and, if progress is not nil, the import's progress. Each table gets one
// multi-row statement, and all of them travel in one round trip. A taken id
// fails the whole batch with ECONFLICT.
func (s *Store) CreateSeizures(ctx context.Context, actor string, items []*crossguard.Seizure, progress *crossguard.ImportProgress) error {
	if len(items) == 0 && progress == nil {
		return nil
	}
	err := s.write(ctx, func(w *writeTx) error {
		var rows seizureCols
		var goods goodsCols
		for _, it := range items {
			if err := rows.add(it, w.nextSeq()); err != nil {
				return err
			}
			goods.add(it)
			w.recordAudit(it.CreatedAt, actor, crossguard.ActionSeizureCreate, crossguard.KindSeizure, it.ID, "")
		}
		if len(items) > 0 {
			w.queue(func(br pgx.BatchResults) error { return checkInserted(br, items) }, insertSeizures, rows.args()...)
			w.queue(checkNotRecord, `SELECT id FROM records WHERE id = ANY($1) LIMIT 1`, rows.id)
		}
		if !goods.empty() {
			w.queue(wrapExec("insert goods"), insertGoods, goods.args()...)
		}
		if progress != nil {
			w.queue(checkImportSaved(progress), upsertImport, importArgs(progress)...)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("create %d seizures: %w", len(items), err)
	}
	return nil
}

// checkInserted reads the ids that insertSeizures returned and fails with
// ECONFLICT naming the first item that was not inserted because its id was
// taken, by a stored seizure or an earlier item of the same batch.
func checkInserted(br pgx.BatchResults, items []*crossguard.Seizure) error {
	rows, err := br.Query()
	if err != nil {
		return fmt.Errorf("insert seizures: %w", err)
	}
	inserted := make(map[string]int, len(items))
	var id string
	_, err = pgx.ForEachRow(rows, []any{&id}, func() error {
		inserted[id]++
		return nil
	})
	if err != nil {
		return fmt.Errorf("insert seizures: %w", err)
	}
	if len(inserted) == len(items) {
		return nil
	}
	seen := make(map[string]bool, len(items))
	for _, it := range items {
		if inserted[it.ID] == 0 || seen[it.ID] {
			return crossguard.Errorf(crossguard.ECONFLICT, "seizure %s already exists", it.ID)
		}
		seen[it.ID] = true
	}
	return crossguard.Errorf(crossguard.ECONFLICT, "a seizure of the batch already exists")
}

// checkNotRecord fails with ECONFLICT if the query for records holding
// one of the new seizures' ids found one: an id names one record of one
// kind.
func checkNotRecord(br pgx.BatchResults) error {
	var id string
	err := br.QueryRow().Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("look for records of the ids: %w", err)
	}
	return crossguard.Errorf(crossguard.ECONFLICT, "record %s already exists, and is not a seizure", id)
}
