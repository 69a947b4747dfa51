package apply_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation/apply"
)

// The nodes of the tests: this node, an origin, and peers whose ids sort
// as their names say (a < b < c).
const (
	self   = "pk-customs/hq"
	origin = "tj-customs/dushanbe"
	other  = "cn-customs/evil"
	peerA  = "af-customs/a"
	peerB  = "cn-customs/b"
	peerC  = "kz-customs/c"
)

// at is the time of every page and removal.
var at = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// live returns a live received version of seizure id at version, from
// origin along path.
func live(id string, version int64, path ...string) *crossguard.Incoming {
	h := crossguard.Header{ID: id, Kind: crossguard.KindSeizure, Origin: origin, Version: version}
	return &crossguard.Incoming{Header: h, Seizure: &crossguard.Seizure{Header: h},
		Signed: crossguard.SignedRecord{Record: []byte(`{}`), Signature: "sig"}, Path: path}
}

// note returns a live received annotation id at version, from orig.
func note(id, orig string, version int64, path ...string) *crossguard.Incoming {
	h := crossguard.Header{ID: id, Kind: crossguard.KindAnnotation, Origin: orig, Version: version}
	return &crossguard.Incoming{Header: h, Signed: crossguard.SignedRecord{Record: []byte(`{}`), Signature: "sig"}, Path: path}
}

// tomb returns the origin's tombstone of seizure id at version.
func tomb(id string, version int64, path ...string) *crossguard.Incoming {
	in := live(id, version, path...)
	in.Deleted, in.Seizure = true, nil
	return in
}

// withdrawal returns a withdrawal of seizure id, for reason.
func withdrawal(id, reason string) crossguard.Withdrawal {
	return crossguard.Withdrawal{ID: id, Kind: crossguard.KindSeizure, Origin: origin, Reason: reason}
}

// copyOf returns the row of a live copy of a seizure of origin at version,
// held from via along path.
func copyOf(version int64, via string, path ...string) *apply.Row {
	return &apply.Row{Kind: crossguard.KindSeizure, Origin: origin, Version: version, Via: via, Path: path}
}

// own returns the row of this node's own seizure at version.
func own(version int64) *apply.Row {
	return &apply.Row{Kind: crossguard.KindSeizure, Origin: self, Version: version}
}

// src returns a source at version along path.
func src(version int64, path ...string) apply.Source {
	return apply.Source{Version: version, Path: path}
}

// holding returns what is held: rows by id and sources by id, then peer.
func holding(rows map[string]*apply.Row, sources map[string]map[string]apply.Source) *apply.Held {
	return &apply.Held{Self: self, Rows: rows, Sources: sources}
}

// changes describes the rows a batch changes, in its order: the version
// stored, if any, then the row's current source and path, or that it was
// withdrawn.
func changes(b *apply.Batch) []string {
	var out []string
	for _, c := range b.Changes {
		s := c.ID
		if c.Stored != nil {
			s += fmt.Sprintf(" stored v%d", c.Stored.Header.Version)
		}
		switch {
		case c.Row.Withdrawn:
			s += " withdrawn"
		case c.Row.Deleted:
			s += " deleted via " + c.Row.Via
		default:
			s += " via " + c.Row.Via + " " + strings.Join(c.Row.Path, ">")
		}
		out = append(out, s)
	}
	return out
}

// sources describes the sources a batch changes, in its order.
func sources(b *apply.Batch) []string {
	var out []string
	for _, s := range b.Sources {
		if s.Gone {
			out = append(out, s.ID+" "+s.Peer+" gone")
		} else {
			out = append(out, fmt.Sprintf("%s %s v%d %s", s.ID, s.Peer, s.Source.Version, strings.Join(s.Source.Path, ">")))
		}
	}
	return out
}

// audited describes a batch's audit entries but the page received, in
// order: their action, record and detail.
func audited(b *apply.Batch) []string {
	var out []string
	for _, e := range b.Audit {
		if e.Action != crossguard.ActionFedReceive {
			out = append(out, e.Action+" "+e.RecordID+": "+e.Detail)
		}
	}
	return out
}

// refused returns the reasons of the refusals of res.
func refused(res crossguard.ApplyResult) []string {
	var out []string
	for _, r := range res.Refused {
		out = append(out, r.Reason)
	}
	return out
}

// wantList fails t unless got and want hold the same strings in the same
// order.
func wantList(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}
