package decide

// bins is the resolution of a window's score histogram: thresholds are
// estimated to within 1/bins of a score.
const bins = 4096

// window holds the scores of a crossing point's most recent declarations
// that no rule selected, in a ring with a histogram beside it, so that the
// score above which a given share of declarations falls is found without
// sorting. It also counts the recent declarations rules sent to red, which
// the model's share is topped up from. The Engine's mu guards it.
type window struct {
	size   int
	ring   []slot
	next   int
	filled int
	hist   [bins]int32
	open   int // slots in the ring with ruled == false

	// ruledRate is the share of recent decisions that rules sent to red:
	// a running mean over the first ruledSpan decisions, then a moving
	// average over about ruledSpan, so that a new profile's hits count at
	// once rather than after the whole ring has turned over.
	ruledRate float64
	seen      int

	// thresholds cached until stale decisions have been added.
	red, yellow, blue float64
	stale             int
}

// slot is one decision in the ring.
type slot struct {
	bin   int16
	ruled bool
}

func newWindow(size int) *window {
	return &window{size: size, ring: make([]slot, size), stale: -1}
}

func bin(score float64) int {
	b := int(score * bins)
	if b < 0 {
		return 0
	}
	if b >= bins {
		return bins - 1
	}
	return b
}

// add records a decision: its model score, and whether a rule (watch list,
// profile or random selection) already sent it to red.
func (w *window) add(score float64, ruled bool) {
	if w.filled == w.size {
		old := w.ring[w.next]
		if !old.ruled {
			w.hist[old.bin]--
			w.open--
		}
	} else {
		w.filled++
	}
	s := slot{bin: int16(bin(score)), ruled: ruled}
	w.ring[w.next] = s
	w.next = (w.next + 1) % w.size
	if !ruled {
		w.hist[s.bin]++
		w.open++
	}
	if w.stale >= 0 {
		w.stale++
	}
	w.seen++
	hit := 0.0
	if ruled {
		hit = 1
	}
	w.ruledRate += (hit - w.ruledRate) / float64(min(w.seen, ruledSpan))
}

// ruledSpan is how many recent decisions the share that rules sent to red
// is averaged over.
const ruledSpan = 500

// thresholds returns the scores at or above which an open declaration goes
// to red, yellow and blue so that red reaches target of all declarations
// (counting those rules sent to red) and yellow and blue take the next
// bands of their shares. ok is false when fewer than minOpen open scores
// are known.
func (w *window) thresholds(target, yellow, blue float64, minOpen, every int) (r, y, b float64, ok bool) {
	if w.open < minOpen {
		return 0, 0, 0, false
	}
	if w.stale >= 0 && w.stale < every {
		return w.red, w.yellow, w.blue, true
	}
	// Shares of all decisions: what the model must add to red, and the
	// open declarations it chooses among.
	ruled := min(w.ruledRate, 0.999)
	need := max(target-ruled, 0)
	open := 1 - ruled
	redShare := need / open
	yShare := redShare + yellow/open
	bShare := yShare + blue/open
	w.red, w.yellow, w.blue = w.quantile(redShare), w.quantile(yShare), w.quantile(bShare)
	w.stale = 0
	return w.red, w.yellow, w.blue, true
}

// quantile returns the lowest score whose bin, with every bin above it,
// holds at most share of the open scores: the threshold that selects that
// share. A share of 0 or less gives a threshold no score reaches.
func (w *window) quantile(share float64) float64 {
	if share <= 0 {
		return 2
	}
	limit := share * float64(w.open)
	var above float64
	for b := bins - 1; b >= 0; b-- {
		above += float64(w.hist[b])
		if above > limit {
			return float64(b+1) / bins
		}
	}
	return 0
}
