package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"crossguard"

	"github.com/jackc/pgx/v5"
)

// ApplyPage applies a page of a peer's feed in one transaction: it stores
// newer versions (indexing seizures as local writes do), removes withdrawn
// copies, refuses older versions, ids of another origin or kind and
// withdrawals from a peer that did not send the copy, advances the peer's
// cursor and status, and audits all of it. ENOTFOUND if the peer is
// unknown.
//
// A page of any size costs a fixed number of round trips: one to lock the
// heads row, one to read the peer, the node's id and the rows the page
// names, and one that sends every write as multi-row statements (goods
// lines, seizures, records, withdrawals, audit entries, status, heads).
func (s *Store) ApplyPage(ctx context.Context, p *crossguard.InboundPage) (*crossguard.ApplyResult, error) {
	var res *crossguard.ApplyResult
	err := s.write(ctx, func(w *writeTx) error {
		self, held, err := w.readForApply(ctx, p)
		if err != nil {
			return err
		}
		a := &applier{page: p, self: self, held: held, res: &crossguard.ApplyResult{}, last: map[string]int{}}
		for _, r := range p.Records {
			if r != nil {
				if err := a.record(r); err != nil {
					return err
				}
			}
		}
		for _, wd := range p.Withdrawals {
			if err := a.withdraw(wd); err != nil {
				return err
			}
		}
		if err := a.queue(w); err != nil {
			return err
		}
		res = a.res
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("apply a page from %s: %w", p.Peer, err)
	}
	return res, nil
}

// heldRow is what the store holds of a record the page names.
type heldRow struct {
	kind, origin, via  string
	version            int64
	deleted, withdrawn bool
}

// table returns the table holding records of kind.
func table(kind string) string {
	if kind == crossguard.KindSeizure {
		return "seizures"
	}
	return "records"
}

// heldSQL reads the rows of the ids $1 in both tables.
const heldSQL = `SELECT id, 'seizure', origin, version, deleted, withdrawn, coalesce(via, '') FROM seizures WHERE id = ANY($1)
UNION ALL
SELECT id, kind, origin, version, deleted, withdrawn, coalesce(via, '') FROM records WHERE id = ANY($1)`

// readForApply checks that the page's peer is known and reads, in one round
// trip, this node's id and the rows of every record the page names.
func (w *writeTx) readForApply(ctx context.Context, p *crossguard.InboundPage) (string, map[string]*heldRow, error) {
	ids := make([]string, 0, len(p.Records)+len(p.Withdrawals))
	for _, r := range p.Records {
		if r != nil {
			ids = append(ids, r.Header.ID)
		}
	}
	for _, wd := range p.Withdrawals {
		ids = append(ids, wd.ID)
	}
	var b pgx.Batch
	b.Queue(`SELECT EXISTS (SELECT 1 FROM peers WHERE id = $1), coalesce((SELECT node_id FROM node), '')`, p.Peer)
	b.Queue(heldSQL, ids)
	br := w.tx.SendBatch(ctx, &b)
	defer br.Close()
	var known bool
	var self string
	if err := br.QueryRow().Scan(&known, &self); err != nil {
		return "", nil, fmt.Errorf("read peer: %w", err)
	}
	if !known {
		return "", nil, crossguard.Errorf(crossguard.ENOTFOUND, "peer %s not found", p.Peer)
	}
	rows, err := br.Query()
	if err != nil {
		return "", nil, fmt.Errorf("read held records: %w", err)
	}
	held := make(map[string]*heldRow, len(ids))
	var id string
	var h heldRow
	_, err = pgx.ForEachRow(rows, []any{&id, &h.kind, &h.origin, &h.version, &h.deleted, &h.withdrawn, &h.via}, func() error {
		c := h
		held[id] = &c
		return nil
	})
	if err != nil {
		return "", nil, fmt.Errorf("read held records: %w", err)
	}
	if err := br.Close(); err != nil {
		return "", nil, fmt.Errorf("read held records: %w", err)
	}
	return self, held, nil
}

// applier decides what a page does, record by record, against the rows
// held, which it updates as it goes (an id named twice in a page is judged
// against what the first occurrence stored), and collects the writes to
// send at once.
type applier struct {
	page *crossguard.InboundPage
	self string
	held map[string]*heldRow
	res  *crossguard.ApplyResult

	ops     []*applyOp     // in page order
	last    map[string]int // index in ops of the latest stored version of an id
	applied []string       // ids of the versions stored, for the audit
	entries []*crossguard.AuditEntry
}

// applyOp is one write of a page: a version stored, or a copy withdrawn.
type applyOp struct {
	in       *crossguard.Incoming // the version stored; nil for a withdrawal
	id, kind string
	body     string // a withdrawn row's header
	dead     bool   // replaced by a later version of the same id in the page
}

// refuse records a refusal by the store.
func (a *applier) refuse(id, kind, origin, format string, args ...any) {
	a.res.Refused = append(a.res.Refused, crossguard.Refusal{ID: id, Kind: kind, Origin: origin, Reason: fmt.Sprintf(format, args...)})
}

// record judges one incoming version and, if it is new, stores it.
func (a *applier) record(r *crossguard.Incoming) error {
	h := &r.Header
	row := a.held[h.ID]
	switch {
	case row != nil && row.origin != h.Origin:
		a.refuse(h.ID, h.Kind, h.Origin, "record %s belongs to %s, not %s", h.ID, row.origin, h.Origin)
		return nil
	case row != nil && row.kind != h.Kind:
		a.refuse(h.ID, h.Kind, h.Origin, "record %s is a %s, not a %s", h.ID, row.kind, h.Kind)
		return nil
	case h.Origin == a.self:
		a.refuse(h.ID, h.Kind, h.Origin, "a version of this node's own record")
		return nil
	case row != nil && h.Version < row.version:
		a.refuse(h.ID, h.Kind, h.Origin, "version %d is older than the version %d held here: a replay", h.Version, row.version)
		return nil
	case row != nil && !row.withdrawn && h.Version == row.version:
		a.res.Unchanged++
		return nil
	case h.Kind == crossguard.KindSeizure && !r.Deleted && r.Seizure == nil:
		// The federation layer decodes every live seizure it passes on:
		// this is a defect, and the page is not applied.
		return fmt.Errorf("seizure %s version %d: a live version without its decoded record", h.ID, h.Version)
	}
	if i, ok := a.last[h.ID]; ok {
		a.ops[i].dead = true
	}
	a.last[h.ID] = len(a.ops)
	a.ops = append(a.ops, &applyOp{in: r, id: h.ID, kind: h.Kind})
	a.held[h.ID] = &heldRow{kind: h.Kind, origin: h.Origin, via: a.page.Peer, version: h.Version, deleted: r.Deleted}
	a.applied = append(a.applied, h.ID)
	a.res.Applied++
	return nil
}

// withdrawnHeader is all a withdrawn row keeps of its record.
type withdrawnHeader struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Origin  string `json:"origin"`
	Version int64  `json:"version"`
}

// withdraw judges one withdrawal and, if the copy is the peer's to
// withdraw, removes it.
func (a *applier) withdraw(wd crossguard.Withdrawal) error {
	row := a.held[wd.ID]
	switch {
	case row == nil || row.deleted:
		return nil // nothing readable is held
	case row.origin == a.self:
		a.refuse(wd.ID, wd.Kind, wd.Origin, "withdrawal of this node's own record")
		return nil
	case row.via != a.page.Peer && row.origin != a.page.Peer:
		via := row.via
		if via == "" {
			via = "no peer"
		}
		a.refuse(wd.ID, wd.Kind, wd.Origin, "withdrawal from %s of a copy received from %s", a.page.Peer, via)
		return nil
	}
	body, err := json.Marshal(withdrawnHeader{ID: wd.ID, Kind: row.kind, Origin: row.origin, Version: row.version})
	if err != nil {
		return fmt.Errorf("encode withdrawn header: %w", err)
	}
	a.ops = append(a.ops, &applyOp{id: wd.ID, kind: row.kind, body: string(body)})
	row.deleted, row.withdrawn = true, true
	a.entries = append(a.entries, &crossguard.AuditEntry{At: a.page.At, Actor: a.page.Peer,
		Action: crossguard.ActionFedWithdrawn, RecordKind: row.kind, RecordID: wd.ID,
		Outcome: crossguard.OutcomeOK, Detail: wd.Reason})
	a.res.Withdrawn++
	return nil
}

// queue gives the page's writes their change sequence numbers in page
// order, and queues them with the audit entries and the peer's status.
// Goods lines are removed for every seizure the page writes and added back
// for those it leaves live.
func (a *applier) queue(w *writeTx) error {
	var sz seizureRows
	var rc recordRows
	var goods goodsCols
	var unindex []string
	var wdSeizures, wdRecords withdrawRows
	final := make(map[string]*applyOp, len(a.ops))
	for _, op := range a.ops {
		if !op.dead {
			final[op.id] = op
		}
	}
	for _, op := range a.ops {
		if op.dead {
			continue
		}
		seq := w.nextSeq()
		isSeizure := op.kind == crossguard.KindSeizure
		if isSeizure {
			unindex = append(unindex, op.id)
		}
		switch {
		case op.in == nil && isSeizure:
			wdSeizures.add(op.id, seq, op.body)
		case op.in == nil:
			wdRecords.add(op.id, seq, op.body)
		case isSeizure:
			if err := sz.add(op.in, seq, a.page.Peer); err != nil {
				return err
			}
			if !op.in.Deleted && final[op.id] == op {
				goods.add(op.in.Seizure)
			}
		default:
			if err := rc.add(op.in, seq, a.page.Peer); err != nil {
				return err
			}
		}
	}
	if len(unindex) > 0 {
		w.queue(wrapExec("delete goods"), `DELETE FROM seizure_goods WHERE seizure_id = ANY($1)`, unindex)
	}
	if !sz.empty() {
		w.queue(wrapExec("store seizures"), upsertReceivedSeizures, sz.args()...)
	}
	if !rc.empty() {
		w.queue(wrapExec("store records"), upsertReceivedRecords, rc.args()...)
	}
	if !wdSeizures.empty() {
		w.queue(wrapExec("withdraw seizures"), withdrawSeizures, wdSeizures.args()...)
	}
	if !wdRecords.empty() {
		w.queue(wrapExec("withdraw records"), withdrawRecords, wdRecords.args()...)
	}
	if !goods.empty() {
		w.queue(wrapExec("insert goods"), insertGoods, goods.args()...)
	}
	a.queueStatus(w)
	return nil
}

// queueStatus audits the page and queues the update of the peer's status.
// The entries go in this order: the refusals of the federation layer, then
// the store's refusals, then the withdrawals, then the page received.
func (a *applier) queueStatus(w *writeTx) {
	p := a.page
	refusals := append(append([]crossguard.Refusal{}, p.Refused...), a.res.Refused...)
	for _, r := range refusals {
		w.audit(&crossguard.AuditEntry{At: p.At, Actor: p.Peer, Action: crossguard.ActionFedRefuse,
			RecordKind: r.Kind, RecordID: r.ID, Outcome: crossguard.OutcomeDenied, Detail: r.Reason})
	}
	for _, e := range a.entries {
		w.audit(e)
	}
	w.audit(&crossguard.AuditEntry{At: p.At, Actor: p.Peer, Action: crossguard.ActionFedReceive,
		Outcome: crossguard.OutcomeOK, Detail: crossguard.AuditDetail(
			"applied", strconv.Itoa(a.res.Applied), "unchanged", strconv.Itoa(a.res.Unchanged),
			"withdrawn", strconv.Itoa(a.res.Withdrawn), "refused", strconv.Itoa(len(refusals)),
			"ids", strings.Join(a.applied, " "))})
	summary := crossguard.RefusalSummary(p.Peer, refusals)
	var errorAt any
	if summary != "" {
		errorAt = p.At
	}
	w.queue(peerChanged(p.Peer), `UPDATE peers SET cursor = $2, remote_head = $3, last_exchange = $4,
		received = received + $5, refused = refused + $6, last_error = $7, last_error_at = $8::timestamptz
		WHERE id = $1`, p.Peer, p.Cursor, p.RemoteHead, p.At, a.res.Applied, len(refusals), summary, errorAt)
}
