package postgres

import (
	"time"

	"crossguard"
	"crossguard/federation/apply"
	"crossguard/storekit"
)

// queueBatch queues the writes of batch b, decided by the apply package:
// each row it changed takes one change sequence number, in the order of
// their latest change (a row stored and then withdrawn is stored, then
// withdrawn, under the same number); then the sources it added, changed
// or removed, the versions it keeps in the quarantine, and its audit
// entries. Goods lines are removed for every
// seizure whose content the batch replaces or withdraws, and added back
// for those it leaves live.
func (w *writeTx) queueBatch(b *apply.Batch) error {
	var (
		sz                    seizureRows
		rc                    recordRows
		goods                 goodsCols
		unindex               []string
		switched              switchRows
		wdSeizures, wdRecords withdrawRows
	)
	for _, c := range b.Changes {
		seq := w.nextSeq()
		row := c.Row
		path := storekit.EncodePath(row.Path)
		isSeizure := row.Kind == crossguard.KindSeizure
		if isSeizure && (c.Stored != nil || row.Withdrawn) {
			unindex = append(unindex, c.ID)
		}
		switch {
		case c.Stored != nil && isSeizure:
			if err := sz.add(c.Stored, seq, row.Via, path); err != nil {
				return err
			}
			if !row.Deleted {
				goods.add(c.Stored.Seizure)
			}
		case c.Stored != nil:
			if err := rc.add(c.Stored, seq, row.Via, path); err != nil {
				return err
			}
		case !row.Deleted:
			switched.add(c.ID, seq, row.Via, path)
		}
		if row.Withdrawn {
			body, err := storekit.WithdrawnBody(c.ID, row.Kind, row.Origin, row.Version)
			if err != nil {
				return err
			}
			if isSeizure {
				wdSeizures.add(c.ID, seq, body)
			} else {
				wdRecords.add(c.ID, seq, body)
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
	w.queueSources(b.Sources)
	w.queueKept(b.Quarantined)
	for _, e := range b.Audit {
		w.audit(e)
	}
	return nil
}

// queueSources queues the sources a batch added, changed or removed: one
// statement for those removed, one for the others.
func (w *writeTx) queueSources(changes []apply.SourceChange) {
	var gone, kept sourceRows
	for _, c := range changes {
		if c.Gone {
			gone.add(c)
		} else {
			kept.add(c)
		}
	}
	if !gone.empty() {
		w.queue(wrapExec("delete sources"), deleteSources, gone.id, gone.peer)
	}
	if !kept.empty() {
		w.queue(wrapExec("store sources"), upsertSources, kept.id, kept.peer, kept.version, kept.path)
	}
}

// queueStatus queues the update of the status of the peer of page p as st
// says.
func (w *writeTx) queueStatus(p *crossguard.InboundPage, st *apply.Status) {
	var errorAt any
	if st.LastError != "" {
		errorAt = p.At
	}
	w.queue(peerChanged(p.Peer), `UPDATE peers SET cursor = $2, remote_head = $3, last_exchange = $4,
		received = received + $5, refused = refused + $6, last_error = $7, last_error_at = $8::timestamptz,
		withdrawals_received = withdrawals_received + $9
		WHERE id = $1`, p.Peer, p.Cursor, p.RemoteHead, p.At, st.Applied, st.Refused, st.LastError, errorAt, st.Withdrawals)
	if st.LastRefusal != nil {
		w.keepRefusals(p.Peer, *st.LastRefusal, st.Refused, st.RefusedByClass, p.At)
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
