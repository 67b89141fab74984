package agreement

import (
	"math/bits"
	"slices"

	"github.com/concordqda/concord/coding"
)

// Krippendorff's 1995 unitizing α (unitized1995.go) over many documents, each
// counted a number of times — once for a figure, as often as a bootstrap
// resample drew it for an interval. The documents are not joined into one
// continuum: a coder's gap at the end of one document and the start of
// the next stay two gaps, since no unit could be placed across them. That
// is the only difference from UnitizedAlpha1995 on the documents laid end
// to end, and on one document the two agree (a test checks it).
//
// Observed disagreement adds up over documents. Expected disagreement
// needs, for each unit of length l, Σ (g − l + 1) over the gaps g ≥ l of
// every coder in every document: with the units and gaps of all documents
// sorted once, longest first, one pass keeps the running sums of gaps,
// for any weights of the documents.

// unitizedItems are one code's units and gaps, each packed into a number
// that sorts by length, and gaps after units of the same length:
//
//	length << 28 | gap << 27 | document << 7 | coder + 1
//
// A gap with coder −1 (packed as 0) stands for a whole document without
// units: one gap for each coder compared.
type unitizedItems []uint64

// maxUnitizedDocuments bounds the documents an item can name.
const maxUnitizedDocuments = 1 << 20

func packItem(length int, gap bool, doc, coder int32) uint64 {
	x := uint64(length)<<28 | uint64(doc)<<7 | uint64(coder+1)
	if gap {
		x |= 1 << 27
	}
	return x
}

// sort orders the items by length and kind with a radix sort on those
// bits only: the order among items of one length and kind does not
// matter, and there are many items of few lengths.
func (items unitizedItems) sort(buf unitizedItems) unitizedItems {
	if len(items) < 64 {
		slices.Sort(items)
		return buf
	}
	buf = slices.Grow(buf[:0], len(items))[:len(items)]
	var count [1 << 11]int
	src, dst := items, buf
	for shift := 27; shift < 64; shift += 11 {
		clear(count[:])
		for _, x := range src {
			count[x>>shift&(1<<11-1)]++
		}
		if count[src[0]>>shift&(1<<11-1)] == len(src) {
			continue // every item has the same digit here
		}
		sum := 0
		for i, n := range count {
			count[i] = sum
			sum += n
		}
		for _, x := range src {
			digit := x >> shift & (1<<11 - 1)
			dst[count[digit]] = x
			count[digit]++
		}
		src, dst = dst, src
	}
	if &src[0] != &items[0] {
		copy(items, src)
	}
	return buf
}

// unitizedSums are the parts of D_O and D_E that add over documents.
type unitizedSums struct {
	observed float64 // Σ over coder pairs of the observed disagreements
	length   float64 // L
}

// unitizedResult is D_O and D_E of one code, or why there are none. Empty
// reports that no compared coder has a unit of the code, which makes its
// own coefficient undefined but adds nothing to an overall figure.
type unitizedResult struct {
	do, de float64
	empty  bool
	c      Coefficient
}

// alpha is 1 − D_O/D_E, with the reasons of unitized1995.go.
func (u unitizedResult) alpha(category string) Coefficient {
	if !u.c.Defined {
		return u.c
	}
	if u.de == 0 {
		return undefined("expected disagreement is zero for %q", clip(category))
	}
	return defined(1 - u.do/u.de)
}

// components returns D_O and D_E for the coders in set, over the
// documents in which all of them take part (cover). sums must hold the
// observed disagreements and the length over the same documents. The
// items must be sorted.
func (items unitizedItems) components(set uint64, cover []uint64, sums unitizedSums, category string) unitizedResult {
	r := float64(bits.OnesCount64(set))
	if r < 2 || sums.length == 0 {
		return finishComponents(r, 0, 0, 0, 0, sums, category)
	}
	var units, cubic, fits, self float64   // N_c, Σ(2l³−3l²+l)/3, Σ l²·Σ(g−l+1), Σ l(l−1)
	var gaps, gapSum float64               // gaps at least as long as the current item
	for x := len(items) - 1; x >= 0; x-- { // longest first, gaps before units
		it := items[x]
		doc, coder := int32(it>>7&(maxUnitizedDocuments-1)), int32(it&127)-1
		if cover[doc]&set != set {
			continue
		}
		w := 1.0
		l := float64(it >> 28)
		if it&(1<<27) != 0 {
			if coder < 0 {
				w *= r
			} else if set&(1<<coder) == 0 {
				continue
			}
			gaps += w
			gapSum += w * l
			continue
		}
		if set&(1<<coder) == 0 {
			continue
		}
		units += w
		cubic += w * (2*l*l*l - 3*l*l + l) / 3
		fits += w * l * l * (gapSum - (l-1)*gaps)
		self += w * l * (l - 1)
	}
	return finishComponents(r, units, cubic, fits, self, sums, category)
}

// componentsFor is components for several sets of coders at once, in one
// pass over the items: each unit updates only the sets that hold its
// coder. sums[i] belong to sets[i].
func (items unitizedItems) componentsFor(sets []uint64, cover []uint64, sums []unitizedSums, category string) []unitizedResult {
	type acc struct{ units, cubic, fits, self, gaps, gapSum float64 }
	accs := make([]acc, len(sets))
	holding := make([][]int, coding.MaxAgreementCoders+1) // by coder + 1; 0 is every set
	for i, set := range sets {
		holding[0] = append(holding[0], i)
		for c := set; c != 0; c &= c - 1 {
			holding[bits.TrailingZeros64(c)+1] = append(holding[bits.TrailingZeros64(c)+1], i)
		}
	}
	for x := len(items) - 1; x >= 0; x-- {
		it := items[x]
		doc, coder := it>>7&(maxUnitizedDocuments-1), it&127
		l := float64(it >> 28)
		gap := it&(1<<27) != 0
		for _, i := range holding[coder] {
			set := sets[i]
			if cover[doc]&set != set {
				continue
			}
			a := &accs[i]
			if gap {
				w := 1.0
				if coder == 0 {
					w = float64(bits.OnesCount64(set))
				}
				a.gaps += w
				a.gapSum += w * l
				continue
			}
			a.units++
			a.cubic += (2*l*l*l - 3*l*l + l) / 3
			a.fits += l * l * (a.gapSum - (l-1)*a.gaps)
			a.self += l * (l - 1)
		}
	}
	out := make([]unitizedResult, len(sets))
	for i, set := range sets {
		a := accs[i]
		out[i] = finishComponents(float64(bits.OnesCount64(set)), a.units, a.cubic, a.fits, a.self, sums[i], category)
	}
	return out
}

// finishComponents turns the sums of a pass into D_O and D_E.
func finishComponents(r, units, cubic, fits, self float64, sums unitizedSums, category string) unitizedResult {
	if r < 2 {
		return unitizedResult{c: undefined("needs at least two coders (there are %d)", int(r))}
	}
	if sums.length == 0 {
		return unitizedResult{c: undefined("no document has every compared coder taking part")}
	}
	if units == 0 {
		return unitizedResult{empty: true, c: undefined("nobody coded %q", clip(category))}
	}
	L := sums.length
	do := 2 * sums.observed / (r * (r - 1) * L * L)
	de := 2 / L * ((units-1)*cubic + fits) / (r*L*(r*L-1) - self)
	if !finite(do) || !finite(de) {
		return unitizedResult{c: undefined("the documents are too long to compute with")}
	}
	return unitizedResult{do: do, de: de, c: Coefficient{Defined: true}}
}

// observedDisagreement is the sum the 1995 α's D_O is made of, for two
// coders' partitions of the same document: (b_g − b_h)² + (e_g − e_h)² for
// two units that intersect, l² for a unit inside the other's gap. mismatch
// is the length where one has a unit and the other a gap.
func observedDisagreement(a, b []segment) (sum, mismatch float64) {
	overlaps(a, b, func(i, j int, shared float64) {
		g, h := a[i], b[j]
		if (g.value > 0) != (h.value > 0) {
			mismatch += shared
		}
		switch {
		case g.value > 0 && h.value > 0:
			sum += square(float64(g.start-h.start)) + square(float64(g.end-h.end))
		case g.value > 0 && h.start <= g.start && g.end <= h.end:
			sum += square(g.length())
		case h.value > 0 && g.start <= h.start && h.end <= g.end:
			sum += square(h.length())
		}
	})
	return sum, mismatch
}

// binaryUSums are what |uα of one code needs, added over documents: the
// coders' unit lengths and squared lengths, and the length where two
// coders disagree, summed over pairs. With one value and its gaps the
// coincidences of unitized2016.go reduce to these: o₀₁ = mismatch/(m−1),
// l₁. = units, l₀. = mL − units, S₁ = Σ l², S₀ = l₀..
type binaryUSums struct {
	units, squares, mismatch float64
}

func (b binaryUSums) alpha(coders int, length float64) Coefficient {
	if coders < 2 {
		return undefined("needs at least two coders (there are %d)", coders)
	}
	if length == 0 {
		return undefined("no document has every compared coder taking part")
	}
	m := float64(coders)
	total := m * length
	gaps := total - b.units
	if gaps == 0 {
		return undefined("no coder left any gap, so there is no coded-versus-uncoded distinction")
	}
	do := b.mismatch / (m - 1)
	de := gaps * b.units / (total - (gaps+b.squares)/total)
	return ratio(do, de, "expected disagreement is zero")
}
