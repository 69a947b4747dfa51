package postgres

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"crossguard"
	"crossguard/storekit"
)

// withdrawnHeader is all a withdrawn row keeps of its record.
type withdrawnHeader struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Origin  string `json:"origin"`
	Version int64  `json:"version"`
}

// queue gives each row the page changed one change sequence number, in the
// order of their latest change, and queues the writes that take every row
// and source to the state the page left it in, with the audit entries and
// the peer's status. A row the page stored a version in and then withdrew
// is stored, then withdrawn, under the same number. Goods lines are
// removed for every seizure whose content the page replaces or withdraws,
// and added back for those it leaves live.
func (a *applier) queue(w *writeTx) error {
	if err := a.queueRows(w); err != nil {
		return err
	}
	a.queueStatus(w)
	return nil
}

// queueRows queues the writes of queue but the page's audit and status:
// the rows, their goods lines and the sources, and the audit entries of
// the copies removed.
func (a *applier) queueRows(w *writeTx) error {
	writes := make([]*rowWrite, 0, len(a.writes))
	for _, wr := range a.writes {
		writes = append(writes, wr)
	}
	slices.SortFunc(writes, func(x, y *rowWrite) int { return cmp.Compare(x.last, y.last) })
	var (
		sz                    seizureRows
		rc                    recordRows
		goods                 goodsCols
		unindex               []string
		switched              switchRows
		wdSeizures, wdRecords withdrawRows
	)
	for _, wr := range writes {
		seq := w.nextSeq()
		row := a.held[wr.id]
		isSeizure := wr.kind == crossguard.KindSeizure
		if isSeizure && (wr.in != nil || row.withdrawn) {
			unindex = append(unindex, wr.id)
		}
		switch {
		case wr.in != nil && isSeizure:
			if err := sz.add(wr.in, seq, row.via, row.path); err != nil {
				return err
			}
			if !row.deleted {
				goods.add(wr.in.Seizure)
			}
		case wr.in != nil:
			if err := rc.add(wr.in, seq, row.via, row.path); err != nil {
				return err
			}
		case !row.deleted:
			switched.add(wr.id, seq, row.via, row.path)
		}
		if row.withdrawn {
			body, err := json.Marshal(withdrawnHeader{ID: wr.id, Kind: row.kind, Origin: row.origin, Version: row.version})
			if err != nil {
				return fmt.Errorf("encode withdrawn header: %w", err)
			}
			if isSeizure {
				wdSeizures.add(wr.id, seq, string(body))
			} else {
				wdRecords.add(wr.id, seq, string(body))
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
	if !switched.empty() {
		w.queue(wrapExec("switch sources"), switchSources, switched.args()...)
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
	a.queueSources(w)
	return nil
}

// queueSources queues the sources the page added, changed or removed: one
// statement for those removed, one for the others.
func (a *applier) queueSources(w *writeTx) {
	keys := make([]sourceKey, 0, len(a.dirty))
	for k := range a.dirty {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y sourceKey) int { return cmp.Or(cmp.Compare(x.id, y.id), cmp.Compare(x.peer, y.peer)) })
	var gone, kept sourceRows
	for _, k := range keys {
		if src, ok := a.sources[k.id][k.peer]; ok {
			kept.add(k, src)
		} else {
			gone.add(k, source{})
		}
	}
	if !gone.empty() {
		w.queue(wrapExec("delete sources"), deleteSources, gone.id, gone.peer)
	}
	if !kept.empty() {
		w.queue(wrapExec("store sources"), upsertSources, kept.id, kept.peer, kept.version, kept.path)
	}
}

// queueStatus audits the page and queues the update of the peer's status.
// The entries go in this order: the refusals of the federation layer, then
// the store's refusals, then the copies removed, then the page received.
func (a *applier) queueStatus(w *writeTx) {
	p := a.page
	refusals := append(append([]crossguard.Refusal{}, p.Refused...), a.res.Refused...)
	for _, r := range refusals {
		w.audit(&crossguard.AuditEntry{At: p.At, Actor: p.Peer, Action: crossguard.ActionFedRefuse,
			RecordKind: r.Kind, RecordID: r.ID, Outcome: crossguard.OutcomeDenied, Detail: r.Reason})
	}
	a.queueEntries(w)
	w.audit(&crossguard.AuditEntry{At: p.At, Actor: p.Peer, Action: crossguard.ActionFedReceive,
		Outcome: crossguard.OutcomeOK, Detail: crossguard.AuditDetail(
			"applied", strconv.Itoa(a.res.Applied), "unchanged", strconv.Itoa(a.res.Unchanged),
			"withdrawn", strconv.Itoa(a.res.Withdrawn), "looped", strconv.Itoa(a.res.Looped),
			"refused", strconv.Itoa(len(refusals)), "ids", strings.Join(a.applied, " "))})
	summary := crossguard.RefusalSummary(p.Peer, refusals)
	var errorAt any
	if summary != "" {
		errorAt = p.At
	}
	w.queue(peerChanged(p.Peer), `UPDATE peers SET cursor = $2, remote_head = $3, last_exchange = $4,
		received = received + $5, refused = refused + $6, last_error = $7, last_error_at = $8::timestamptz,
		withdrawals_received = withdrawals_received + $9
		WHERE id = $1`, p.Peer, p.Cursor, p.RemoteHead, p.At, a.res.Applied, len(refusals), summary, errorAt, a.withdrawals)
	a.queueRefusals(w, len(refusals))
}

// queueRefusals keeps the page's last refusal in the peer's status until
// an operator acknowledges it, and counts the page's n refusals by class.
func (a *applier) queueRefusals(w *writeTx, n int) {
	p := a.page
	if last := storekit.LastRefusalOf(p, a.res); last != nil {
		w.keepRefusals(p.Peer, *last, n, storekit.CountRefusals(p.Refused, a.res.Refused), p.At)
	}
}

// keepRefusals queues the counting of n refusals from a peer, by class,
// and keeps last as its last refusal until an operator acknowledges it.
func (w *writeTx) keepRefusals(peer string, last crossguard.Refusal, n int, byClass map[string]int64, at time.Time) {
	w.queue(peerChanged(peer), `UPDATE peers SET last_refusal = $2, last_refusal_at = $3, last_refusal_kind = $4,
		last_refusal_id = $5, last_refusal_origin = $6, refused_unacked = refused_unacked + $7 WHERE id = $1`,
		peer, last.Reason, at, last.Kind, last.ID, last.Origin, n)
	var classes []string
	var counts []int64
	for class, c := range byClass {
		classes, counts = append(classes, class), append(counts, c)
	}
	w.queue(wrapExec("count refusals"), `INSERT INTO peer_refusals (peer, class, count)
		SELECT $1, * FROM unnest($2::text[], $3::bigint[])
		ON CONFLICT (peer, class) DO UPDATE SET count = peer_refusals.count + excluded.count`, peer, classes, counts)
}

// queueEntries audits the copies removed.
func (a *applier) queueEntries(w *writeTx) {
	for _, e := range a.entries {
		w.audit(e)
	}
}
