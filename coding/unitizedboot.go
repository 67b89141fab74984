package coding

import (
	"math/bits"
	"runtime"
	"sync"
)

// bootItem is an item of a document every coder takes part in, decoded
// for the bootstrap's many passes, in 16 bytes: gaps is 0 for a unit, or
// the number of gaps the item stands for (the coders, for a document
// without units; else 1).
type bootItem struct {
	length float64
	doc    int32
	gaps   float32
}

// bootstrap computes, for every group and resample, the 1995 α's D_O and
// D_E over all coders. The resamples are shared out among as many workers
// as there are processors; each resample's results depend only on its
// draw, so they do not depend on the order the workers run in.
func (t *unitizedTallies) bootstrap(s *agreementScope, boot *bootstrap) [][]unitizedResult {
	r := float64(bits.OnesCount64(t.all))
	items := make([][]bootItem, len(t.groups))
	names := make([]string, len(t.groups))
	out := make([][]unitizedResult, len(t.groups))
	for gi := range t.groups {
		out[gi] = make([]unitizedResult, boot.resamples)
		if g := s.groups[gi]; g.row >= 0 {
			names[gi] = s.rows[g.row].Name
		}
		for x := len(t.groups[gi].items) - 1; x >= 0; x-- {
			it := t.groups[gi].items[x]
			doc, coder := int32(it>>7&(maxUnitizedDocuments-1)), int32(it&127)-1
			if s.cover[doc] != t.all {
				continue
			}
			b := bootItem{length: float64(it >> 28), doc: doc}
			switch {
			case it&(1<<27) == 0:
			case coder < 0:
				b.gaps = float32(r)
			default:
				b.gaps = 1
			}
			items[gi] = append(items[gi], b)
		}
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := make([]float64, len(s.docs))
			for i := range next {
				boot.weights(boot.draws[i], w)
				length := 0.0
				for d, n := range w {
					if n > 0 {
						length += n * float64(s.docs[d].Length)
					}
				}
				for gi := range t.groups {
					g := &t.groups[gi]
					observed := 0.0
					for x, d := range g.runDocs {
						observed += w[d] * g.observedRun[x]
					}
					out[gi][i] = weightedComponents(items[gi], r, w, unitizedSums{observed, length}, names[gi])
				}
			}
		}()
	}
	for i := range boot.resamples {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// weightedComponents is unitizedItems.components for the items of
// documents every coder takes part in, each weighted by w[doc].
func weightedComponents(items []bootItem, r float64, w []float64, sums unitizedSums, category string) unitizedResult {
	if r < 2 || sums.length == 0 {
		return finishComponents(r, 0, 0, 0, 0, sums, category)
	}
	var units, cubic, fits, self, gaps, gapSum float64
	for _, it := range items {
		n := w[it.doc]
		if n == 0 {
			continue
		}
		l := it.length
		if it.gaps > 0 {
			n *= float64(it.gaps)
			gaps += n
			gapSum += n * l
			continue
		}
		units += n
		cubic += n * (2*l*l*l - 3*l*l + l) / 3
		fits += n * l * l * (gapSum - (l-1)*gaps)
		self += n * l * (l - 1)
	}
	return finishComponents(r, units, cubic, fits, self, sums, category)
}
