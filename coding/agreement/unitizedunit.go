package agreement

import (
	"cmp"
	"maps"
	"math/bits"
	"runtime"
	"slices"
)

// The unitized unit compares where coders placed their units with
// Krippendorff's unitizing coefficients. Those need every coder to have
// read the whole continuum, so a figure over a set of coders uses the
// documents in which all of them take part. A coder's overlapping codings
// of one code (for a parent's row: of the parent and its descendants) are
// merged into one unit, since a coder's units of a code must not overlap;
// codings that only touch stay separate units.
//
//   - krippendorff_alpha_u_1995_category, per code: the 1995 α over the
//     documents (unitized1995documents.go); overall, per document and per pair
//     the codes' disagreements are added up, 1 − ΣD_O/ΣD_E, as
//     UnitizedAlpha1995Overall does.
//   - binary_u_alpha_2016 per code: |uα of the code against the gaps, on
//     the documents laid end to end (uα of one code is the same number).
//   - u_alpha_2016, binary_u_alpha_2016, cu_alpha_2016 overall, per
//     document and per pair, and k_u_alpha_2016 per code, compare the
//     codes with one another. They need each coder's units of different
//     codes not to overlap either — rare in qualitative coding — and are
//     undefined, with the reason, where they do.

// unitizedGroup is what the unitized unit keeps of one group.
type unitizedGroup struct {
	index int
	items unitizedItems
	// Observed disagreement over the documents all coders take part in,
	// and per pair over those both take part in.
	observedAll  float64
	observedPair []float64
	// runDocs are the documents with codings of the group, with the
	// all-coder observed disagreement in each (for the bootstrap).
	runDocs     []int32
	observedRun []float64
	binary      binaryUSums // over documents all coders take part in
	unitsAll    []int       // per coder, over documents all take part in
	unitsPair   [][2]int    // per pair, over documents both take part in
	all         unitizedResult
	pair        []unitizedResult
}

// unitRecord is one merged unit of a code as applied.
type unitRecord struct {
	coder, group int32
	start, end   int
}

type unitizedTallies struct {
	groups   []unitizedGroup
	docUnits [][]unitRecord // per document, the units of codes as applied
	overlap  []uint64       // per document, coders whose units of different codes overlap
	docDO    []float64
	docDE    []float64
	docWhy   []Coefficient // why a document's figure is undefined
	all      uint64
	lenAll   float64
	lenPair  []float64
	ranges   [][2]int // the documents split for the cores, see documentRanges
}

func unitizedAgreement(s *agreementScope, r *Report) {
	r.Metric, r.PairMetric = MetricUnitizedAlpha1995Cat, MetricUnitizedAlpha1995Cat
	t := tallyUnitized(s)
	k := s.k()
	full := func(d int) bool { return k >= 2 && s.cover[d] == t.all }
	pairSet := func(p int) uint64 { return uint64(1)<<s.pairs[p][0] | uint64(1)<<s.pairs[p][1] }
	name := func(gi int) string {
		if g := s.groups[gi]; g.row >= 0 {
			return s.rows[g.row].Name
		}
		c, _ := s.in.Codebook.Code(s.stack[s.groups[gi].stack])
		return c.Name
	}
	sets := []uint64{t.all}
	for p := range s.pairs {
		sets = append(sets, pairSet(p))
	}
	// Each group's D_O and D_E depend on its own items only.
	t.each(len(t.groups), func(gi int) {
		g := &t.groups[gi]
		sums := make([]unitizedSums, len(sets))
		sums[0] = unitizedSums{g.observedAll, t.lenAll}
		for p := range s.pairs {
			sums[p+1] = unitizedSums{g.observedPair[p], t.lenPair[p]}
		}
		res := g.items.componentsFor(sets, s.cover, sums, name(gi))
		g.all, g.pair = res[0], res[1:]
	})

	// The codes' disagreements added up.
	overall := func(result func(g *unitizedGroup) unitizedResult) Coefficient {
		var do, de float64
		for gi := range t.groups {
			if s.groups[gi].stack < 0 {
				continue
			}
			u := result(&t.groups[gi])
			if !u.c.Defined && !u.empty {
				return u.c
			}
			do += u.do
			de += u.de
		}
		if de == 0 {
			if len(s.stack) == 0 {
				return undefined("nobody coded anything")
			}
			return undefined("expected disagreement is zero")
		}
		return defined(1 - do/de)
	}

	boot := newBootstrap(s, full)
	var replicates [][]unitizedResult // per group, per resample
	if boot != nil {
		replicates = t.bootstrap(s, boot)
	}

	u16 := t.coincidences2016(s)
	uAll, uAllWhy := u16.all, u16.allWhy
	r.Overall = t.figures(s, t.all, full, -1)
	r.Overall.Coefficients[MetricUnitizedAlpha1995] = overall(func(g *unitizedGroup) unitizedResult { return g.all })
	add2016(r.Overall.Coefficients, uAll, uAllWhy)
	if boot != nil {
		r.Overall.AlphaCI = boot.interval(r.Overall.Coefficients[MetricUnitizedAlpha1995], func(i int, _ []int32) Coefficient {
			return overall(func(g *unitizedGroup) unitizedResult { return replicates[g.index][i] })
		})
	}

	for ri, code := range s.rows {
		g := &t.groups[ri]
		f := t.figures(s, t.all, full, ri)
		alpha := g.all.alpha(code.Name)
		f.Coefficients[MetricUnitizedAlpha1995Cat] = alpha
		f.Coefficients[MetricBinaryUAlpha2016] = g.binary.alpha(k, t.lenAll)
		f.Coefficients[MetricKUAlpha2016] = s.kuAlpha(ri, uAll, uAllWhy)
		if boot != nil {
			f.AlphaCI = boot.interval(alpha, func(i int, _ []int32) Coefficient { return replicates[ri][i].alpha(code.Name) })
		}
		r.Codes = append(r.Codes, s.codeRow(ri, f))
	}

	for d := range s.docs {
		one := func(x int) bool { return x == d }
		f := t.figuresIn(s, s.cover[d], d, d+1, one, -1)
		f.Coefficients[MetricUnitizedAlpha1995] = t.documentAlpha(s, d)
		maps.Copy(f.Coefficients, u16.doc[d])
		r.Documents = append(r.Documents, s.docRow(d, f))
	}

	for p := range s.pairs {
		set := pairSet(p)
		both := func(d int) bool { return s.cover[d]&set == set }
		f := t.figures(s, set, both, -1)
		f.Coefficients[MetricUnitizedAlpha1995] = overall(func(g *unitizedGroup) unitizedResult { return g.pair[p] })
		u, why := u16.pair[p], u16.pairWhy[p]
		add2016(f.Coefficients, u, why)
		r.Pairs = append(r.Pairs, s.pairRow(p, f))
		for ri, code := range s.rows {
			if p == 0 {
				r.Matrix.Cells = append(r.Matrix.Cells, make([]Figures, len(s.pairs)))
			}
			c := t.figures(s, set, both, ri)
			c.Coefficients[MetricUnitizedAlpha1995Cat] = t.groups[ri].pair[p].alpha(code.Name)
			c.Coefficients[MetricKUAlpha2016] = s.kuAlpha(ri, u, why)
			r.Matrix.Cells[ri][p] = c
		}
	}
	if len(s.pairs) == 0 {
		r.Matrix.Cells = make([][]Figures, len(s.rows))
	}
}

// tallyUnitized splits every coder's codings of every group in every
// document into merged units and gaps, and keeps what the coefficients
// add up. The documents are split into the ranges of documentRanges, which
// are tallied side by side and merged in document order.
func tallyUnitized(s *agreementScope) *unitizedTallies {
	return tallyUnitizedIn(s, s.documentRanges())
}

// tallyUnitizedIn is tallyUnitized with the documents split into ranges.
// Whatever the ranges, the tallies are the same: each range's groups hold
// its documents' items, runs and sums in document order, and the merge
// appends and adds them range after range. The sums it adds are whole
// numbers (lengths, squared lengths and squared differences of offsets),
// which floats add exactly in any order below 2⁵³.
func tallyUnitizedIn(s *agreementScope, ranges [][2]int) *unitizedTallies {
	k := s.k()
	t := &unitizedTallies{
		groups:   make([]unitizedGroup, len(s.groups)),
		docUnits: make([][]unitRecord, len(s.docs)),
		overlap:  make([]uint64, len(s.docs)),
		docDO:    make([]float64, len(s.docs)),
		docDE:    make([]float64, len(s.docs)),
		docWhy:   make([]Coefficient, len(s.docs)),
		lenPair:  make([]float64, len(s.pairs)),
		ranges:   ranges,
	}
	if k > 0 {
		t.all = ^uint64(0) >> (64 - k)
	}
	for d := range s.docs {
		l := float64(s.docs[d].Length)
		if s.cover[d] == t.all && k >= 2 {
			t.lenAll += l
		}
		for p, pr := range s.pairs {
			if set := uint64(1)<<pr[0] | uint64(1)<<pr[1]; s.cover[d]&set == set {
				t.lenPair[p] += l
			}
		}
	}

	// Each group's items end up in one array, allocated once: each range
	// appends into a part of it with room for every unit, gap (about one
	// more per coder and document) and whole-document gap its documents
	// can hold, and the merge moves the parts together, so that appending
	// copies nothing and the merge allocates nothing.
	room := make([][]int, len(ranges)) // per range and group
	total := make([]int, len(s.groups))
	for r, rg := range ranges {
		room[r] = make([]int, len(s.groups))
		for _, e := range s.entries[s.docStart[rg[0]]:s.docStart[rg[1]]] {
			room[r][e.group]++
		}
		docs := rg[1] - rg[0]
		for gi, n := range room[r] {
			room[r][gi] = 2*n + (k+1)*min(n, docs) + docs
			total[gi] += room[r][gi]
		}
	}
	items := make([]unitizedItems, len(s.groups))
	parts := make([][]unitizedItems, len(ranges)) // per range and group
	for r := range parts {
		parts[r] = make([]unitizedItems, len(s.groups))
	}
	for gi := range items {
		items[gi] = make(unitizedItems, 0, total[gi])
		at := 0
		for r := range ranges {
			parts[r][gi] = items[gi][at : at : at+room[r][gi]]
			at += room[r][gi]
		}
	}
	partial := make([][]unitizedGroup, len(ranges))
	parallel(len(ranges), func(r int) {
		partial[r] = t.tallyRange(s, ranges[r][0], ranges[r][1], parts[r])
	})

	// Each group merges and sorts on its own; the sort's buffers are
	// shared by the groups that run one after another.
	bufs := make(chan unitizedItems, runtime.GOMAXPROCS(0))
	for range cap(bufs) {
		bufs <- nil
	}
	t.each(len(t.groups), func(gi int) {
		g := &t.groups[gi]
		*g = partial[0][gi]
		g.items = items[gi][:len(g.items)]
		runs := 0
		for r := range partial {
			runs += len(partial[r][gi].runDocs)
		}
		g.runDocs = slices.Grow(g.runDocs, runs-len(g.runDocs))
		g.observedRun = slices.Grow(g.observedRun, runs-len(g.observedRun))
		for r := 1; r < len(partial); r++ {
			p := &partial[r][gi]
			g.items = append(g.items, p.items...) // moves them down within the array
			g.runDocs = append(g.runDocs, p.runDocs...)
			g.observedRun = append(g.observedRun, p.observedRun...)
			g.observedAll += p.observedAll
			for i := range g.observedPair {
				g.observedPair[i] += p.observedPair[i]
				g.unitsPair[i][0] += p.unitsPair[i][0]
				g.unitsPair[i][1] += p.unitsPair[i][1]
			}
			for i := range g.unitsAll {
				g.unitsAll[i] += p.unitsAll[i]
			}
			g.binary.units += p.binary.units
			g.binary.squares += p.binary.squares
			g.binary.mismatch += p.binary.mismatch
		}
		// Documents without codings of a group are a gap for each coder.
		next := 0
		for d := range s.docs {
			if next < len(g.runDocs) && int(g.runDocs[next]) == d {
				next++
				continue
			}
			if s.m(d) >= 2 {
				g.items = append(g.items, packItem(s.docs[d].Length, true, int32(d), -1))
			}
		}
		buf := <-bufs
		bufs <- g.items.sort(buf)
	})
	return t
}

// tallyRange tallies the documents [lo, hi) into groups of their own,
// appending each group's items to items, and writes the documents' own
// entries of t.
func (t *unitizedTallies) tallyRange(s *agreementScope, lo, hi int, items []unitizedItems) []unitizedGroup {
	k := s.k()
	groups := make([]unitizedGroup, len(s.groups))
	for gi := range groups {
		g := &groups[gi]
		g.index = gi
		g.observedPair = make([]float64, len(s.pairs))
		g.unitsAll = make([]int, k)
		g.unitsPair = make([][2]int, len(s.pairs))
		g.items = items[gi]
	}

	parts := make([][]segment, k)
	units := make([]int, k)
	var local, buf unitizedItems
	var keys []uint64
	var sorted []unitRecord
	run := func(d int, grp agreementGroup, es []agreementEntry) {
		cover := s.cover[d]
		if bits.OnesCount64(cover) < 2 {
			return
		}
		gi := es[0].group
		g := &groups[gi]
		length := s.docs[d].Length
		full := cover == t.all
		local = local[:0]
		for c := cover; c != 0; c &= c - 1 {
			i := bits.TrailingZeros64(c)
			parts[i] = partitionUnits(es, int32(i), length, parts[i][:0])
			units[i] = 0
			for _, seg := range parts[i] {
				it := packItem(seg.end-seg.start, seg.value == 0, int32(d), int32(i))
				g.items = append(g.items, it)
				local = append(local, it)
				if seg.value == 0 {
					continue
				}
				units[i]++
				if full {
					l := seg.length()
					g.binary.units += l
					g.binary.squares += l * l
				}
				if grp.stack >= 0 {
					t.docUnits[d] = append(t.docUnits[d], unitRecord{coder: int32(i), group: gi, start: seg.start, end: seg.end})
				}
			}
			if full {
				g.unitsAll[i] += units[i]
			}
		}
		// Observed disagreement over the pairs of coders taking part.
		observed := 0.0
		for p, pr := range s.pairs {
			if set := uint64(1)<<pr[0] | uint64(1)<<pr[1]; cover&set != set {
				continue
			}
			o, mismatch := observedDisagreement(parts[pr[0]], parts[pr[1]])
			g.observedPair[p] += o
			g.unitsPair[p][0] += units[pr[0]]
			g.unitsPair[p][1] += units[pr[1]]
			observed += o
			if full {
				g.binary.mismatch += mismatch
			}
		}
		g.runDocs = append(g.runDocs, int32(d))
		if full {
			g.observedAll += observed
			g.observedRun = append(g.observedRun, observed)
		} else {
			g.observedRun = append(g.observedRun, 0)
		}

		if grp.stack >= 0 {
			// The document's own figure, over the coders taking part.
			buf = local.sort(buf)
			u := local.components(cover, s.cover, unitizedSums{observed, float64(length)}, s.stack[grp.stack])
			if !u.c.Defined && !u.empty {
				t.docWhy[d] = u.c
			}
			t.docDO[d] += u.do
			t.docDE[d] += u.de
		}
	}
	for d := lo; d < hi; d++ {
		es := s.entries[s.docStart[d]:s.docStart[d+1]]
		t.docUnits[d] = make([]unitRecord, 0, len(es))
		for len(es) > 0 {
			n := 1
			for n < len(es) && es[n].group == es[0].group {
				n++
			}
			run(d, s.groups[es[0].group], es[:n])
			es = es[n:]
		}

		// Which coders' units of different codes overlap.
		us := t.docUnits[d]
		keys, sorted = sortUnits(us, keys, sorted)
		for i := 1; i < len(us); i++ {
			if us[i].coder == us[i-1].coder && us[i].start < us[i-1].end {
				t.overlap[d] |= 1 << us[i].coder
			}
		}
	}
	return groups
}

// each calls fn(i) for every i in [0, n): side by side when the project
// is big enough to split by documents, else one after another, so that a
// small project starts no goroutines. fn(i) must write only what is i's.
func (t *unitizedTallies) each(n int, fn func(i int)) {
	if len(t.ranges) > 1 {
		parallel(n, fn)
		return
	}
	for i := range n {
		fn(i)
	}
}

// sortUnits sorts a document's units by coder and start. It sorts packed
// keys, coder << 56 | start << 24 | index, which sort several times faster
// than the records with a comparison function (units of one coder and
// start keep their order); keys and sorted are scratch space.
func sortUnits(us []unitRecord, keys []uint64, sorted []unitRecord) ([]uint64, []unitRecord) {
	if len(us) >= 1<<24 || len(us) < 2 {
		slices.SortStableFunc(us, func(a, b unitRecord) int {
			if a.coder != b.coder {
				return cmp.Compare(a.coder, b.coder)
			}
			return cmp.Compare(a.start, b.start)
		})
		return keys, sorted
	}
	keys = keys[:0]
	for i, u := range us {
		// Offsets are below 2³¹ (agreementEntry holds them in int32).
		keys = append(keys, uint64(u.coder)<<56|uint64(u.start)<<24|uint64(i))
	}
	slices.Sort(keys)
	sorted = sorted[:0]
	for _, key := range keys {
		sorted = append(sorted, us[key&(1<<24-1)])
	}
	copy(us, sorted)
	return keys, sorted
}

// Ranges of documents: the unitized unit splits its work by documents,
// into at most maxDocumentRanges ranges of at least minRangeEntries
// entries. The split depends on the project only, never on the machine's
// cores, so that sums that are not whole numbers are added up in the same
// order everywhere; eight ranges keep up to eight cores busy, and below a
// few thousand codings a range costs less than starting goroutines saves.
const (
	maxDocumentRanges = 8
	minRangeEntries   = 2048
)

// documentRanges splits the documents into ranges [lo, hi) of about as
// many entries each.
func (s *agreementScope) documentRanges() [][2]int {
	n := min(maxDocumentRanges, len(s.entries)/minRangeEntries, len(s.docs))
	return s.documentRangesOf(max(n, 1))
}

// documentRangesOf splits the documents into at most n non-empty ranges of
// about as many entries each (one range if there are no documents).
func (s *agreementScope) documentRangesOf(n int) [][2]int {
	total := len(s.entries)
	var out [][2]int
	lo := 0
	for r := 1; r <= n && lo < len(s.docs); r++ {
		hi := len(s.docs)
		if r < n {
			// The first document at which r/n of the entries are done.
			hi, _ = slices.BinarySearch(s.docStart[:len(s.docs)], total*r/n)
			hi = max(hi, lo+1)
		}
		out = append(out, [2]int{lo, hi})
		lo = hi
	}
	if len(out) == 0 {
		out = append(out, [2]int{0, len(s.docs)})
	}
	return out
}

// partitionUnits returns coder's units in es (merged where they overlap)
// and the gaps between them, as a partition of [0, length).
func partitionUnits(es []agreementEntry, coder int32, length int, buf []segment) []segment {
	pos := 0
	open := false
	var cur segment
	flush := func() {
		if cur.start > pos {
			buf = append(buf, segment{pos, cur.start, 0})
		}
		buf = append(buf, cur)
		pos = cur.end
	}
	for _, e := range es {
		if e.coder != coder {
			continue
		}
		switch {
		case open && int(e.start) < cur.end:
			cur.end = max(cur.end, int(e.end))
		case open:
			flush()
			cur = segment{int(e.start), int(e.end), 1}
		default:
			cur, open = segment{int(e.start), int(e.end), 1}, true
		}
	}
	if open {
		flush()
	}
	if pos < length {
		buf = append(buf, segment{pos, length, 0})
	}
	return buf
}

// documentAlpha is the 1995 α of document d over its codes.
func (t *unitizedTallies) documentAlpha(s *agreementScope, d int) Coefficient {
	switch {
	case s.m(d) < 2:
		return undefined("needs at least two coders taking part in the document")
	case !t.docWhy[d].Defined && t.docWhy[d].Reason != "":
		return t.docWhy[d]
	case len(t.docUnits[d]) == 0:
		return undefined("nobody coded anything in this document")
	case t.docDE[d] == 0:
		return undefined("expected disagreement is zero")
	}
	return defined(1 - t.docDO[d]/t.docDE[d])
}

// figures starts a row's figures with the counts over the documents for
// which take holds and in which every coder in set takes part: the length
// compared and each coder's units of row, or with row −1 of every code as
// applied. A row's counts are kept for all coders and for pairs, over the
// documents all of them take part in, which take must then select.
func (t *unitizedTallies) figures(s *agreementScope, set uint64, take func(d int) bool, row int) Figures {
	return t.figuresIn(s, set, 0, len(s.docs), take, row)
}

// figuresIn is figures over the documents [lo, hi) only: a document's
// own figures need not walk every document.
func (t *unitizedTallies) figuresIn(s *agreementScope, set uint64, lo, hi int, take func(d int) bool, row int) Figures {
	f := Figures{Coefficients: map[string]Coefficient{}, Counts: Counts{CodedBy: map[string]int{}}}
	n := make([]int, s.k())
	if bits.OnesCount64(set) >= 2 {
		// A row's counts are kept over the documents all coders, or the
		// pair, take part in, and so is the length compared: the rows of
		// the codes and of the matrix need not walk the documents.
		switch {
		case row >= 0 && set == t.all:
			f.Counts.Compared = int(t.lenAll)
			copy(n, t.groups[row].unitsAll)
		case row >= 0:
			p := s.pair(bits.TrailingZeros64(set), 63-bits.LeadingZeros64(set))
			f.Counts.Compared = int(t.lenPair[p])
			n[s.pairs[p][0]], n[s.pairs[p][1]] = t.groups[row].unitsPair[p][0], t.groups[row].unitsPair[p][1]
		default:
			for d := lo; d < hi; d++ {
				if !take(d) || s.cover[d]&set != set {
					continue
				}
				f.Counts.Compared += s.docs[d].Length
				for _, u := range t.docUnits[d] {
					n[u.coder]++
				}
			}
		}
	}
	for x := set; x != 0; x &= x - 1 {
		i := bits.TrailingZeros64(x)
		f.Counts.CodedBy[s.coders[i]] = n[i]
	}
	return f
}

// add2016 adds the 2016 family over the codes as applied.
func add2016(cs map[string]Coefficient, u *uCoincidences, why Coefficient) {
	if u == nil {
		for _, m := range []string{MetricUAlpha2016, MetricBinaryUAlpha2016, MetricCUAlpha2016} {
			cs[m] = why
		}
		return
	}
	cs[MetricUAlpha2016] = u.uAlpha()
	cs[MetricBinaryUAlpha2016] = u.binaryUAlpha()
	cs[MetricCUAlpha2016] = u.cuAlpha()
}

// kuAlpha is row's (k)uα among the codes as applied.
func (s *agreementScope) kuAlpha(row int, u *uCoincidences, why Coefficient) Coefficient {
	if s.rollup[row] {
		return undefined("(k)uα compares codes as they were applied, not a code together with its descendants")
	}
	if u == nil {
		return why
	}
	return u.kuAlpha(s.rows[row].ID)
}
