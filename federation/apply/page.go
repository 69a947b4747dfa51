package apply

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"crossguard"
	"crossguard/storekit"
)

// Reasons given in refusals and in the audit entries of withdrawn copies,
// besides those that name the record, its versions or peers.
const (
	// ReasonOwn refuses a version of this node's own record.
	ReasonOwn = "a version of this node's own record"
	// ReasonOwnWithdraw refuses a withdrawal of this node's own record.
	ReasonOwnWithdraw = "withdrawal of this node's own record"
	// ReasonLoop is why a copy goes when the last peers that supported it
	// offered it back along a path through this node.
	ReasonLoop = "its last source offered it along a path through this node: that copy depends on this one"
)

// page decides one page: a decider with the page's peer and time.
type page struct {
	*decider
	p       *crossguard.InboundPage
	applied []string // ids of the versions stored, for the audit
	// withdrawals counts the page's withdrawals that dropped the peer as
	// a source of a copy.
	withdrawals int
}

// Page decides what page p does to what is held, h (which it updates),
// item by item: records first, then withdrawals, each in page order (see
// the package doc for the order of checks). Its batch audits, in order,
// the refusals of the federation layer (p.Refused), then the store's
// refusals and the copies withdrawn as the items come, then the page
// received. The error reports a page the federation layer should never
// have passed on; nothing of it is to be written.
func Page(p *crossguard.InboundPage, h *Held) (*Batch, error) {
	pg := &page{decider: newDecider(h), p: p}
	for _, r := range p.Refused {
		pg.auditRefusal(r)
	}
	for _, r := range p.Records {
		if r == nil {
			continue
		}
		if err := pg.record(r); err != nil {
			return nil, err
		}
	}
	for _, wd := range p.Withdrawals {
		pg.withdraw(wd)
	}
	return pg.finish(), nil
}

// IDs returns the ids page p names, in its records and its withdrawals:
// those whose rows and sources a store reads for Page.
func IDs(p *crossguard.InboundPage) []string {
	ids := make([]string, 0, len(p.Records)+len(p.Withdrawals))
	for _, r := range p.Records {
		if r != nil {
			ids = append(ids, r.Header.ID)
		}
	}
	for _, wd := range p.Withdrawals {
		ids = append(ids, wd.ID)
	}
	return ids
}

// removal is how the page audits a copy it withdraws, for reason.
func (pg *page) removal(reason string) Removal {
	return Removal{Actor: pg.p.Peer, Action: crossguard.ActionFedWithdrawn, Reason: reason, At: pg.p.At}
}

// refuse refuses an item of the page, for reason.
func (pg *page) refuse(id, kind, origin, reason string) {
	r := crossguard.Refusal{ID: id, Kind: kind, Origin: origin, Reason: reason}
	pg.res.Refused = append(pg.res.Refused, r)
	pg.auditRefusal(r)
}

// auditRefusal audits refusal r of the page.
func (pg *page) auditRefusal(r crossguard.Refusal) {
	pg.audit = append(pg.audit, &crossguard.AuditEntry{At: pg.p.At, Actor: pg.p.Peer, Action: crossguard.ActionFedRefuse,
		RecordKind: r.Kind, RecordID: r.ID, Outcome: crossguard.OutcomeDenied, Detail: r.Reason})
}

// record judges one received version.
func (pg *page) record(r *crossguard.Incoming) error {
	h := &r.Header
	row := pg.held.Rows[h.ID]
	peer := pg.p.Peer
	switch {
	case row != nil && row.Kind != h.Kind:
		pg.refuse(h.ID, h.Kind, h.Origin, fmt.Sprintf("record %s is a %s, not a %s", h.ID, row.Kind, h.Kind))
		return nil
	case row != nil && row.Origin != h.Origin:
		pg.refuse(h.ID, h.Kind, h.Origin, fmt.Sprintf("record %s belongs to %s, not %s", h.ID, row.Origin, h.Origin))
		return nil
	case h.Origin == pg.held.Self:
		pg.refuse(h.ID, h.Kind, h.Origin, ReasonOwn)
		return nil
	case slices.Contains(r.Path, pg.held.Self):
		// The sender's copy depends on this node's: it supports nothing.
		pg.res.Looped++
		if pg.dropSource(h.ID, peer) && row != nil && !row.Deleted {
			pg.resupport(h.ID, row, pg.removal(ReasonLoop))
		}
		return nil
	case row != nil && h.Version < row.Version:
		pg.refuse(h.ID, h.Kind, h.Origin, fmt.Sprintf("version %d is older than the version %d held here: a replay", h.Version, row.Version))
		return nil
	case row != nil && !row.Withdrawn && h.Version == row.Version:
		if !r.Deleted && !row.Deleted {
			pg.offer(h.ID, row, h.Version, r.Path)
		}
		pg.res.Unchanged++
		return nil
	case !r.Deleted && h.Kind == crossguard.KindSeizure && (r.Seizure == nil || r.Seizure.ID != h.ID):
		return crossguard.Errorf(crossguard.EINVALID, "received seizure %s version %d comes without its decoded record", h.ID, h.Version)
	case !r.Deleted && h.Kind != crossguard.KindSeizure && len(r.Signed.Record) == 0:
		return crossguard.Errorf(crossguard.EINVALID, "received %s %s version %d has no signed record", h.Kind, h.ID, h.Version)
	}
	stored := &Row{Kind: h.Kind, Origin: h.Origin, Version: h.Version, Deleted: r.Deleted, Via: peer}
	if r.Deleted {
		// The origin deleted the record: no peer's copy supports anything.
		pg.dropSources(h.ID)
	} else {
		stored.Path = r.Path
		pg.setSource(h.ID, peer, Source{Version: h.Version, Path: r.Path})
	}
	pg.held.Rows[h.ID] = stored
	pg.write(h.ID, r)
	pg.applied = append(pg.applied, h.ID)
	pg.res.Applied++
	return nil
}

// offer records the page's peer as a source of the live copy row of
// record id, which it holds at version. If the peer is the copy's current
// source and its path changed, the copy takes the new path, at a new
// change so that the feed serves it on.
func (pg *page) offer(id string, row *Row, version int64, path []string) {
	pg.setSource(id, pg.p.Peer, Source{Version: version, Path: path})
	if row.Via == pg.p.Peer && !slices.Equal(row.Path, path) {
		row.Path = path
		pg.write(id, nil)
	}
}

// withdraw judges one withdrawal: the page's peer stops being a source of
// the copy, which goes if no source is left. A withdrawal of the node's
// own record, or of a live copy from a peer that is not one of its
// sources, is refused; one of a copy already withdrawn or deleted changes
// nothing but its sources.
func (pg *page) withdraw(wd crossguard.Withdrawal) {
	row := pg.held.Rows[wd.ID]
	peer := pg.p.Peer
	switch {
	case row == nil:
		return // nothing is held
	case row.Via == "" || row.Origin == pg.held.Self:
		pg.refuse(wd.ID, wd.Kind, wd.Origin, ReasonOwnWithdraw)
		return
	}
	wasSource := pg.dropSource(wd.ID, peer)
	if wasSource {
		pg.withdrawals++
	}
	switch {
	case row.Deleted:
	case !wasSource:
		pg.refuse(wd.ID, wd.Kind, wd.Origin, fmt.Sprintf("withdrawal from %s of a copy received from %s", peer, row.Via))
	default:
		pg.resupport(wd.ID, row, pg.removal(wd.Reason))
	}
}

// finish returns the page's batch: its rows and sources, its audit
// entries ending with the page received, and the peer's new status.
func (pg *page) finish() *Batch {
	p := pg.p
	refusals := append(append([]crossguard.Refusal{}, p.Refused...), pg.res.Refused...)
	pg.audit = append(pg.audit, &crossguard.AuditEntry{At: p.At, Actor: p.Peer, Action: crossguard.ActionFedReceive,
		Outcome: crossguard.OutcomeOK, Detail: crossguard.AuditDetail("cursor", strconv.FormatInt(p.Cursor, 10),
			"applied", strconv.Itoa(pg.res.Applied), "unchanged", strconv.Itoa(pg.res.Unchanged),
			"withdrawn", strconv.Itoa(pg.res.Withdrawn), "looped", strconv.Itoa(pg.res.Looped),
			"refused", strconv.Itoa(len(refusals)), "ids", strings.Join(pg.applied, " "))})
	b := pg.batch()
	b.Status = &Status{Applied: pg.res.Applied, Refused: len(refusals), Withdrawals: pg.withdrawals,
		LastError: crossguard.RefusalSummary(p.Peer, refusals), LastRefusal: storekit.LastRefusalOf(p, &pg.res)}
	if len(refusals) > 0 {
		b.Status.RefusedByClass = storekit.CountRefusals(refusals)
	}
	return b
}
