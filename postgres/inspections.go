package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"crossguard"
	"crossguard/storekit"

	"github.com/jackc/pgx/v5"
)

// upsertInspection stores an inspection, replacing the one before.
const upsertInspection = `INSERT INTO inspections (declaration_id, result, seizure_id, recovered_revenue, notes, fraud, critical, source, at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (declaration_id) DO UPDATE SET result = excluded.result, seizure_id = excluded.seizure_id,
    recovered_revenue = excluded.recovered_revenue, notes = excluded.notes, fraud = excluded.fraud,
    critical = excluded.critical, source = excluded.source, at = excluded.at`

// RecordInspection stores (or replaces) the inspection of a stored
// declaration, with its label as given, and audits it at in.At;
// ENOTFOUND if the declaration is unknown.
func (s *Store) RecordInspection(ctx context.Context, actor string, in *crossguard.Inspection) error {
	if err := storekit.CheckInspection(in); err != nil {
		return err
	}
	id := in.DeclarationID
	err := s.write(ctx, func(w *writeTx) error {
		var replaced bool
		err := w.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM inspections WHERE declaration_id = $1) FROM declarations WHERE id = $1`, id).Scan(&replaced)
		if errors.Is(err, pgx.ErrNoRows) {
			return crossguard.Errorf(crossguard.ENOTFOUND, "declaration %s not found", id)
		}
		if err != nil {
			return fmt.Errorf("look up declaration: %w", err)
		}
		w.queue(wrapExec("store inspection"), upsertInspection, id, in.Result, in.SeizureID, in.RecoveredRevenue, in.Notes,
			in.Label.Fraud, in.Label.Critical, in.Source, in.At)
		w.audit(storekit.InspectionAudit(actor, in, replaced))
		return nil
	})
	if err != nil {
		return fmt.Errorf("record inspection of %s: %w", id, err)
	}
	return nil
}

// labelledSQL reads every inspected declaration with its label, in
// received order, ties by id.
const labelledSQL = `SELECT d.id, d.body, i.fraud, i.critical
FROM declarations d JOIN inspections i ON i.declaration_id = d.id
ORDER BY d.received_at, d.id`

// LabelledDeclarations calls fn for every inspected declaration with the
// inspection's label, in received order (ties by id). The rows stream
// from one query as fn takes them, so that memory stays bounded however
// many there are; it stops at fn's first error and returns it.
func (s *Store) LabelledDeclarations(ctx context.Context, fn func(*crossguard.Declaration, crossguard.Label) error) error {
	rows, err := s.pool.Query(ctx, labelledSQL)
	if err != nil {
		return fmt.Errorf("labelled declarations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var body []byte
		var fraud, critical int32
		if err := rows.Scan(&id, &body, &fraud, &critical); err != nil {
			return fmt.Errorf("labelled declarations: %w", err)
		}
		d := &crossguard.Declaration{}
		if err := json.Unmarshal(body, d); err != nil {
			return fmt.Errorf("labelled declarations: decode %s: %w", id, err)
		}
		if err := fn(d, crossguard.Label{Fraud: int(fraud), Critical: int(critical)}); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("labelled declarations: %w", err)
	}
	return nil
}
