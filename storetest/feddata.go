package storetest

import (
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"crossguard"
)

// Nodes other than Origin that the federation builders use: a partner
// peer, a peer of Origin's own agency, and a node known only as the origin
// of records relayed by the others.
const (
	PeerA   = "af-customs/islam-qala"
	PeerB   = "pk-customs/torkham"
	OriginC = "ir-customs/taftan"
)

// NewPeer returns a peer with node id id (AGENCY/NODE), added at at (kept
// at microsecond precision), given seizures and annotations up to
// TLP:AMBER, with a zero status.
func NewPeer(id, relationship string, at time.Time) *crossguard.Peer {
	agency, node, _ := strings.Cut(id, "/")
	key := sha512.Sum512([]byte(id))
	return &crossguard.Peer{
		Card: crossguard.NodeCard{
			ID: id, Agency: agency, Country: strings.ToUpper(agency[:2]),
			Name:      "Customs node " + node,
			URL:       "https://" + node + ".example.org:7443",
			PublicKey: base64.StdEncoding.EncodeToString(key[:32]),
			Protocol:  crossguard.ProtocolVersion,
		},
		Relationship: relationship,
		Kinds:        []string{crossguard.KindSeizure, crossguard.KindAnnotation},
		MaxTLP:       crossguard.TLPAmber,
		AddedAt:      at.UTC().Truncate(time.Microsecond),
		// What the store gives a peer it did not know.
		PolicyVersion:     1,
		ReconciledVersion: 1,
	}
}

// ForeignSeizure returns seizure i occurred at at, as NewSeizure makes it,
// but created by origin and at version; each version was updated an hour
// after the previous one.
func ForeignSeizure(i int, at time.Time, origin string, version int64) *crossguard.Seizure {
	s := NewSeizure(i, at)
	s.Origin, s.Version = origin, version
	s.UpdatedAt = s.CreatedAt.Add(time.Duration(version-1) * time.Hour)
	return s
}

// fakeSignature returns a base64 64-byte value standing in for the
// origin's signature of record: stores keep it without checking it.
func fakeSignature(record []byte) string {
	sum := sha512.Sum512(record)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// signedOf returns v's JSON with a fake signature.
func signedOf(v any) crossguard.SignedRecord {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("storetest: encode a signed record: %v", err))
	}
	return crossguard.SignedRecord{Record: b, Signature: fakeSignature(b)}
}

// IncomingSeizure returns seizure s as a peer's page carries it, checked
// by the federation layer. Its path holds the origin alone: the suite's
// pages (newPage) append the sending peer; a caller that builds a page
// itself completes it with FromPeer.
func IncomingSeizure(s *crossguard.Seizure) *crossguard.Incoming {
	c := clone(s)
	return &crossguard.Incoming{Header: c.Header, Seizure: c, Signed: signedOf(c), Path: []string{c.Origin}}
}

// IncomingTombstone returns the origin's tombstone of a record: its header
// at the version of the deletion, with the path of IncomingSeizure.
func IncomingTombstone(h crossguard.Header) *crossguard.Incoming {
	tomb := struct {
		crossguard.Header
		Deleted bool `json:"deleted"`
	}{h, true}
	return &crossguard.Incoming{Header: h, Deleted: true, Signed: signedOf(tomb), Path: []string{h.Origin}}
}

// FromPeer returns copies of records as peer sends them: each path that
// does not end at peer gets peer appended, so that the builders' paths
// (the origin alone) become [origin, peer], or [peer] for the peer's own
// records. The records themselves are not changed.
func FromPeer(peer string, records ...*crossguard.Incoming) []*crossguard.Incoming {
	if len(records) == 0 {
		return nil
	}
	out := make([]*crossguard.Incoming, len(records))
	for i, r := range records {
		c := *r
		if len(c.Path) == 0 || c.Path[len(c.Path)-1] != peer {
			c.Path = append(slices.Clip(c.Path), peer)
		}
		out[i] = &c
	}
	return out
}

// withPath returns a copy of r with path (origin first, sender last).
func withPath(r *crossguard.Incoming, path ...string) *crossguard.Incoming {
	c := *r
	c.Path = path
	return &c
}

// pathOf is the path the suite's pages give a record of origin sent by
// peer.
func pathOf(origin, peer string) []string {
	if origin == peer {
		return []string{peer}
	}
	return []string{origin, peer}
}

// NewAnnotation returns annotation i by origin about the record target,
// created at at (kept at microsecond precision), at version 1.
func NewAnnotation(i int, target crossguard.RecordRef, origin string, at time.Time) *crossguard.Annotation {
	at = at.UTC().Truncate(time.Microsecond)
	return &crossguard.Annotation{
		Header: crossguard.Header{
			ID: SeizureID(i, at), Kind: crossguard.KindAnnotation, Origin: origin, Version: 1,
			CreatedAt: at, UpdatedAt: at,
			Distribution: distributionCycle[1+i%3],
			Marking:      handlingCycle(i, crossguard.Marking{TLP: tlpCycle[i%3]}),
		},
		Target: target,
		Text:   fmt.Sprintf("Annotation %d: the same driver was stopped twice this month.", i),
	}
}

// refOf returns the reference to seizure s.
func refOf(s *crossguard.Seizure) crossguard.RecordRef {
	return crossguard.RecordRef{ID: s.ID, Kind: s.Kind, Origin: s.Origin}
}

// RecordOf returns annotation a as a store keeps it: its header, target
// and JSON.
func RecordOf(a *crossguard.Annotation) *crossguard.Record {
	b, err := json.Marshal(a)
	if err != nil {
		panic(fmt.Sprintf("storetest: encode annotation %s: %v", a.ID, err))
	}
	return &crossguard.Record{Header: a.Header, Target: a.Target.ID, Body: b}
}

// IncomingAnnotation returns annotation a as a peer's page carries it.
func IncomingAnnotation(a *crossguard.Annotation) *crossguard.Incoming {
	return &crossguard.Incoming{Header: a.Header, Target: a.Target.ID, Signed: signedOf(a), Path: []string{a.Origin}}
}

// newPage returns a page from peer after which the peer's cursor is
// cursor, its head ten changes further, pulled a minute per cursor step
// after T0 (at microsecond precision). It carries copies of records with
// their paths completed by FromPeer.
func newPage(peer string, cursor int64, records ...*crossguard.Incoming) *crossguard.InboundPage {
	return &crossguard.InboundPage{
		Peer: peer, Records: FromPeer(peer, records...), Cursor: cursor, RemoteHead: cursor + 10,
		At: T0.Add(time.Duration(cursor) * time.Minute).Truncate(time.Microsecond),
	}
}

// withdrawal returns a withdrawal of the record with header h.
func withdrawal(h crossguard.Header, reason string) crossguard.Withdrawal {
	return crossguard.Withdrawal{ID: h.ID, Kind: h.Kind, Origin: h.Origin, Reason: reason}
}
