package agreement

import "math/bits"

// The characters and presence units share one computation: for every code
// a binary units × coders table (coded or not), whose units are characters
// or documents. A row's table covers every document its coders take part
// in, so text nobody coded with the code counts as agreement on "not
// coded" — unless CodedOnly leaves it out.
//
// Overall, per document and per pair, the tables of the codes as applied
// are added up: their units are (code, character) or (code, document)
// pairs, and chance agreement is modelled from the pooled share of coded
// units. Parents' rows are left out of these sums, so that no coding
// counts twice.

// binaryTallies are the tables a binary agreement adds up.
type binaryTallies struct {
	rows []*binaryTable
	// groupPairs are each group's 2×2 tables of every pair: a row's
	// matrix cells, and added up over the codes as applied, the pairs'.
	groupPairs [][]pairCounts
	docs       []*binaryTable
	pairs      []pairCounts
	// rowDocs holds, when a bootstrap is asked for, α's statistics of
	// each row in each document.
	rowDocs [][]alphaStats
}

func binaryAgreement(s *agreementScope, r *Report) {
	t := tallyBinary(s)
	codedOnly := s.opt.CodedOnly
	// Cells are read by the same coefficient as the rows and the overall
	// figure, so that one colour scale fits all of them; κ and percent
	// agreement stay in every cell's coefficients.
	r.Metric, r.PairMetric = MetricKrippendorffAlpha, MetricKrippendorffAlpha
	if codedOnly {
		r.Metric, r.PairMetric = MetricPercentAgreement, MetricPercentAgreement
	}
	overall := newBinaryTable(s.k())
	for _, d := range t.docs {
		overall.merge(d)
	}
	r.Overall = binaryFigures(overall, s.coders, codedOnly)
	boot := newBootstrap(s, func(d int) bool { return s.m(d) >= 2 })
	if boot != nil {
		stats := make([]alphaStats, len(s.docs))
		for d, dt := range t.docs {
			stats[d] = dt.alphaStats()
		}
		r.Overall.AlphaCI = boot.alphaInterval(r.Overall.Coefficients[MetricKrippendorffAlpha], stats)
	}
	rows := make([]Figures, len(t.rows))
	for i, rt := range t.rows {
		rows[i] = binaryFigures(rt, s.coders, codedOnly)
	}
	if boot != nil {
		// The rows' intervals are most of a report's work, and
		// independent: spread them over the cores.
		parallel(len(rows), func(i int) {
			rows[i].AlphaCI = boot.alphaInterval(rows[i].Coefficients[MetricKrippendorffAlpha], t.rowDocs[i])
		})
	}
	for i, f := range rows {
		r.Codes = append(r.Codes, s.codeRow(i, f))
	}
	for d, dt := range t.docs {
		r.Documents = append(r.Documents, s.docRow(d, binaryFigures(dt, s.coders, codedOnly)))
	}
	for p, pc := range t.pairs {
		r.Pairs = append(r.Pairs, s.pairRow(p, pairFigures(pc, s.pairCoders(p), codedOnly)))
	}
	r.Matrix.Cells = make([][]Figures, len(s.rows))
	for i := range s.rows {
		r.Matrix.Cells[i] = make([]Figures, len(s.pairs))
		for p, pc := range t.groupPairs[i] { // row i's group is group i
			r.Matrix.Cells[i][p] = pairFigures(pc, s.pairCoders(p), codedOnly)
		}
	}
}

// tallyBinary builds every table in one pass over the runs.
func tallyBinary(s *agreementScope) *binaryTallies {
	k, codedOnly := s.k(), s.opt.CodedOnly
	t := &binaryTallies{
		rows:       make([]*binaryTable, len(s.rows)),
		groupPairs: make([][]pairCounts, len(s.groups)),
		docs:       make([]*binaryTable, len(s.docs)),
		pairs:      make([]pairCounts, len(s.pairs)),
	}
	// The base: every unit of every document starts as "nobody coded".
	base := newBinaryTable(k)
	pairBase := make([]float64, len(s.pairs))
	var docBase []alphaStats
	if s.opt.Bootstrap > 0 {
		docBase = make([]alphaStats, len(s.docs))
	}
	codes := float64(len(s.stack))
	for d := range s.docs {
		t.docs[d] = newBinaryTable(k)
		if codedOnly {
			continue
		}
		w, m := s.weight(d), s.m(d)
		base.add(m, 0, w)
		t.docs[d].add(m, 0, w*codes)
		for p, pr := range s.pairs {
			if s.cover[d]&(1<<pr[0]) != 0 && s.cover[d]&(1<<pr[1]) != 0 {
				pairBase[p] += w
			}
		}
		if docBase != nil {
			docBase[d].add(m, 0, w)
		}
	}
	for i := range s.rows {
		t.rows[i] = newBinaryTable(k)
		t.rows[i].merge(base)
	}
	for gi := range s.groups {
		t.groupPairs[gi] = make([]pairCounts, len(s.pairs))
		for p := range s.pairs {
			t.groupPairs[gi][p].neither = pairBase[p]
		}
	}
	if docBase != nil {
		t.rowDocs = make([][]alphaStats, len(s.rows))
		for i := range s.rows {
			t.rowDocs[i] = append([]alphaStats(nil), docBase...)
		}
	}

	fromNeither := !codedOnly
	var w sweeper
	s.runs(func(d int, g agreementGroup, es []agreementEntry) {
		cover, m := s.cover[d], s.m(d)
		add := func(from, to int, coders uint64) {
			n := float64(to - from)
			if g.row >= 0 {
				t.rows[g.row].cover(coders, m, n, fromNeither)
				if t.rowDocs != nil {
					st := &t.rowDocs[g.row][d]
					st.add(m, bits.OnesCount64(coders), n)
					if fromNeither {
						st.add(m, 0, -n)
					}
				}
			}
			if g.stack >= 0 {
				t.docs[d].cover(coders, m, n, fromNeither)
			}
			coverPairs(s, t.groupPairs[es[0].group], coders, cover, n, fromNeither)
		}
		if s.opt.Unit == UnitPresence {
			var coders uint64
			for _, e := range es {
				coders |= 1 << e.coder
			}
			add(0, 1, coders)
			return
		}
		w.sweep(es, add)
	})
	for gi, g := range s.groups {
		if g.stack >= 0 {
			for p, pc := range t.groupPairs[gi] {
				t.pairs[p].plus(pc)
			}
		}
	}
	return t
}

// coverPairs records a stretch that coders (within cover, the coders
// taking part in the document) coded in the 2×2 table of every pair in
// which at least one of them coded it.
func coverPairs(s *agreementScope, pcs []pairCounts, coders, cover uint64, w float64, fromNeither bool) {
	for a := coders; a != 0; a &= a - 1 {
		i := bits.TrailingZeros64(a)
		for b := cover &^ (1 << i); b != 0; b &= b - 1 {
			j := bits.TrailingZeros64(b)
			if coders&(1<<j) != 0 && j < i {
				continue // counted when j came round
			}
			lo, hi := min(i, j), max(i, j)
			pcs[s.pair(lo, hi)].cover(coders&(1<<lo) != 0, coders&(1<<hi) != 0, w, fromNeither)
		}
	}
}

// codedOnlyReason explains why the chance-corrected coefficients are left
// out with CodedOnly.
const codedOnlyReason = "counting only coded text leaves no text that nobody coded, without which chance agreement cannot be modelled; see percent agreement, or count all text"

// binaryFigures are the coefficients of a table over all its coders.
func binaryFigures(t *binaryTable, coders []string, codedOnly bool) Figures {
	f := Figures{Coefficients: map[string]Coefficient{
		MetricPercentAgreement: t.percentAgreement(),
	}, Counts: t.counts(coders)}
	if codedOnly {
		for _, m := range []string{MetricCohenKappa, MetricFleissKappa, MetricKrippendorffAlpha} {
			f.Coefficients[m] = undefined(codedOnlyReason)
		}
		return f
	}
	f.Coefficients[MetricFleissKappa] = t.fleissKappa()
	f.Coefficients[MetricKrippendorffAlpha] = t.alphaStats().alpha()
	if t.k == 2 {
		both := t.cells[2*3+2]
		f.Coefficients[MetricCohenKappa] = pairCounts{
			both:    both,
			onlyA:   t.codedBy[0] - both,
			onlyB:   t.codedBy[1] - both,
			neither: t.cells[2*3+0],
		}.cohenKappa()
	} else {
		f.Coefficients[MetricCohenKappa] = undefined("needs exactly two coders (%d are compared); see the coder pairs", t.k)
	}
	return f
}

// pairFigures are the coefficients of two coders.
func pairFigures(p pairCounts, coders []string, codedOnly bool) Figures {
	t := p.table()
	f := Figures{Coefficients: map[string]Coefficient{
		MetricPercentAgreement: p.percentAgreement(),
	}, Counts: t.counts(coders)}
	if codedOnly {
		f.Coefficients[MetricCohenKappa] = undefined(codedOnlyReason)
		f.Coefficients[MetricKrippendorffAlpha] = undefined(codedOnlyReason)
		return f
	}
	f.Coefficients[MetricCohenKappa] = p.cohenKappa()
	f.Coefficients[MetricKrippendorffAlpha] = t.alphaStats().alpha()
	return f
}
