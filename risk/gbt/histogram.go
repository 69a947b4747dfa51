package gbt

import "sync"

// hbin is the sum of gradients and hessians of the rows in one bin.
type hbin struct{ g, h float64 }

// split is the best split found for a node: rows whose bin of feature is
// in 1..bin go left, missing rows go left when missLeft. gl and hl are the
// left child's sums; gain is the loss reduction (XGBoost's, with the ½).
type split struct {
	gain     float64
	feature  int32
	bin      int
	missLeft bool
	gl, hl   float64
}

// parallelMin is the work (row-feature updates plus bins scanned) below
// which a node's histograms are built on one goroutine: the result is the
// same, only the overhead differs.
const parallelMin = 1 << 15

// histograms builds the histogram of small from its rows and, when large
// is not nil, turns large.hist (which holds the parent's histogram) into
// large's by subtracting small's; then it sets the best split of each.
// Blocks of features go to different goroutines, each reading the rows in
// order, so every bin is summed in the same order whatever the number of
// goroutines; the best splits are reduced in feature order.
func (t *trainer) histograms(small, large *candidate) {
	rows := t.idx[small.lo:small.hi]
	work := func(block []int) {
		hist := small.hist
		for _, f := range block {
			clear(hist[t.off[f] : t.off[f]+t.data.nbins(f)+1])
		}
		nf := t.data.features
		bins, gh, off := t.data.bins, t.gh, t.off
		for _, r := range rows {
			s := gh[r]
			rb := bins[int(r)*nf : int(r)*nf+nf]
			for _, f := range block {
				b := &hist[off[f]+int(rb[f])]
				b.g += s.g
				b.h += s.h
			}
		}
		for _, f := range block {
			off, nb := t.off[f], t.data.nbins(f)
			h := hist[off : off+nb+1]
			t.bestA[f] = t.bestSplit(f, h, small.g, small.h)
			if large != nil {
				p := large.hist[off : off+nb+1]
				for i := range p {
					p[i].g -= h[i].g
					p[i].h -= h[i].h
				}
				t.bestB[f] = t.bestSplit(f, p, large.g, large.h)
			}
		}
	}
	if len(rows)*len(t.features)+2*t.histLen < parallelMin || len(t.blocks) == 1 {
		work(t.features)
	} else {
		// The calling goroutine takes the first block itself.
		var wg sync.WaitGroup
		for _, block := range t.blocks[1:] {
			wg.Add(1)
			go func() {
				defer wg.Done()
				work(block)
			}()
		}
		work(t.blocks[0])
		wg.Wait()
	}
	small.best = t.reduce(t.bestA)
	if large != nil {
		large.best = t.reduce(t.bestB)
	}
}

// reduce returns the best of the per-feature splits, the first in feature
// order among equals.
func (t *trainer) reduce(per []split) split {
	best := split{feature: -1}
	for _, f := range t.features {
		if per[f].gain > best.gain {
			best = per[f]
		}
	}
	return best
}

// bestSplit scans the histogram h of feature f of a node with sums g and
// hs for the split of highest gain. A split that leaves a child below
// MinChildWeight is not considered; the result has gain 0 if none is
// better than no split. Candidates are compared by the sum of the
// children's scores, which orders them as the gain does.
func (t *trainer) bestSplit(f int, h []hbin, g, hs float64) split {
	lambda, mcw := t.p.Lambda, t.p.MinChildWeight
	parent := g * g / (hs + lambda)
	best := split{feature: int32(f)}
	bestScore := parent // a split must beat no split
	gm, hm := h[0].g, h[0].h
	nb := len(h) - 1
	var gl, hl float64
	if hm == 0 {
		// No missing values: thresholds after bins 1..nb-1.
		for b := 1; b < nb; b++ {
			hb := h[b]
			if hb.h == 0 {
				continue // an empty bin: the same split as the bin before
			}
			gl += hb.g
			hl += hb.h
			if hl < mcw {
				continue
			}
			hr := hs - hl
			if hr < mcw {
				break // the right child only shrinks from here
			}
			gr := g - gl
			if score := gl*gl/(hl+lambda) + gr*gr/(hr+lambda); score > bestScore {
				bestScore = score
				best = split{feature: int32(f), bin: b, gl: gl, hl: hl}
			}
		}
	} else {
		// Missing values go right (thresholds after 1..nb, the last one
		// splitting missing from present) or left (after 1..nb-1).
		for b := 1; b <= nb; b++ {
			hb := h[b]
			if hb.h == 0 && b < nb {
				continue
			}
			gl += hb.g
			hl += hb.h
			if hl >= mcw && hs-hl >= mcw {
				gr, hr := g-gl, hs-hl
				if score := gl*gl/(hl+lambda) + gr*gr/(hr+lambda); score > bestScore {
					bestScore = score
					best = split{feature: int32(f), bin: b, gl: gl, hl: hl}
				}
			}
			if l, lh := gl+gm, hl+hm; b < nb && lh >= mcw && hs-lh >= mcw {
				gr, hr := g-l, hs-lh
				if score := l*l/(lh+lambda) + gr*gr/(hr+lambda); score > bestScore {
					bestScore = score
					best = split{feature: int32(f), bin: b, missLeft: true, gl: l, hl: lh}
				}
			}
		}
	}
	best.gain = 0.5 * (bestScore - parent)
	return best
}
