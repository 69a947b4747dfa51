package crossguard

import (
	"fmt"
	"slices"
)

// Record kinds that can travel between nodes. Declarations and inspection
// results are local and never in this list.
var ShareableKinds = []string{"seizure", "warning", "feedback", "profile", "operation", "message", "agreement", "progress", "activity", "annotation"}

// TravelsInFeed reports whether records of a kind travel in the change
// feed: the shareable kinds, and audit heads and key handovers, which no
// sharing policy governs and which are therefore not among ShareableKinds
// (a peer's kinds cannot name them; see MayShare).
func TravelsInFeed(kind string) bool {
	return kind == KindAuditHead || kind == KindKeyHandover || slices.Contains(ShareableKinds, kind)
}

// MayShare is the sharing policy of DESIGN.md as one function: it reports
// whether the node holder may pass record h to peer p, and if not, why.
// The same function decides what a node serves each peer and whether a
// receiver accepts what a peer sends it, so the two cannot disagree.
//
// The rules, in order:
//   - origin-only peers receive nothing, and a record never goes back to its
//     origin;
//   - the record's kind must be one the peer is given, and its TLP at or
//     below the peer's ceiling;
//   - local records never leave their node;
//   - TLP:RED goes only to nodes of the named recipient agencies (the
//     origin's own agency included only if named);
//   - nodes of the origin's agency receive every agency, partners or
//     network record;
//   - other agencies never receive agency or amber+strict records, and
//     when recipients are named only their nodes receive the record;
//   - handling code H2 records go to other agencies only from a node of
//     the origin's agency: a recipient agency never disseminates them
//     further (it may still pass them back into the origin's agency);
//   - partners records go to partners only from a node of the origin's
//     agency (partners do not relay them onward); network records may be
//     relayed by any holder.
//
// Audit heads follow mayShareHead instead, and key handovers
// mayShareHandover.
func MayShare(holder string, p *Peer, h *Header) (bool, string) {
	switch h.Kind {
	case KindAuditHead:
		return mayShareHead(holder, p, h)
	case KindKeyHandover:
		return mayShareHandover(p, h)
	}
	peerAgency := p.Card.Agency
	originAgency := Agency(h.Origin)
	switch {
	case p.OriginOnly:
		return false, "the peer is known only as an origin of relayed records"
	case p.Card.ID == h.Origin:
		return false, "the peer is the record's origin"
	case !slices.Contains(p.Kinds, h.Kind):
		return false, fmt.Sprintf("%s records are not shared with %s", h.Kind, p.Card.ID)
	case tlpRank(h.Marking.TLP) < 0 || tlpRank(h.Marking.TLP) > tlpRank(p.MaxTLP):
		return false, fmt.Sprintf("TLP:%s is above the TLP:%s ceiling for %s", upper(h.Marking.TLP), upper(p.MaxTLP), p.Card.ID)
	case h.Distribution == DistLocal || !slices.Contains(Distributions, h.Distribution):
		return false, "the record's distribution is local"
	case h.Marking.TLP == TLPRed && !slices.Contains(h.Recipients, peerAgency):
		return false, fmt.Sprintf("TLP:RED and %s is not a named recipient", peerAgency)
	case peerAgency == originAgency:
		return true, ""
	case h.Marking.Handling == HandlingH2 && Agency(holder) != originAgency:
		return false, fmt.Sprintf("handling code H2: only %s disseminates the record; its recipients do not pass it on", originAgency)
	case h.Distribution == DistAgency:
		return false, fmt.Sprintf("distribution agency keeps the record within %s", originAgency)
	case h.Marking.TLP == TLPAmberStrict:
		return false, fmt.Sprintf("TLP:AMBER+STRICT keeps the record within %s", originAgency)
	case len(h.Recipients) > 0 && !slices.Contains(h.Recipients, peerAgency):
		return false, fmt.Sprintf("%s is not among the named recipients", peerAgency)
	case h.Distribution == DistPartners && Agency(holder) != originAgency:
		return false, fmt.Sprintf("distribution partners: only %s passes the record to partners, it is not relayed onward", originAgency)
	}
	return true, ""
}

// upper returns the TLP label as TLP 2.0 writes it.
func upper(tlp string) string {
	b := []byte(tlp)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// mayShareHead is the rule of audit heads: their origin gives them to
// every direct peer whatever its kinds and TLP ceiling (a head carries
// nothing but hashes of the origin's own log), and nobody else passes
// them on, so that a peer holds only heads it had from their origin.
func mayShareHead(holder string, p *Peer, h *Header) (bool, string) {
	switch {
	case p.OriginOnly:
		return false, "the peer is known only as an origin of relayed records"
	case p.Card.ID == h.Origin:
		return false, "the peer is the audit head's origin"
	case holder != h.Origin:
		return false, fmt.Sprintf("audit heads are never relayed: only %s gives out its own", h.Origin)
	}
	return true, ""
}
