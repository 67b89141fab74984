package agreement

import (
	"math/bits"
	"runtime"
	"sync"
)

// The unitized bootstrap recomputes, for every group and resample, the
// 1995 α's D_O and D_E over all coders with each document counted as
// often as the resample drew it. D_O and the sums of D_E that add over
// documents (N_c, Σ(2l³−3l²+l)/3, Σ l(l−1)) are kept per document once;
// a resample adds them up with its weights.
//
// The rest of D_E, Σ over units of l²·Σ(g − l + 1) over the gaps g ≥ l,
// pairs units and gaps of different documents, so it cannot be kept per
// document. But with the units and gaps sorted longest first (as
// unitizedItems.components walks them), every unit in a run of units sees
// the same gaps, and every gap in a run of gaps adds to the same units:
// a run's items can be summed per document once, and a resample only
// walks the runs. On a coded project units of one code are much shorter
// than the gaps between them, so a code has few runs and a resample costs
// about one step per document and code, not one per unit and gap.

// bootPart is what one document's items of one run add up to: for a run
// of gaps the number of gaps and their total length, for a run of units
// Σ l² and Σ l²(l−1).
type bootPart struct {
	doc  int32
	x, y float64
}

// bootRun ends at parts[end] and is a run of gaps or of units.
type bootRun struct {
	end int32
	gap bool
}

// bootLinear is what one document's units of a group add to D_E's sums
// that add over documents.
type bootLinear struct {
	doc                     int32
	units, cubic, selfPairs float64
}

// bootGroup is one group prepared for the resamples.
type bootGroup struct {
	name   string
	linear []bootLinear
	parts  []bootPart
	runs   []bootRun
}

// prepareBoot sums a group's items of documents every coder takes part
// in per run and document. Units before the first gap (longer than every
// gap) and gaps after the last unit (shorter than every unit) add nothing
// to the pairing sum and are left out of the runs.
func prepareBoot(items unitizedItems, cover []uint64, all uint64, docs int, name string) bootGroup {
	g := bootGroup{name: name}
	r := float64(bits.OnesCount64(all))
	linear := make([]int32, docs) // index+1 into g.linear
	slot := make([]int32, docs)   // index+1 into g.parts, within the current run
	var touched []int32
	runGap, inRun, seenGap := false, false, false
	closeRun := func() {
		if inRun {
			g.runs = append(g.runs, bootRun{end: int32(len(g.parts)), gap: runGap})
		}
		for _, d := range touched {
			slot[d] = 0
		}
		touched = touched[:0]
	}
	for x := len(items) - 1; x >= 0; x-- { // longest first, gaps before units
		it := items[x]
		doc, coder := int32(it>>7&(maxUnitizedDocuments-1)), int32(it&127)-1
		if cover[doc] != all {
			continue
		}
		l := float64(it >> 28)
		gap := it&(1<<27) != 0
		var dx, dy float64
		if gap {
			n := 1.0
			if coder < 0 {
				n = r
			}
			dx, dy = n, n*l
			seenGap = true
		} else {
			if linear[doc] == 0 {
				g.linear = append(g.linear, bootLinear{doc: doc})
				linear[doc] = int32(len(g.linear))
			}
			lin := &g.linear[linear[doc]-1]
			lin.units++
			lin.cubic += (2*l*l*l - 3*l*l + l) / 3
			lin.selfPairs += l * (l - 1)
			if !seenGap {
				continue // no gap is as long: it pairs with none
			}
			dx, dy = l*l, l*l*(l-1)
		}
		if !inRun || gap != runGap {
			closeRun()
			inRun, runGap = true, gap
		}
		if slot[doc] == 0 {
			g.parts = append(g.parts, bootPart{doc: doc})
			slot[doc] = int32(len(g.parts))
			touched = append(touched, doc)
		}
		p := &g.parts[slot[doc]-1]
		p.x += dx
		p.y += dy
	}
	closeRun()
	// Trailing gaps are shorter than every unit.
	for len(g.runs) > 0 && g.runs[len(g.runs)-1].gap {
		g.runs = g.runs[:len(g.runs)-1]
	}
	if n := len(g.runs); n > 0 {
		g.parts = g.parts[:g.runs[n-1].end]
	} else {
		g.parts = nil
	}
	return g
}

// lanes is the number of resamples computed side by side: each step over
// the sums then feeds four independent additions instead of one long
// chain of dependent ones, which is what bounded the speed.
const lanes = 4

// components returns D_O and D_E of the group for lanes resamples at
// once, with document d counted w[d][k] times in resample k. Each lane
// adds up in the same order as it would alone.
func (g *bootGroup) components(r float64, w [][lanes]float64, sums *[lanes]unitizedSums) [lanes]unitizedResult {
	var out [lanes]unitizedResult
	var units, cubic, self, gaps, gapSum, fits [lanes]float64
	for _, p := range g.linear {
		n := &w[p.doc]
		for k := range lanes {
			units[k] += n[k] * p.units
			cubic[k] += n[k] * p.cubic
			self[k] += n[k] * p.selfPairs
		}
	}
	start := int32(0)
	for _, run := range g.runs {
		var x0, x1, x2, x3, y0, y1, y2, y3 float64
		for _, p := range g.parts[start:run.end] {
			n := &w[p.doc]
			x0 += n[0] * p.x
			x1 += n[1] * p.x
			x2 += n[2] * p.x
			x3 += n[3] * p.x
			y0 += n[0] * p.y
			y1 += n[1] * p.y
			y2 += n[2] * p.y
			y3 += n[3] * p.y
		}
		start = run.end
		x, y := [lanes]float64{x0, x1, x2, x3}, [lanes]float64{y0, y1, y2, y3}
		for k := range lanes {
			if run.gap {
				gaps[k] += x[k]
				gapSum[k] += y[k]
			} else {
				fits[k] += gapSum[k]*x[k] - gaps[k]*y[k]
			}
		}
	}
	for k := range lanes {
		if r < 2 || sums[k].length == 0 {
			out[k] = finishComponents(r, 0, 0, 0, 0, sums[k], g.name)
			continue
		}
		out[k] = finishComponents(r, units[k], cubic[k], fits[k], self[k], sums[k], g.name)
	}
	return out
}

// bootstrap computes, for every group and resample, the 1995 α's D_O and
// D_E over all coders. The resamples are shared out among as many workers
// as there are processors; each resample's results depend only on its
// draw, so they do not depend on the order the workers run in.
func (t *unitizedTallies) bootstrap(s *agreementScope, boot *bootstrap) [][]unitizedResult {
	r := float64(bits.OnesCount64(t.all))
	groups := make([]bootGroup, len(t.groups))
	out := make([][]unitizedResult, len(t.groups))
	for gi := range t.groups {
		out[gi] = make([]unitizedResult, boot.resamples)
		name := ""
		if g := s.groups[gi]; g.row >= 0 {
			name = s.rows[g.row].Name
		}
		groups[gi] = prepareBoot(t.groups[gi].items, s.cover, t.all, len(s.docs), name)
	}
	next := make(chan int) // the first resample of a batch of lanes
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := make([]float64, len(s.docs))
			wl := make([][lanes]float64, len(s.docs))
			var sums [lanes]unitizedSums
			for first := range next {
				clear(wl)
				n := min(lanes, boot.resamples-first)
				for k := range n {
					boot.weights(boot.draws[first+k], w)
					length := 0.0
					for d, c := range w {
						wl[d][k] = c
						if c > 0 {
							length += c * float64(s.docs[d].Length)
						}
					}
					sums[k].length = length
				}
				for gi := range t.groups {
					g := &t.groups[gi]
					for k := range n {
						observed := 0.0
						for x, d := range g.runDocs {
							observed += wl[d][k] * g.observedRun[x]
						}
						sums[k].observed = observed
					}
					res := groups[gi].components(r, wl, &sums)
					copy(out[gi][first:first+n], res[:n])
				}
			}
		}()
	}
	for first := 0; first < boot.resamples; first += lanes {
		next <- first
	}
	close(next)
	wg.Wait()
	return out
}
