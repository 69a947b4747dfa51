package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"crossguard"
	"crossguard/storekit"

	"github.com/jackc/pgx/v5"
)

// The inserts of SaveDeclarations, each of many rows in one statement.
// Declarations whose id is taken are skipped (the caller counts the rows
// inserted); decisions, their profiles and inspections are keyed by the
// declaration id and only ever written with it.
const (
	insertDeclarations = `INSERT INTO declarations (id, received_at, crossing, date, body)
SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[])
ON CONFLICT (id) DO NOTHING`
	insertDecisions = `INSERT INTO decisions (declaration_id, channel, score, selected_by, model_version, crossing, decided_at, reasons)
SELECT * FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[], $5::bigint[], $6::text[], $7::timestamptz[], $8::text[])`
	insertDecisionProfiles = `INSERT INTO decision_profiles (declaration_id, profile_id, pos)
SELECT * FROM unnest($1::text[], $2::text[], $3::int[])`
	insertInspections = `INSERT INTO inspections (declaration_id, result, seizure_id, recovered_revenue, notes, fraud, critical, source, at)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::text[], $6::int[], $7::int[], $8::text[], $9::timestamptz[])`
)

// errDeclarationConflict reports that the insert of declarations skipped
// an id already stored.
var errDeclarationConflict = errors.New("a declaration of the batch is already stored")

// declarationCols holds the rows of a batch column by column, the shape
// that unnest turns into rows.
type declarationCols struct {
	id, crossing, date, body                     []string
	received                                     []time.Time
	dID, channel, selectedBy, dCrossing, reasons []string
	score                                        []float64
	modelVersion                                 []int64
	decided                                      []time.Time
	pID, profile                                 []string
	pos                                          []int32
	iID, result, seizureID, notes, source        []string
	revenue                                      []float64
	fraud, critical                              []int32
	inspected                                    []time.Time
}

// add appends entry e, encoding its declaration and reasons.
func (c *declarationCols) add(e *crossguard.DeclarationEntry) error {
	id := string(e.Declaration.DeclarationID)
	body, err := json.Marshal(e.Declaration)
	if err != nil {
		return fmt.Errorf("encode declaration %s: %w", id, err)
	}
	c.id, c.received = append(c.id, id), append(c.received, e.ReceivedAt)
	c.crossing, c.date, c.body = append(c.crossing, e.Declaration.Crossing), append(c.date, e.Declaration.Date), append(c.body, string(body))
	if d := e.Decision; d != nil {
		reasons, err := json.Marshal(d.Reasons)
		if err != nil {
			return fmt.Errorf("encode reasons of declaration %s: %w", id, err)
		}
		c.dID, c.channel, c.selectedBy = append(c.dID, id), append(c.channel, d.Channel), append(c.selectedBy, d.SelectedBy)
		c.dCrossing, c.reasons = append(c.dCrossing, d.Crossing), append(c.reasons, string(reasons))
		c.score, c.modelVersion, c.decided = append(c.score, d.Score), append(c.modelVersion, d.ModelVersion), append(c.decided, d.DecidedAt)
		for i, p := range storekit.UniqueProfiles(d.Profiles) {
			c.pID, c.profile, c.pos = append(c.pID, id), append(c.profile, p), append(c.pos, int32(i))
		}
	}
	if in := e.Inspection; in != nil {
		c.iID, c.result, c.seizureID = append(c.iID, id), append(c.result, in.Result), append(c.seizureID, in.SeizureID)
		c.notes, c.source, c.revenue = append(c.notes, in.Notes), append(c.source, in.Source), append(c.revenue, in.RecoveredRevenue)
		c.fraud, c.critical = append(c.fraud, int32(in.Label.Fraud)), append(c.critical, int32(in.Label.Critical))
		c.inspected = append(c.inspected, in.At)
	}
	return nil
}

// SaveDeclarations stores new declarations with their decisions and
// inspections in one transaction, with progress if not nil, and one audit
// entry for the whole call (at the latest received time of the batch,
// with the count and the first and last id). Each table gets one
// statement of many rows, all sent in one round trip. Declarations take
// no change sequence number. A declaration id already stored, or twice in
// the batch, fails the call with ECONFLICT naming it, and nothing of the
// call is stored.
func (s *Store) SaveDeclarations(ctx context.Context, actor string, entries []*crossguard.DeclarationEntry, progress *crossguard.ImportProgress) error {
	if len(entries) == 0 && progress == nil {
		return nil
	}
	if err := storekit.CheckDeclarationEntries(entries); err != nil {
		return fmt.Errorf("save declarations: %w", err)
	}
	var c declarationCols
	for _, e := range entries {
		if err := c.add(e); err != nil {
			return fmt.Errorf("save declarations: %w", err)
		}
	}
	err := s.write(ctx, func(w *writeTx) error {
		if len(entries) > 0 {
			w.queue(checkDeclarationsInserted(len(entries)), insertDeclarations, c.id, c.received, c.crossing, c.date, c.body)
			w.audit(storekit.DeclarationBatchAudit(actor, entries))
		}
		if len(c.dID) > 0 {
			w.queue(wrapExec("insert decisions"), insertDecisions, c.dID, c.channel, c.score, c.selectedBy, c.modelVersion, c.dCrossing, c.decided, c.reasons)
		}
		if len(c.pID) > 0 {
			w.queue(wrapExec("insert profiles of decisions"), insertDecisionProfiles, c.pID, c.profile, c.pos)
		}
		if len(c.iID) > 0 {
			w.queue(wrapExec("insert inspections"), insertInspections, c.iID, c.result, c.seizureID, c.revenue, c.notes, c.fraud, c.critical, c.source, c.inspected)
		}
		if progress != nil {
			w.queue(checkImportSaved(progress), upsertImport, importArgs(progress)...)
		}
		return nil
	})
	if errors.Is(err, errDeclarationConflict) {
		return s.declarationConflict(ctx, c.id)
	}
	if err != nil {
		return fmt.Errorf("save %d declarations: %w", len(entries), err)
	}
	return nil
}

// checkDeclarationsInserted fails with errDeclarationConflict unless the
// insert of n declarations inserted them all.
func checkDeclarationsInserted(n int) func(pgx.BatchResults) error {
	return func(br pgx.BatchResults) error {
		tag, err := br.Exec()
		if err != nil {
			return fmt.Errorf("insert declarations: %w", err)
		}
		if tag.RowsAffected() != int64(n) {
			return errDeclarationConflict
		}
		return nil
	}
}

// declarationConflict returns the ECONFLICT error of a batch that met a
// stored declaration, naming the first one of the batch that is stored.
func (s *Store) declarationConflict(ctx context.Context, ids []string) error {
	var id string
	err := s.pool.QueryRow(ctx, `SELECT u.id FROM unnest($1::text[]) WITH ORDINALITY AS u(id, n)
		JOIN declarations d ON d.id = u.id ORDER BY u.n LIMIT 1`, ids).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return crossguard.Errorf(crossguard.ECONFLICT, "a declaration of the batch is already stored; nothing of this batch was stored")
	}
	if err != nil {
		return fmt.Errorf("save declarations: look for stored ids: %w", err)
	}
	return crossguard.Errorf(crossguard.ECONFLICT, "declaration %s is already stored; nothing of this batch was stored", id)
}
