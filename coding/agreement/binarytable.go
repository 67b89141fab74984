package agreement

import "math/bits"

// binaryTable is a units × coders table of one binary decision — coded
// with a code or not — kept as totals rather than rows: the weight of
// units rated by m coders of whom n coded. A unit is a character (weight
// its length, so a stretch of characters that every coder treats alike is
// added at once) or a document. The totals are all that percent
// agreement, Fleiss' κ and Krippendorff's α need, and they add across
// codes and documents.
//
// Units rated by fewer than two coders are not kept: nothing can be
// compared in them, as in the table coefficients of reliability.go.
type binaryTable struct {
	k       int       // coders
	cells   []float64 // cells[m*(k+1)+n]
	codedBy []float64 // per coder, the weight it coded
}

func newBinaryTable(k int) *binaryTable {
	return &binaryTable{k: k, cells: make([]float64, (k+1)*(k+1)), codedBy: make([]float64, k)}
}

// add adds weight w of units rated by m coders, n of whom coded.
func (t *binaryTable) add(m, n int, w float64) {
	if m >= 2 {
		t.cells[m*(t.k+1)+n] += w
	}
}

// cover records that the coders in coded (a subset of the m who rated
// the unit) coded weight w of units. With fromNeither the weight moves
// from "nobody coded" — added beforehand as the whole text — so that a
// sweep need only visit what somebody coded.
func (t *binaryTable) cover(coded uint64, m int, w float64, fromNeither bool) {
	if m < 2 {
		return
	}
	t.add(m, bits.OnesCount64(coded), w)
	if fromNeither {
		t.add(m, 0, -w)
	}
	for b := coded; b != 0; b &= b - 1 {
		t.codedBy[bits.TrailingZeros64(b)] += w
	}
}

// merge adds the totals of o, a table of the same coders.
func (t *binaryTable) merge(o *binaryTable) {
	for i, w := range o.cells {
		t.cells[i] += w
	}
	for i, w := range o.codedBy {
		t.codedBy[i] += w
	}
}

// each calls fn for every class of units with weight.
func (t *binaryTable) each(fn func(m, n int, w float64)) {
	for m := 2; m <= t.k; m++ {
		for n := 0; n <= m; n++ {
			if w := t.cells[m*(t.k+1)+n]; w != 0 {
				fn(m, n, w)
			}
		}
	}
}

// counts returns the units compared and how many every, some or none of
// their coders coded.
func (t *binaryTable) counts(coders []string) Counts {
	var c Counts
	t.each(func(m, n int, w float64) {
		c.Compared += int(w)
		switch n {
		case m:
			c.Both += int(w)
		case 0:
			c.Neither += int(w)
		default:
			c.Either += int(w)
		}
	})
	c.CodedBy = make(map[string]int, len(coders))
	for i, name := range coders {
		c.CodedBy[name] = int(t.codedBy[i])
	}
	return c
}

// percentAgreement is Fleiss' P̄: the mean over units of the share of
// agreeing pairs of coders; for two coders, the share of units on which
// they agree.
func (t *binaryTable) percentAgreement() Coefficient {
	sum, units := 0.0, 0.0
	t.each(func(m, n int, w float64) {
		o := m - n
		sum += w * float64(n*(n-1)+o*(o-1)) / float64(m*(m-1))
		units += w
	})
	if units == 0 {
		return undefined("no unit was rated by two or more coders")
	}
	return defined(sum / units)
}

// fleissKappa is Fleiss' κ with each unit's own number of coders, as
// FleissKappa computes it for tables with missing values.
func (t *binaryTable) fleissKappa() Coefficient {
	po := t.percentAgreement()
	if !po.Defined {
		return po
	}
	coded, ratings := 0.0, 0.0
	t.each(func(m, n int, w float64) {
		coded += w * float64(n)
		ratings += w * float64(m)
	})
	p := coded / ratings
	return chanceCorrected(po.Value, p*p+(1-p)*(1-p))
}

// alphaStats are the sufficient statistics of nominal Krippendorff's α on
// a binary table: the values 1 (coded) and 0 in pairable units, and the
// coincidences between them. They add across documents, which is what
// makes the bootstrap cheap.
type alphaStats struct {
	coded, uncoded, mixed float64
}

func (t *binaryTable) alphaStats() alphaStats {
	var s alphaStats
	t.each(func(m, n int, w float64) {
		s.add(m, n, w)
	})
	return s
}

// add adds weight w of units with m values, n of them 1.
func (s *alphaStats) add(m, n int, w float64) {
	if m < 2 {
		return
	}
	s.coded += w * float64(n)
	s.uncoded += w * float64(m-n)
	s.mixed += w * float64(n*(m-n)) / float64(m-1)
}

func (s *alphaStats) plus(o alphaStats) {
	s.coded += o.coded
	s.uncoded += o.uncoded
	s.mixed += o.mixed
}

// alpha is nominal α = 1 − (n−1)·o₀₁/(n₀·n₁), the two-value case of
// KrippendorffAlpha.
func (s alphaStats) alpha() Coefficient {
	n := s.coded + s.uncoded
	if n == 0 {
		return undefined("no unit has values from two or more coders")
	}
	if s.coded == 0 || s.uncoded == 0 {
		return undefined("expected disagreement is zero: every pairable value is the same")
	}
	return defined(1 - (n-1)*s.mixed/(s.coded*s.uncoded))
}

// pairCounts is the 2×2 table of two coders: the weight both coded, only
// the first, only the second, and neither.
type pairCounts struct {
	both, onlyA, onlyB, neither float64
}

func (p *pairCounts) plus(o pairCounts) {
	p.both += o.both
	p.onlyA += o.onlyA
	p.onlyB += o.onlyB
	p.neither += o.neither
}

func (p pairCounts) total() float64 { return p.both + p.onlyA + p.onlyB + p.neither }

// cohenKappa is Cohen's κ of the 2×2 table, in the form NVivoKappa uses:
// its denominator is zero exactly when the table is degenerate.
func (p pairCounts) cohenKappa() Coefficient {
	if p.total() == 0 {
		return undefined("no unit was rated by both coders")
	}
	den := (p.both+p.onlyA)*(p.onlyA+p.neither) + (p.both+p.onlyB)*(p.onlyB+p.neither)
	if den == 0 {
		return undefined("expected agreement is 1, so chance cannot be corrected for")
	}
	return defined(2 * (p.both*p.neither - p.onlyA*p.onlyB) / den)
}

func (p pairCounts) percentAgreement() Coefficient {
	if p.total() == 0 {
		return undefined("no unit was rated by both coders")
	}
	return defined((p.both + p.neither) / p.total())
}

// table returns the pair as a two-coder binaryTable.
func (p pairCounts) table() *binaryTable {
	t := newBinaryTable(2)
	t.add(2, 2, p.both)
	t.add(2, 1, p.onlyA+p.onlyB)
	t.add(2, 0, p.neither)
	t.codedBy[0] = p.both + p.onlyA
	t.codedBy[1] = p.both + p.onlyB
	return t
}

// cover records weight w of units that coder A (a) and coder B (b) coded
// or not, as binaryTable.cover does for all coders.
func (p *pairCounts) cover(a, b bool, w float64, fromNeither bool) {
	switch {
	case a && b:
		p.both += w
	case a:
		p.onlyA += w
	case b:
		p.onlyB += w
	default:
		return
	}
	if fromNeither {
		p.neither -= w
	}
}
