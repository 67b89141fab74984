package agreement

import (
	"math"
	"math/rand"
	"slices"
)

// Bootstrap confidence intervals resample documents, not characters or
// codings: the characters of a text, and the codings in it, depend on one
// another (a coder reads a passage once and marks it or not), so
// resampling them would treat thousands of dependent decisions as
// independent and give intervals far too narrow. Documents are the
// independent units a project samples — for the presence unit they are
// the units themselves. Each resample draws as many documents as take
// part (those with two or more coders), with replacement; α is recomputed
// on the draw; the interval is the percentile interval of the resamples
// in which α is defined. The draws come from math/rand seeded with
// Options.Seed and are shared by every row, so a report is
// reproducible and its rows are resampled alike.
type bootstrap struct {
	resamples int
	docs      []int32   // the documents that take part
	draws     [][]int32 // per resample, indices into docs
}

// newBootstrap draws the resamples from the documents for which take
// reports true, or returns nil when no resamples are asked for.
func newBootstrap(s *agreementScope, take func(d int) bool) *bootstrap {
	if s.opt.Bootstrap == 0 {
		return nil
	}
	b := &bootstrap{resamples: s.opt.Bootstrap}
	for d := range s.docs {
		if take(d) {
			b.docs = append(b.docs, int32(d))
		}
	}
	return b.draw(s.opt.Seed)
}

// weights returns, for a draw, how often it drew each document.
func (b *bootstrap) weights(draw []int32, w []float64) []float64 {
	clear(w)
	for _, d := range draw {
		w[d]++
	}
	return w
}

func (b *bootstrap) draw(seed int64) *bootstrap {
	rng := rand.New(rand.NewSource(seed))
	n := len(b.docs)
	b.draws = make([][]int32, b.resamples)
	if n == 0 {
		return b
	}
	flat := make([]int32, b.resamples*n)
	for r := range b.draws {
		b.draws[r] = flat[r*n : (r+1)*n]
		for i := range b.draws[r] {
			b.draws[r][i] = b.docs[rng.Intn(n)]
		}
	}
	return b
}

// alphaInterval is the interval of a binary table's α, from per-document
// statistics.
func (b *bootstrap) alphaInterval(point Coefficient, stats []alphaStats) *ConfidenceInterval {
	return b.interval(point, func(_ int, draw []int32) Coefficient {
		return drawStats(stats, draw).alpha()
	})
}

// interval computes the coefficient on every resample: replicate gets
// the resample's number and draw.
func (b *bootstrap) interval(point Coefficient, replicate func(r int, draw []int32) Coefficient) *ConfidenceInterval {
	ci := &ConfidenceInterval{Level: ConfidenceLevel, Resamples: b.resamples, Documents: len(b.docs)}
	if !point.Defined {
		ci.Reason = "the coefficient itself is undefined"
		return ci
	}
	if len(b.docs) < 2 {
		ci.Reason = "needs at least two documents coded by two or more coders"
		return ci
	}
	values := make([]float64, 0, b.resamples)
	for r, draw := range b.draws {
		if c := replicate(r, draw); c.Defined {
			values = append(values, c.Value)
		}
	}
	ci.Used = len(values)
	if ci.Used*2 < b.resamples {
		ci.Reason = "the coefficient was undefined in most resamples"
		return ci
	}
	slices.Sort(values)
	tail := (1 - ConfidenceLevel) / 2
	ci.Low, ci.High = quantile(values, tail), quantile(values, 1-tail)
	ci.Defined = true
	return ci
}

// quantile interpolates linearly between the order statistics of sorted
// (the estimator R calls type 7).
func quantile(sorted []float64, q float64) float64 {
	h := q * float64(len(sorted)-1)
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (h-lo)*(sorted[i+1]-sorted[i])
}

// drawStats adds up the statistics of a draw's documents in four partial
// sums side by side: independent additions instead of one long chain of
// dependent ones, which bounded the speed of every row's resamples. The
// sums are the same up to rounding (exactly, where the statistics are
// whole numbers or halves, as with up to three coders).
func drawStats(stats []alphaStats, draw []int32) alphaStats {
	var p0, p1, p2, p3 alphaStats
	i := 0
	for ; i+4 <= len(draw); i += 4 {
		p0.plus(stats[draw[i]])
		p1.plus(stats[draw[i+1]])
		p2.plus(stats[draw[i+2]])
		p3.plus(stats[draw[i+3]])
	}
	for ; i < len(draw); i++ {
		p0.plus(stats[draw[i]])
	}
	p0.plus(p1)
	p2.plus(p3)
	p0.plus(p2)
	return p0
}
