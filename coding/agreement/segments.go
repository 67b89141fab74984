package agreement

import "math/bits"

// The segments unit compares codings as MAXQDA's "segment" comparison
// does: a coder's coding agrees with another coder when that coder has a
// coding of the same code (for a parent's row: of the parent or any
// descendant) in the same document that overlaps it by at least
// Options.Overlap of the shorter of the two. Every coding is
// compared with every other coder taking part in its document, so for two
// coders percent agreement is
//
//	(codings of A matched by B + codings of B matched by A) / (codings of A + codings of B).
//
// Segments have no "neither coded" cell, so Cohen's κ, Fleiss' κ and α do
// not apply (α over a matched/unmatched table without that cell is never
// above 0, and undefined when all match). Like MAXQDA, chance is modelled
// instead as a coder picking one of the q codes compared at random:
// κ = (p_o − 1/q)/(1 − 1/q) (Brennan and Prediger's κ), defined where two
// or more codes are compared. q belongs to the row: overall and per code
// it is the codes compared in the report, per pair and per matrix cell
// those the pair compared, per document those compared in it. κ is what
// rows and cells are read by, so that they are never raw percentages on a
// chance-corrected scale.

// segmentTally counts comparisons of segments with other coders.
type segmentTally struct {
	compared, agreed float64
	segments         []float64 // per coder
	codes            int       // codes compared, q
}

func newSegmentTally(k int) *segmentTally { return &segmentTally{segments: make([]float64, k)} }

// pairSegments counts the segments of two coders and how many of each
// the other matched.
type pairSegments struct {
	segA, segB, matchedA, matchedB float64
	codes                          int
}

func segmentAgreement(s *agreementScope, r *Report) {
	k := s.k()
	r.Metric, r.PairMetric = MetricBrennanPrediger, MetricBrennanPrediger
	rows := make([]*segmentTally, len(s.rows))
	rowPairs := make([][]pairSegments, len(s.rows))
	for i := range rows {
		rows[i] = newSegmentTally(k)
		rowPairs[i] = make([]pairSegments, len(s.pairs)) // q is set once known
	}
	docs := make([]*segmentTally, len(s.docs))
	for d := range docs {
		docs[d] = newSegmentTally(k)
	}
	overall := newSegmentTally(k)
	pairs := make([]pairSegments, len(s.pairs))
	overallCodes := make([]bool, len(s.stack))
	pairCodes := make([][]bool, len(s.pairs))
	for p := range pairCodes {
		pairCodes[p] = make([]bool, len(s.stack))
	}

	var matched []uint64
	var active []int
	s.runs(func(d int, g agreementGroup, es []agreementEntry) {
		cover := s.cover[d]
		if s.m(d) < 2 {
			return
		}
		matched = matchSegments(es, s.opt.Overlap, matched, &active)
		compared := false
		for x, e := range es {
			i := int(e.coder)
			for b := cover &^ (1 << i); b != 0; b &= b - 1 {
				j := bits.TrailingZeros64(b)
				hit := 0.0
				if matched[x]&(1<<j) != 0 {
					hit = 1
				}
				p := s.pair(i, j)
				if g.row >= 0 {
					rows[g.row].compared++
					rows[g.row].agreed += hit
					rowPairs[g.row][p].count(i < j, hit)
				}
				if g.stack >= 0 {
					docs[d].compared++
					docs[d].agreed += hit
					pairs[p].count(i < j, hit)
					pairCodes[p][g.stack] = true
				}
				compared = true
			}
			if g.row >= 0 {
				rows[g.row].segments[i]++
			}
			if g.stack >= 0 {
				docs[d].segments[i]++
			}
		}
		if compared && g.stack >= 0 {
			docs[d].codes++
			overallCodes[g.stack] = true
		}
	})

	for _, dt := range docs {
		overall.compared += dt.compared
		overall.agreed += dt.agreed
		for i, n := range dt.segments {
			overall.segments[i] += n
		}
	}
	for _, used := range overallCodes {
		if used {
			overall.codes++
		}
	}
	r.Overall = overall.figures(s.coders)
	for i, t := range rows {
		t.codes = overall.codes
		r.Codes = append(r.Codes, s.codeRow(i, t.figures(s.coders)))
	}
	for d, t := range docs {
		r.Documents = append(r.Documents, s.docRow(d, t.figures(s.coders)))
	}
	for p := range pairs {
		for _, used := range pairCodes[p] {
			if used {
				pairs[p].codes++
			}
		}
		r.Pairs = append(r.Pairs, s.pairRow(p, pairs[p].figures(s.pairCoders(p))))
	}
	r.Matrix.Cells = make([][]Figures, len(s.rows))
	for i := range s.rows {
		r.Matrix.Cells[i] = make([]Figures, len(s.pairs))
		for p, ps := range rowPairs[i] {
			ps.codes = pairs[p].codes
			r.Matrix.Cells[i][p] = ps.figures(s.pairCoders(p))
		}
	}
}

// matchSegments returns, for each entry of es (one code in one document,
// sorted by start), the coders with a segment that matches it. It sweeps
// with the list of segments still open, so its cost grows with the
// segments and the pairs that overlap.
func matchSegments(es []agreementEntry, share float64, matched []uint64, active *[]int) []uint64 {
	matched = append(matched[:0], make([]uint64, len(es))...)
	*active = (*active)[:0]
	for x, e := range es {
		kept := (*active)[:0]
		for _, a := range *active {
			if es[a].end > e.start {
				kept = append(kept, a)
			}
		}
		*active = kept
		for _, a := range *active {
			o := es[a]
			if o.coder == e.coder {
				continue
			}
			shared := min(o.end, e.end) - e.start // o starts no later than e
			if float64(shared) >= share*float64(min(o.end-o.start, e.end-e.start)) {
				matched[a] |= 1 << e.coder
				matched[x] |= 1 << o.coder
			}
		}
		*active = append(*active, x)
	}
	return matched
}

func (p *pairSegments) count(first bool, hit float64) {
	if first {
		p.segA++
		p.matchedA += hit
	} else {
		p.segB++
		p.matchedB += hit
	}
}

func (t *segmentTally) figures(coders []string) Figures {
	c := Counts{Compared: int(t.compared), Both: int(t.agreed), Either: int(t.compared - t.agreed), CodedBy: map[string]int{}}
	for i, n := range t.segments {
		c.CodedBy[coders[i]] = int(n)
	}
	return segmentFigures(t.compared, t.agreed, t.codes, c)
}

func (p pairSegments) figures(coders []string) Figures {
	compared, agreed := p.segA+p.segB, p.matchedA+p.matchedB
	c := Counts{Compared: int(compared), Both: int(agreed), Either: int(compared - agreed),
		CodedBy: map[string]int{coders[0]: int(p.segA), coders[1]: int(p.segB)}}
	return segmentFigures(compared, agreed, p.codes, c)
}

func segmentFigures(compared, agreed float64, codes int, c Counts) Figures {
	f := Figures{Coefficients: map[string]Coefficient{}, Counts: c}
	if compared == 0 {
		f.Coefficients[MetricPercentAgreement] = undefined("no segment could be compared: no document has segments and two or more coders")
		f.Coefficients[MetricBrennanPrediger] = f.Coefficients[MetricPercentAgreement]
		return f
	}
	po := agreed / compared
	f.Coefficients[MetricPercentAgreement] = defined(po)
	if codes < 2 {
		f.Coefficients[MetricBrennanPrediger] = undefined("segments have no \"neither coded\" cell, so κ needs two or more codes (chance is 1 in the number of codes)")
	} else {
		f.Coefficients[MetricBrennanPrediger] = chanceCorrected(po, 1/float64(codes))
	}
	return f
}
