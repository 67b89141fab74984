package coding

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
// AgreementOptions.Seed and are shared by every row, so a report is
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
		var s alphaStats
		for _, d := range draw {
			s.plus(stats[d])
		}
		return s.alpha()
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
