package node

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"crossguard"
)

// OperationReport sums up a joint operation from the records a node
// holds: its warnings, the feedback on them and the seizures linked from
// the feedback. It depends on nothing else (no clock, no local state), and
// every list is sorted, so every participant's node computes the same
// report once the records are synced.
type OperationReport struct {
	Operation    string    `json:"operation"`
	Name         string    `json:"name"`
	Participants []string  `json:"participants"`
	StartsAt     time.Time `json:"starts_at"`
	EndsAt       time.Time `json:"ends_at"`

	// Warnings is the number of live warnings; Feedback the number of
	// feedback records; Answered the warnings with at least one feedback;
	// Hits the warnings with a feedback saying seized; Seizures the
	// distinct linked seizures held.
	Warnings int `json:"warnings"`
	Feedback int `json:"feedback"`
	Answered int `json:"answered"`
	Hits     int `json:"hits"`
	Seizures int `json:"seizures"`

	// FeedbackRate is Answered / Warnings, HitRate Hits / Warnings (0
	// without warnings), rounded to 4 decimals.
	FeedbackRate float64 `json:"feedback_rate"`
	HitRate      float64 `json:"hit_rate"`
	// The median and mean time from a warning to its first feedback, in
	// hours rounded to 2 decimals, over the answered warnings (0 if none).
	MedianHoursToFeedback float64 `json:"median_hours_to_feedback"`
	MeanHoursToFeedback   float64 `json:"mean_hours_to_feedback"`

	Agencies   []AgencyTally   `json:"agencies"`
	Days       []DayTally      `json:"days"`
	Categories []CategoryTally `json:"categories"`
}

// AgencyTally is one agency's part in an operation: warnings it sent and
// received (named among a warning's recipients, not its origin), feedback
// it gave and received on its warnings, and its warnings that led to a
// seizure.
type AgencyTally struct {
	Agency           string `json:"agency"`
	WarningsSent     int    `json:"warnings_sent"`
	WarningsReceived int    `json:"warnings_received"`
	FeedbackGiven    int    `json:"feedback_given"`
	FeedbackReceived int    `json:"feedback_received"`
	Hits             int    `json:"hits"`
}

// DayTally counts, for one UTC day (YYYY-MM-DD), the warnings created,
// the feedback given, and the hits (by the day of the first feedback
// saying seized).
type DayTally struct {
	Date     string `json:"date"`
	Warnings int    `json:"warnings"`
	Feedback int    `json:"feedback"`
	Hits     int    `json:"hits"`
}

// CategoryTally is what the linked seizures held for one goods category:
// how many seizures had goods of the category, and the quantities by unit.
type CategoryTally struct {
	Category   string     `json:"category"`
	Seizures   int        `json:"seizures"`
	Quantities []Quantity `json:"quantities"`
}

// Quantity is an amount in a unit of seized goods.
type Quantity struct {
	Unit   string  `json:"unit"`
	Amount float64 `json:"amount"`
}

// OperationReport builds the report of an operation this node holds from
// the warnings, feedback and linked seizures it holds. Reading another
// node's operation is audited.
func (co *Cooperation) OperationReport(ctx context.Context, actor, opID string) (*OperationReport, error) {
	op, err := co.Operation(ctx, actor, opID)
	if err != nil {
		return nil, err
	}
	var ws []*crossguard.Warning
	if err := opRecordsOfKind(ctx, co, crossguard.KindWarning, func(w *crossguard.Warning) {
		if w.Operation == op.ID {
			ws = append(ws, w)
		}
	}); err != nil {
		return nil, err
	}
	var fs []*crossguard.Feedback
	if err := opRecordsOfKind(ctx, co, crossguard.KindFeedback, func(f *crossguard.Feedback) {
		if f.Operation == op.ID {
			fs = append(fs, f)
		}
	}); err != nil {
		return nil, err
	}
	var ss []*crossguard.Seizure
	for _, f := range fs {
		if f.SeizureID == "" || slices.ContainsFunc(ss, func(s *crossguard.Seizure) bool { return s.ID == f.SeizureID }) {
			continue
		}
		s, err := co.store.Seizure(ctx, f.SeizureID)
		if crossguard.ErrorCode(err) == crossguard.ENOTFOUND {
			continue // not (yet) received
		} else if err != nil {
			return nil, fmt.Errorf("read linked seizure %s: %w", f.SeizureID, err)
		}
		ss = append(ss, s)
	}
	return BuildOperationReport(op, ws, fs, ss), nil
}

// opRecordsOfKind decodes every live record of kind and passes it to each.
func opRecordsOfKind[T any](ctx context.Context, co *Cooperation, kind string, each func(*T)) error {
	recs, err := co.store.RecordsOfKind(ctx, kind)
	if err != nil {
		return fmt.Errorf("list %s records: %w", kind, err)
	}
	for _, r := range recs {
		v := new(T)
		if err := decodeOpRecord(r, kind, v); err != nil {
			return err
		}
		each(v)
	}
	return nil
}

// BuildOperationReport computes the report of op from its warnings, the
// feedback of the operation and the seizures linked from the feedback.
// Feedback on a warning not among ws (one sent only to other
// participants) counts in the feedback totals but not in the warning
// figures; seizures not linked from fs are ignored.
func BuildOperationReport(op *crossguard.Operation, ws []*crossguard.Warning, fs []*crossguard.Feedback, ss []*crossguard.Seizure) *OperationReport {
	r := &OperationReport{Operation: op.ID, Name: op.Name, Participants: slices.Clone(op.Participants),
		StartsAt: op.StartsAt.UTC(), EndsAt: op.EndsAt.UTC(), Agencies: []AgencyTally{}, Days: []DayTally{}, Categories: []CategoryTally{}}
	agencies := map[string]*AgencyTally{}
	agency := func(a string) *AgencyTally {
		if t, ok := agencies[a]; ok {
			return t
		}
		t := &AgencyTally{Agency: a}
		agencies[a] = t
		return t
	}
	for _, a := range op.Participants {
		agency(a)
	}
	days := map[string]*DayTally{}
	day := func(t time.Time) *DayTally {
		d := t.UTC().Format(time.DateOnly)
		if dt, ok := days[d]; ok {
			return dt
		}
		dt := &DayTally{Date: d}
		days[d] = dt
		return dt
	}

	warnings := map[string]*crossguard.Warning{}
	for _, w := range ws {
		warnings[w.ID] = w
		from := crossguard.Agency(w.Origin)
		agency(from).WarningsSent++
		for _, a := range w.Recipients {
			if a != from {
				agency(a).WarningsReceived++
			}
		}
		day(w.CreatedAt).Warnings++
	}
	r.Warnings = len(ws)

	// The first feedback and the first seized feedback of each warning,
	// by creation time (ties by id).
	fs = slices.Clone(fs)
	slices.SortFunc(fs, func(a, b *crossguard.Feedback) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	first := map[string]*crossguard.Feedback{}
	hit := map[string]*crossguard.Feedback{}
	linked := map[string]bool{}
	for _, f := range fs {
		agency(crossguard.Agency(f.Origin)).FeedbackGiven++
		day(f.CreatedAt).Feedback++
		if f.SeizureID != "" {
			linked[f.SeizureID] = true
		}
		w, ok := warnings[f.Warning]
		if !ok {
			continue
		}
		agency(crossguard.Agency(w.Origin)).FeedbackReceived++
		if _, ok := first[w.ID]; !ok {
			first[w.ID] = f
		}
		if _, ok := hit[w.ID]; !ok && f.Hit() {
			hit[w.ID] = f
			agency(crossguard.Agency(w.Origin)).Hits++
			day(f.CreatedAt).Hits++
		}
	}
	r.Feedback, r.Answered, r.Hits = len(fs), len(first), len(hit)
	if r.Warnings > 0 {
		r.FeedbackRate = roundTo(float64(r.Answered)/float64(r.Warnings), 4)
		r.HitRate = roundTo(float64(r.Hits)/float64(r.Warnings), 4)
	}
	var hours []float64
	for id, f := range first {
		hours = append(hours, f.CreatedAt.Sub(warnings[id].CreatedAt).Hours())
	}
	r.MedianHoursToFeedback, r.MeanHoursToFeedback = medianMean(hours)

	r.Seizures, r.Categories = tallySeizures(ss, linked)
	for _, t := range agencies {
		r.Agencies = append(r.Agencies, *t)
	}
	slices.SortFunc(r.Agencies, func(a, b AgencyTally) int { return cmp.Compare(a.Agency, b.Agency) })
	for _, t := range days {
		r.Days = append(r.Days, *t)
	}
	slices.SortFunc(r.Days, func(a, b DayTally) int { return cmp.Compare(a.Date, b.Date) })
	return r
}

// tallySeizures counts the distinct linked seizures among ss and sums
// their goods by category and unit.
func tallySeizures(ss []*crossguard.Seizure, linked map[string]bool) (int, []CategoryTally) {
	type key struct{ category, unit string }
	ss = slices.Clone(ss)
	slices.SortFunc(ss, func(a, b *crossguard.Seizure) int { return cmp.Compare(a.ID, b.ID) })
	seen := map[string]bool{}
	seizures := map[string]int{}
	amounts := map[key]float64{}
	for _, s := range ss {
		if !linked[s.ID] || seen[s.ID] {
			continue
		}
		seen[s.ID] = true
		var cats []string
		for _, g := range s.Goods {
			amounts[key{g.Category, g.Unit}] += g.Quantity
			if !slices.Contains(cats, g.Category) {
				cats = append(cats, g.Category)
				seizures[g.Category]++
			}
		}
	}
	out := []CategoryTally{}
	for c, count := range seizures {
		t := CategoryTally{Category: c, Seizures: count, Quantities: []Quantity{}}
		for k, a := range amounts {
			if k.category == c {
				t.Quantities = append(t.Quantities, Quantity{Unit: k.unit, Amount: roundTo(a, 6)})
			}
		}
		slices.SortFunc(t.Quantities, func(a, b Quantity) int { return cmp.Compare(a.Unit, b.Unit) })
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b CategoryTally) int { return cmp.Compare(a.Category, b.Category) })
	return len(seen), out
}

// medianMean returns the median and mean of xs rounded to 2 decimals,
// summed in sorted order so that the result does not depend on the order
// given; 0, 0 for none.
func medianMean(xs []float64) (float64, float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	slices.Sort(xs)
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	m := len(xs) / 2
	median := xs[m]
	if len(xs)%2 == 0 {
		median = (xs[m-1] + xs[m]) / 2
	}
	return roundTo(median, 2), roundTo(sum/float64(len(xs)), 2)
}

// roundTo rounds f to the given number of decimals.
func roundTo(f float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(f*p) / p
}
