package bench

import (
	"math/bits"
	"time"
)

// latencyHist counts latencies in buckets that are exact below 256 µs and
// within 1/128 (under 1%) above, so that a long soak run measures
// millions of deliveries in constant memory: a load tool that kept every
// sample would show its own growth as the server's.
type latencyHist struct {
	counts [histBuckets]uint64
	n      uint64
	max    time.Duration
}

const (
	histSub     = 128                    // buckets per power of two above the exact range
	histExact   = 2 * histSub            // values below this many µs have a bucket each
	histBuckets = histExact + 40*histSub // up to 2^48 µs, far past any run
	histShift   = 8                      // log2(histExact)
)

func histBucket(us uint64) int {
	if us < histExact {
		return int(us)
	}
	e := bits.Len64(us) - histShift // ≥ 1
	sub := us >> e                  // the top 8 bits, in [histSub, 2·histSub)
	return histExact + (e-1)*histSub + int(sub) - histSub
}

// histValue is the lowest latency, in µs, that falls in bucket i.
func histValue(i int) uint64 {
	if i < histExact {
		return uint64(i)
	}
	e := (i-histExact)/histSub + 1
	sub := uint64((i-histExact)%histSub + histSub)
	return sub << e
}

func (h *latencyHist) add(d time.Duration) {
	if d < 0 {
		d = 0
	}
	i := min(histBucket(uint64(d.Microseconds())), histBuckets-1)
	h.counts[i]++
	h.n++
	h.max = max(h.max, d)
}

func (h *latencyHist) merge(o *latencyHist) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.max = max(h.max, o.max)
}

// quantile returns the latency below which a share q of the samples lie.
func (h *latencyHist) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q * float64(h.n-1))
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen > rank {
			return min(time.Duration(histValue(i))*time.Microsecond, h.max)
		}
	}
	return h.max
}
