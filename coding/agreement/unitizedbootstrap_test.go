package agreement

import (
	"math"
	"math/bits"
	"math/rand"
	"testing"
)

// bruteBootComponents is a group's weighted D_O and D_E the
// straightforward way: every unit against every gap of every document,
// each document counted w[d] times.
func bruteBootComponents(items unitizedItems, cover []uint64, all uint64, w []float64, sums unitizedSums) unitizedResult {
	r := float64(bits.OnesCount64(all))
	type item struct {
		l, n float64 // length; weight (for a gap, times the gaps it stands for)
		gap  bool
	}
	var its []item
	for _, it := range items {
		doc, coder := it>>7&(maxUnitizedDocuments-1), int(it&127)-1
		if cover[doc] != all || w[doc] == 0 {
			continue
		}
		x := item{l: float64(it >> 28), n: w[doc], gap: it&(1<<27) != 0}
		if x.gap && coder < 0 {
			x.n *= r
		}
		its = append(its, x)
	}
	var units, cubic, fits, self float64
	for _, u := range its {
		if u.gap {
			continue
		}
		units += u.n
		cubic += u.n * (2*u.l*u.l*u.l - 3*u.l*u.l + u.l) / 3
		self += u.n * u.l * (u.l - 1)
		for _, g := range its {
			if g.gap && g.l >= u.l {
				fits += u.n * g.n * u.l * u.l * (g.l - u.l + 1)
			}
		}
	}
	return finishComponents(r, units, cubic, fits, self, sums, "")
}

// The bootstrap's runs summed per document give every group's D_O and D_E
// as recomputing them unit by unit and gap by gap does, for the
// resamples' own weights and for random ones, on random projects.
func TestUnitizedBootstrapMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b))) }
	checked := 0
	for i := 0; i < 300; i++ {
		in := randomProject(rng, 2+rng.Intn(3), 1+rng.Intn(8), rng.Intn(40), rng.Intn(2) == 0)
		opt := Options{Unit: UnitUnitized, Bootstrap: 20, Seed: int64(i)}
		s, err := newAgreementScope(in, &opt)
		if err != nil {
			t.Fatal(err)
		}
		tl := tallyUnitized(s)
		if bits.OnesCount64(tl.all) < 2 {
			continue
		}
		boot := newBootstrap(s, func(d int) bool { return s.cover[d] == tl.all })
		r := float64(bits.OnesCount64(tl.all))
		w := make([]float64, len(s.docs))
		for trial := 0; trial < 20; trial++ {
			if trial < len(boot.draws) && len(boot.docs) > 0 {
				boot.weights(boot.draws[trial], w)
			} else {
				for d := range w {
					w[d] = float64(rng.Intn(4))
				}
			}
			length := 0.0
			for d, n := range w {
				length += n * float64(s.docs[d].Length)
			}
			for gi := range tl.groups {
				g := &tl.groups[gi]
				observed := 0.0
				for x, d := range g.runDocs {
					observed += w[d] * g.observedRun[x]
				}
				sums := unitizedSums{observed, length}
				bg := prepareBoot(g.items, s.cover, tl.all, len(s.docs), "")
				// This resample in the last lane, beside others.
				wl := make([][lanes]float64, len(w))
				for d := range w {
					wl[d] = [lanes]float64{1, 2, 0, w[d]}
				}
				lanesSums := [lanes]unitizedSums{{1, 1}, {2, 2}, {}, sums}
				got := bg.components(r, wl, &lanesSums)[lanes-1]
				want := bruteBootComponents(g.items, s.cover, tl.all, w, sums)
				if got.c.Defined != want.c.Defined || got.empty != want.empty || !near(got.do, want.do) || !near(got.de, want.de) {
					t.Fatalf("project %d, group %d, weights %v: runs give %+v, unit by unit %+v\n%+v", i, gi, w, got, want, in)
				}
				checked++
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d groups and weights checked", checked)
	}
}
