package crossguard

import (
	"cmp"
	"slices"
	"time"
)

// Retention is what an agreement's scope.retention_days means on one
// node for one group of records (see docs/retention.md): whether they go,
// after how many days from their created_at, and which agreement says so.
type Retention struct {
	// Days is the retention period; 0 means the records are kept (no
	// agreement with a retention brings them).
	Days int `json:"days"`
	// Agreement is the id of the agreement that sets Days, and Title its
	// title; "" when the records are kept.
	Agreement string `json:"agreement,omitempty"`
	Title     string `json:"agreement_title,omitempty"`
	// Rule says which rule decided, in words: "copy" (the shortest
	// retention among the agreements that brought a partner's record),
	// "origin" (the longest retention among the agreements that share an
	// own record), or why the records are kept.
	Rule string `json:"rule"`
}

// Retention rules, as Retention.Rule names them.
const (
	RetentionCopy       = "copy"
	RetentionOrigin     = "origin"
	RetentionKept       = "kept: no agreement in force with a retention covers them"
	RetentionKeptLocal  = "kept: own records that never leave the agency (distribution local or agency)"
	RetentionKeptAgency = "kept: records of this node's own agency, which their origin deletes"
	RetentionKeptOpen   = "kept: an agreement that shares them sets no retention"
	RetentionKeptKind   = "kept: agreements are never deleted by retention"
)

// RetentionSubject is what the retention rule reads of a record: its kind,
// origin node and distribution.
type RetentionSubject struct {
	Kind         string
	Origin       string
	Distribution string
}

// InForce reports whether an agreement is in force on day (UTC): signed
// on or before it. A deleted agreement is in force nowhere: callers pass
// only the live agreements the node holds.
func (a *Agreement) InForce(day time.Time) bool {
	signed, err := time.Parse(time.DateOnly, a.SignedOn)
	return err == nil && !signed.After(day.UTC())
}

// Covers reports whether the agreement's scope names the kind.
func (a *Agreement) Covers(kind string) bool { return slices.Contains(a.Scope.Kinds, kind) }

// RecordRetention is the retention rule: how long the node self keeps
// the records of subject, given the live agreements it holds, on day.
//
// An agreement brings a record to a node if it is in force, its
// scope.kinds names the record's kind and its parties include both the
// node's agency and the record's origin agency. Then:
//
//   - A copy of another agency's record goes when the SHORTEST retention
//     among the agreements that bring it ends. Agreements without a
//     retention (0) set no limit of their own and are left out; if none
//     has one, the copy is kept.
//   - An own record that may leave the agency (distribution partners or
//     network) goes, with a tombstone to every peer that holds it, when the
//     LONGEST retention among the agreements that share it ends, so that
//     the origin never cuts off a partner whose agreement still lets it
//     keep the record. If one of them sets no retention, or none covers
//     it, it is kept; own records with distribution local or agency are
//     not shared under any agreement and are kept.
//   - A copy of a record of the node's own agency (another node's) is the
//     agency's own: its origin deletes it, with a tombstone that reaches
//     this copy. Agreements themselves are never deleted by retention.
//
// Ties go to the agreement with the lowest id, so that every node names
// the same one.
func RecordRetention(self string, subject RetentionSubject, agreements []*Agreement, day time.Time) Retention {
	if subject.Kind == KindAgreement {
		return Retention{Rule: RetentionKeptKind}
	}
	own, origin := Agency(self), Agency(subject.Origin)
	if subject.Origin != self && origin == own {
		return Retention{Rule: RetentionKeptAgency}
	}
	if subject.Origin == self && subject.Distribution != DistPartners && subject.Distribution != DistNetwork {
		return Retention{Rule: RetentionKeptLocal}
	}
	var bringing []*Agreement
	for _, a := range agreements {
		if a.InForce(day) && a.Covers(subject.Kind) && slices.Contains(a.Parties, own) && slices.Contains(a.Parties, origin) {
			bringing = append(bringing, a)
		}
	}
	slices.SortFunc(bringing, func(x, y *Agreement) int { return cmp.Compare(x.ID, y.ID) })
	var pick *Agreement
	if subject.Origin == self {
		for _, a := range bringing {
			if a.Scope.RetentionDays == 0 {
				return Retention{Rule: RetentionKeptOpen}
			}
			if pick == nil || a.Scope.RetentionDays > pick.Scope.RetentionDays {
				pick = a
			}
		}
	} else {
		for _, a := range bringing {
			if a.Scope.RetentionDays > 0 && (pick == nil || a.Scope.RetentionDays < pick.Scope.RetentionDays) {
				pick = a
			}
		}
	}
	if pick == nil {
		return Retention{Rule: RetentionKept}
	}
	rule := RetentionCopy
	if subject.Origin == self {
		rule = RetentionOrigin
	}
	return Retention{Days: pick.Scope.RetentionDays, Agreement: pick.ID, Title: pick.Title, Rule: rule}
}

// Expires returns when a record created at created goes under r, and
// whether it goes at all: created_at plus r.Days days of 24 hours.
func (r Retention) Expires(created time.Time) (time.Time, bool) {
	if r.Days <= 0 {
		return time.Time{}, false
	}
	return created.UTC().AddDate(0, 0, r.Days), true
}

// Cutoff returns the instant before which records created under r have
// expired at now: now less r.Days days.
func (r Retention) Cutoff(now time.Time) time.Time {
	return now.UTC().AddDate(0, 0, -r.Days)
}
