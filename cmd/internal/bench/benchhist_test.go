package bench

import (
	"math/rand"
	"sort"
	"testing"
	"time"
)

func TestLatencyHistBuckets(t *testing.T) {
	for _, us := range []uint64{0, 1, 255, 256, 257, 511, 512, 1000, 4095, 4096, 123456, 1 << 40} {
		i := histBucket(us)
		lo, hi := histValue(i), histValue(i+1)
		if us < lo || us >= hi {
			t.Errorf("%d µs went to bucket %d, which holds [%d, %d)", us, i, lo, hi)
		}
		if us >= histExact && float64(hi-lo) > float64(lo)/histSub+1 {
			t.Errorf("bucket %d is [%d, %d): wider than 1/%d", i, lo, hi, histSub)
		}
	}
}

// Quantiles from the buckets are within 1% of the exact ones.
func TestLatencyHistQuantiles(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	var h latencyHist
	var all []time.Duration
	for range 100_000 {
		d := time.Duration(rng.ExpFloat64()*2e6) + time.Duration(rng.Intn(300))*time.Microsecond
		h.add(d)
		all = append(all, d)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	for _, q := range []float64{0.5, 0.9, 0.99, 1} {
		exact := all[int(q*float64(len(all)-1))]
		got := h.quantile(q)
		if diff := (got - exact).Abs(); diff > exact/100+time.Microsecond {
			t.Errorf("quantile %v: %v, exact %v", q, got, exact)
		}
	}
	if h.n != uint64(len(all)) || h.max != all[len(all)-1] {
		t.Errorf("n %d max %v", h.n, h.max)
	}
}
