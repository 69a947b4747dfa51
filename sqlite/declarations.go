package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"crossguard"
	"crossguard/storekit"
)

// Multi-row inserts of declarations, decisions, the profiles of decisions
// and inspections. All are OR ROLLBACK, as seizures' are: a conflict rolls
// the whole transaction back without a statement journal. Only the
// declaration id can conflict, since decisions and inspections are keyed
// by it; SaveDeclarations then looks for the id at fault.
const (
	declarationsHead  = `INSERT OR ROLLBACK INTO declarations (id, received_at, crossing, date, body) VALUES `
	declarationsRow   = `(?, ?, ?, ?, ?)`
	decisionsHead     = `INSERT OR ROLLBACK INTO decisions (declaration_id, channel, score, selected_by, model_version, crossing, decided_at, reasons) VALUES `
	decisionsRow      = `(?, ?, ?, ?, ?, ?, ?, ?)`
	decisionProfsHead = `INSERT OR ROLLBACK INTO decision_profiles (declaration_id, profile_id, pos) VALUES `
	decisionProfsRow  = `(?, ?, ?)`
	inspectionsHead   = `INSERT OR ROLLBACK INTO inspections (declaration_id, result, seizure_id, recovered_revenue, notes, fraud, critical, source, at) VALUES `
	inspectionsRow    = `(?, ?, ?, ?, ?, ?, ?, ?, ?)`
)

// errDeclarationConflict reports that a multi-row insert of declarations
// met an id already stored and rolled the transaction back.
var errDeclarationConflict = errors.New("a declaration of the batch is already stored")

// encodedEntry is a declaration entry with its JSON encoded before the
// write lock is taken.
type encodedEntry struct {
	*crossguard.DeclarationEntry
	id      string
	body    string
	reasons string
}

// encodeEntries checks entries and encodes their declarations and reasons.
func encodeEntries(entries []*crossguard.DeclarationEntry) ([]encodedEntry, error) {
	if err := storekit.CheckDeclarationEntries(entries); err != nil {
		return nil, err
	}
	out := make([]encodedEntry, len(entries))
	for i, e := range entries {
		id := string(e.Declaration.DeclarationID)
		body, err := json.Marshal(e.Declaration)
		if err != nil {
			return nil, fmt.Errorf("encode declaration %s: %w", id, err)
		}
		out[i] = encodedEntry{DeclarationEntry: e, id: id, body: string(body)}
		if e.Decision != nil {
			r, err := json.Marshal(e.Decision.Reasons)
			if err != nil {
				return nil, fmt.Errorf("encode reasons of declaration %s: %w", id, err)
			}
			out[i].reasons = string(r)
		}
	}
	return out, nil
}

// SaveDeclarations stores new declarations with their decisions and
// inspections in one transaction, with progress if not nil, and one audit
// entry for the whole call (at the latest received time of the batch,
// with the count and the first and last id). Declarations take no change
// sequence number. A declaration id already stored, or twice in the
// batch, fails the call with ECONFLICT naming it, and nothing of the call
// is stored.
func (s *Store) SaveDeclarations(ctx context.Context, actor string, entries []*crossguard.DeclarationEntry, progress *crossguard.ImportProgress) error {
	if len(entries) == 0 && progress == nil {
		return nil
	}
	batch, err := encodeEntries(entries)
	if err != nil {
		return fmt.Errorf("save declarations: %w", err)
	}
	var audit *crossguard.AuditEntry
	if len(entries) > 0 {
		audit = storekit.DeclarationBatchAudit(actor, entries)
	}
	err = s.write(ctx, "save declarations", func(tx *writeTx) error { return saveDeclarations(ctx, tx, batch, audit, progress) })
	if errors.Is(err, errDeclarationConflict) {
		return s.declarationConflict(ctx, batch)
	}
	return err
}

// saveDeclarations writes batch, its audit entry (if not nil) and
// progress in tx.
func saveDeclarations(ctx context.Context, tx *writeTx, batch []encodedEntry, audit *crossguard.AuditEntry, progress *crossguard.ImportProgress) error {
	decls := newBulkInsert(tx.Tx, declarationsHead, declarationsRow)
	defer decls.close()
	decisions := newBulkInsert(tx.Tx, decisionsHead, decisionsRow)
	defer decisions.close()
	profiles := newBulkInsert(tx.Tx, decisionProfsHead, decisionProfsRow)
	defer profiles.close()
	inspections := newBulkInsert(tx.Tx, inspectionsHead, inspectionsRow)
	defer inspections.close()
	for i := range batch {
		e := &batch[i]
		err := decls.add(ctx, e.id, formatTime(e.ReceivedAt), e.Declaration.Crossing, e.Declaration.Date, e.body)
		if isUnique(err, "declarations.id") {
			return errDeclarationConflict
		} else if err != nil {
			return fmt.Errorf("save declarations: up to %s: %w", e.id, err)
		}
		if d := e.Decision; d != nil {
			err := decisions.add(ctx, e.id, d.Channel, d.Score, d.SelectedBy, d.ModelVersion, d.Crossing, formatTime(d.DecidedAt), e.reasons)
			if err != nil {
				return fmt.Errorf("save declarations: decisions up to %s: %w", e.id, err)
			}
			for pos, p := range storekit.UniqueProfiles(d.Profiles) {
				if err := profiles.add(ctx, e.id, p, pos); err != nil {
					return fmt.Errorf("save declarations: profiles of decisions up to %s: %w", e.id, err)
				}
			}
		}
		if in := e.Inspection; in != nil {
			if err := inspections.add(ctx, inspectionArgs(e.id, in)...); err != nil {
				return fmt.Errorf("save declarations: inspections up to %s: %w", e.id, err)
			}
		}
	}
	for _, f := range []struct {
		what string
		b    *bulkInsert
	}{{"declarations", decls}, {"decisions", decisions}, {"profiles of decisions", profiles}, {"inspections", inspections}} {
		err := f.b.flush(ctx)
		if isUnique(err, "declarations.id") {
			return errDeclarationConflict
		} else if err != nil {
			return fmt.Errorf("save declarations: %s: %w", f.what, err)
		}
	}
	if audit != nil {
		if err := tx.audit(ctx, audit); err != nil {
			return fmt.Errorf("save declarations: %w", err)
		}
	}
	if progress != nil {
		if err := saveProgress(ctx, tx, progress); err != nil {
			return fmt.Errorf("save declarations: %w", err)
		}
	}
	return nil
}

// inspectionArgs returns the values of an inspections row.
func inspectionArgs(id string, in *crossguard.Inspection) []any {
	return []any{id, in.Result, in.SeizureID, in.RecoveredRevenue, in.Notes, in.Label.Fraud, in.Label.Critical, in.Source, formatTime(in.At)}
}

// declarationConflict returns the ECONFLICT error of a batch that met a
// stored declaration, naming the first one of the batch that is stored.
func (s *Store) declarationConflict(ctx context.Context, batch []encodedEntry) error {
	const chunk = 500
	for lo := 0; lo < len(batch); lo += chunk {
		part := batch[lo:min(lo+chunk, len(batch))]
		args := make([]any, len(part))
		for i := range part {
			args[i] = part[i].id
		}
		q := `SELECT id FROM declarations WHERE id IN (?` + strings.Repeat(", ?", len(part)-1) + `)`
		rows, err := s.r.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("save declarations: look for stored ids: %w", err)
		}
		stored := map[string]bool{}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("save declarations: look for stored ids: %w", err)
			}
			stored[id] = true
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("save declarations: look for stored ids: %w", err)
		}
		for i := range part {
			if stored[part[i].id] {
				return crossguard.Errorf(crossguard.ECONFLICT, "declaration %s is already stored; nothing of this batch was stored", part[i].id)
			}
		}
	}
	return crossguard.Errorf(crossguard.ECONFLICT, "a declaration of the batch is already stored; nothing of this batch was stored")
}
