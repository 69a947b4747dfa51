package crossguard

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// AnchorHead is a head whose signature verified, with where it was found:
// a peer's id or a file's name.
type AnchorHead struct {
	Head   *AuditHead
	Source string
}

// errAnchorStop ends a walk at the first difference.
var errAnchorStop = errors.New("stop")

// CheckAuditAnchors compares the local audit log with signed heads held
// elsewhere. It walks the log once and returns how many entries heads
// covered, and an *AuditBreak naming the first entry whose hash, computed
// from its content as it now reads, differs from a head (its digest, or
// the full hash at a head's end), the first entry a
// head covers that the log no longer has, or, if the log ends before a
// head's last entry, the first entry missing from its end. Heads cover
// consecutive ranges from entry 1, so the first difference is the first
// rewritten entry; where the heads at hand leave a gap before it, the
// reason says that the rewrite may begin in the gap.
func CheckAuditAnchors(ctx context.Context, s AuditStore, heads []AnchorHead) (int64, error) {
	hs := slices.Clone(heads)
	slices.SortFunc(hs, func(a, b AnchorHead) int {
		return cmp.Or(cmp.Compare(a.Head.FirstSeq, b.Head.FirstSeq), cmp.Compare(a.Head.Seq, b.Head.Seq))
	})
	var (
		next     int          // the next head of hs to activate
		active   []AnchorHead // heads covering the entry at hand
		covered  int64        // entries some head covered
		last     int64        // the last entry walked
		lastSeen int64        // the last entry a head covered, for gaps
		broken   *AuditBreak
	)
	// check compares entry seq (hash "" if the log lacks it) with every
	// head covering it.
	check := func(seq int64, hash string) bool {
		for next < len(hs) && hs[next].Head.FirstSeq <= seq {
			active = append(active, hs[next])
			next++
		}
		active = slices.DeleteFunc(active, func(a AnchorHead) bool { return a.Head.Seq < seq })
		if len(active) == 0 {
			return true
		}
		gap := lastSeen < seq-1
		lastSeen = seq
		covered++
		for _, a := range active {
			h := a.Head
			why := ""
			switch {
			case hash == "":
				why = "the log no longer has it (entries removed)"
			case h.Digest(seq) != EntryDigest(hash):
				why = fmt.Sprintf("its hash begins %s but the head holds %s", EntryDigest(hash), h.Digest(seq))
			case seq == h.Seq && h.Hash != hash:
				why = "its hash differs from the head's (the head's last entry)"
			}
			if why == "" {
				continue
			}
			broken = &AuditBreak{Seq: seq, Reason: fmt.Sprintf("%s, against the head of entries %d to %d that %s signed at %s, held by %s: the log was rewritten from this entry on",
				why, h.FirstSeq, h.Seq, h.Origin, h.CreatedAt.UTC().Format(time.RFC3339), a.Source)}
			if gap {
				broken.Reason += fmt.Sprintf(" (no head at hand covers entry %d, so the rewrite may begin earlier)", seq-1)
			}
			return false
		}
		return true
	}
	err := s.WalkAudit(ctx, func(e *AuditEntry) error {
		for seq := last + 1; seq < e.Seq; seq++ {
			if !check(seq, "") {
				return errAnchorStop
			}
		}
		last = e.Seq
		// The hash of the entry as it now reads, not the one stored with
		// it: heads vouch for content, whatever the hash column says.
		if !check(e.Seq, e.ComputeHash()) {
			return errAnchorStop
		}
		return nil
	})
	switch {
	case broken != nil:
		return covered, broken
	case err != nil:
		return covered, fmt.Errorf("walk the audit log: %w", err)
	}
	for _, a := range hs {
		if a.Head.Seq > last {
			return covered, &AuditBreak{Seq: last + 1, Reason: fmt.Sprintf("the log ends at entry %d but the head that %s signed at %s, held by %s, covers entries %d to %d (entries removed from the end)",
				last, a.Head.Origin, a.Head.CreatedAt.UTC().Format(time.RFC3339), a.Source, a.Head.FirstSeq, a.Head.Seq)}
		}
	}
	return covered, nil
}
