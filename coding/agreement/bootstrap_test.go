package agreement

import (
	"math"
	"math/rand"
	"testing"
)

// The partial sums of drawStats are the one-by-one sum of a draw's
// documents, for draws of every length and random statistics.
func TestDrawStatsMatchesOneByOne(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for n := 0; n < 40; n++ {
		stats := make([]alphaStats, 1+rng.Intn(30))
		for d := range stats {
			m := 2 + rng.Intn(6)
			for u := 0; u < rng.Intn(5); u++ {
				stats[d].add(m, rng.Intn(m+1), float64(rng.Intn(1000)))
			}
		}
		draw := make([]int32, n)
		for i := range draw {
			draw[i] = int32(rng.Intn(len(stats)))
		}
		var want alphaStats
		for _, d := range draw {
			want.plus(stats[d])
		}
		got := drawStats(stats, draw)
		for _, f := range [][2]float64{{got.coded, want.coded}, {got.uncoded, want.uncoded}, {got.mixed, want.mixed}} {
			if math.Abs(f[0]-f[1]) > 1e-12*math.Max(1, math.Abs(f[1])) {
				t.Fatalf("drawStats(%d documents) = %+v, one by one %+v", n, got, want)
			}
		}
	}
}
