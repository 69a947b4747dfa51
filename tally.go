package crossguard

import "context"

// The dimensions of seizure tallies, each with the keys it counts.
const (
	// TallyCategory counts seizures by goods category; a seizure with
	// lines of several categories counts once under each.
	TallyCategory = "category"
	// TallyRoute counts seizures by route, keyed "ORIGIN>DESTINATION"
	// (ISO 3166-1 alpha-2 codes); seizures without both are not counted.
	TallyRoute = "route"
	// TallyConcealment counts seizures by concealment method.
	TallyConcealment = "concealment"
	// TallyPlace counts seizures with coordinates by place, keyed by the
	// latitude and longitude rounded to 0.1 degree, "LAT,LON" as %.1f.
	TallyPlace = "place"
	// TallyOrigin counts seizures by origin node (AGENCY/NODE).
	TallyOrigin = "origin"
)

// TallyDims lists the tally dimensions.
var TallyDims = []string{TallyCategory, TallyRoute, TallyConcealment, TallyPlace, TallyOrigin}

// Tally is the number of live seizures of one month (by occurred_at, in
// UTC) that share one key of one dimension.
type Tally struct {
	Month string `json:"month"` // YYYY-MM
	Dim   string `json:"dim"`
	Key   string `json:"key"`
	Count int64  `json:"count"`
}

// TallyStore keeps seizure counts up to date with every write, so that the
// dashboard reads a few hundred rows instead of every seizure. A create,
// update, delete or received version changes the tallies in the same
// transaction, so they always equal a count over the live seizures.
type TallyStore interface {
	// SeizureTallies returns the non-zero tallies of the months from
	// fromMonth to toMonth inclusive (YYYY-MM; empty means unbounded),
	// ordered by month, dimension and key.
	SeizureTallies(ctx context.Context, fromMonth, toMonth string) ([]*Tally, error)
}
