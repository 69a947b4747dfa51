package node

import (
	"context"
	"maps"
	"slices"
	"strings"

	"crossguard"
)

// SeizureTallies returns the non-zero seizure tallies of the months
// fromMonth to toMonth (YYYY-MM), kept with every write, so that a page of
// figures costs the same with a million seizures as with ten.
func (sh *Sharing) SeizureTallies(ctx context.Context, fromMonth, toMonth string) ([]*crossguard.Tally, error) {
	return sh.store.SeizureTallies(ctx, fromMonth, toMonth)
}

// RecentFromPartners returns the n newest live seizures of the other
// origins that tallies count, newest first, and audits their reads. It
// lists each origin through its own index rather than asking for "any
// origin but this node", which on a node holding mostly its own records
// would walk all of them to find a few of its partners'; only the records
// returned are audited.
func (sh *Sharing) RecentFromPartners(ctx context.Context, actor string, tallies []*crossguard.Tally, n int) ([]*crossguard.Seizure, error) {
	origins := make(map[string]bool)
	for _, t := range tallies {
		if t.Dim == crossguard.TallyOrigin && t.Key != sh.Info.ID {
			origins[t.Key] = true
		}
	}
	var all []*crossguard.Seizure
	for _, o := range slices.Sorted(maps.Keys(origins)) {
		page, err := sh.store.ListSeizures(ctx, crossguard.SeizureFilter{Origin: o, Limit: n})
		if err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
	}
	slices.SortFunc(all, func(a, b *crossguard.Seizure) int {
		if c := b.OccurredAt.Compare(a.OccurredAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	all = all[:min(len(all), n)]
	if err := sh.auditForeignReads(ctx, actor, all...); err != nil {
		return nil, err
	}
	return all, nil
}
