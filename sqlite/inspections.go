package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"crossguard"
	"crossguard/storekit"
)

// upsertInspectionSQL stores an inspection, replacing the one before.
const upsertInspectionSQL = `INSERT INTO inspections (declaration_id, result, seizure_id, recovered_revenue, notes, fraud, critical, source, at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
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
	return s.write(ctx, "record inspection", func(tx *writeTx) error {
		var before int
		err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM inspections WHERE declaration_id = ?1) FROM declarations WHERE id = ?1`, id).Scan(&before)
		if errors.Is(err, sql.ErrNoRows) {
			return crossguard.Errorf(crossguard.ENOTFOUND, "declaration %s not found", id)
		} else if err != nil {
			return fmt.Errorf("record inspection of %s: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, upsertInspectionSQL, inspectionArgs(id, in)...); err != nil {
			return fmt.Errorf("record inspection of %s: %w", id, err)
		}
		return tx.audit(ctx, storekit.InspectionAudit(actor, in, before > 0))
	})
}

// labelledPage is how many labelled declarations LabelledDeclarations
// reads at a time.
const labelledPage = 1000

// labelledSQL reads the next page of inspected declarations after a
// received time and id, in received order, ties by id.
const labelledSQL = `SELECT d.id, d.received_at, d.body, i.fraud, i.critical
FROM declarations d JOIN inspections i ON i.declaration_id = d.id
WHERE (d.received_at, d.id) > (?, ?)
ORDER BY d.received_at, d.id LIMIT ?`

// labelled is one inspected declaration of a page.
type labelled struct {
	decl  *crossguard.Declaration
	label crossguard.Label
}

// LabelledDeclarations calls fn for every inspected declaration with the
// inspection's label, in received order (ties by id). It reads them a
// page at a time, so that memory stays bounded and no read transaction
// stays open while fn runs; it stops at fn's first error and returns it.
func (s *Store) LabelledDeclarations(ctx context.Context, fn func(*crossguard.Declaration, crossguard.Label) error) error {
	var afterAt, afterID string
	for {
		page, lastAt, lastID, err := s.labelledPage(ctx, afterAt, afterID)
		if err != nil {
			return err
		}
		for _, l := range page {
			if err := fn(l.decl, l.label); err != nil {
				return err
			}
		}
		if len(page) < labelledPage {
			return nil
		}
		afterAt, afterID = lastAt, lastID
	}
}

// labelledPage reads the page after (afterAt, afterID) and returns it with
// the received time and id of its last declaration.
func (s *Store) labelledPage(ctx context.Context, afterAt, afterID string) ([]labelled, string, string, error) {
	rows, err := s.r.QueryContext(ctx, labelledSQL, afterAt, afterID, labelledPage)
	if err != nil {
		return nil, "", "", fmt.Errorf("labelled declarations: %w", err)
	}
	defer rows.Close()
	page := make([]labelled, 0, labelledPage)
	var id, at string
	for rows.Next() {
		var body []byte
		var l labelled
		if err := rows.Scan(&id, &at, &body, &l.label.Fraud, &l.label.Critical); err != nil {
			return nil, "", "", fmt.Errorf("labelled declarations: %w", err)
		}
		l.decl = &crossguard.Declaration{}
		if err := json.Unmarshal(body, l.decl); err != nil {
			return nil, "", "", fmt.Errorf("labelled declarations: decode %s: %w", id, err)
		}
		page = append(page, l)
	}
	if err := rows.Err(); err != nil {
		return nil, "", "", fmt.Errorf("labelled declarations: %w", err)
	}
	return page, at, id, nil
}
