package agreement

import (
	"math/bits"
	"slices"
)

// The 2016 coincidences of a project are wanted over three kinds of
// document set: all documents every coder takes part in, each document
// alone, and for each pair the documents both take part in. Their
// statistics add up document by document: every unit lies inside one
// document, and the gaps that laying documents end to end would join only
// add their lengths (S_c counts a gap by its length, not its square). So
// one walk over each pair of coders in each document serves every set,
// where building a continuum per set walked each pair about three times
// and sorted every unit twelve times.

// uSums are the sufficient statistics of the 2016 coincidences over some
// documents, for values 0 (the gap) to K−1.
type uSums struct {
	k                        int
	o                        []float64 // k×k observed coincidences
	margin, self, valuedSelf []float64
	length                   int // characters compared
}

func newUSums(k int) *uSums {
	return &uSums{k: k, o: make([]float64, k*k), margin: make([]float64, k), self: make([]float64, k), valuedSelf: make([]float64, k)}
}

// reset empties the sums for k values, keeping their memory.
func (u *uSums) reset(k int) {
	grow := func(s []float64, n int) []float64 {
		if cap(s) < n {
			return make([]float64, n)
		}
		s = s[:n]
		clear(s)
		return s
	}
	u.k = k
	u.o = grow(u.o, k*k)
	u.margin = grow(u.margin, k)
	u.self = grow(u.self, k)
	u.valuedSelf = grow(u.valuedSelf, k)
	u.length = 0
}

// addSame adds v, which holds the same values as u.
func (u *uSums) addSame(v *uSums) {
	for i := range u.o {
		u.o[i] += v.o[i]
	}
	for i := range u.margin {
		u.margin[i] += v.margin[i]
		u.self[i] += v.self[i]
		u.valuedSelf[i] += v.valuedSelf[i]
	}
	u.length += v.length
}

// flat returns the place of sums with K values by their index in the
// order o, margin, self, valuedSelf.
func (u *uSums) flat() func(i int) *float64 {
	k := u.k
	return func(i int) *float64 {
		switch {
		case i < k*k:
			return &u.o[i]
		case i < k*k+k:
			return &u.margin[i-k*k]
		case i < k*k+2*k:
			return &u.self[i-k*k-k]
		}
		return &u.valuedSelf[i-k*k-2*k]
	}
}

// additions appends to out what u adds to sums of K values, by place in
// flat, where u's value i is their value global[i]; zeros, which change
// no sum, are left out, and so is the length.
func (u *uSums) additions(global []int, K int, out *uAdditions) {
	for i, g := range global {
		for j, h := range global {
			if v := u.o[i*u.k+j]; v != 0 {
				out.add(g*K+h, v)
			}
		}
		for x, v := range [3]float64{u.margin[i], u.self[i], u.valuedSelf[i]} {
			if v != 0 {
				out.add(K*K+x*K+g, v)
			}
		}
	}
}

// uAdditions are additions to sums, in order, kept in chunks so that a
// long list grows without copying what it holds.
type uAdditions [][]uAddition

type uAddition struct {
	at int32
	v  float64
}

func (a *uAdditions) add(at int, v float64) {
	n := len(*a)
	if n == 0 || len((*a)[n-1]) == cap((*a)[n-1]) {
		*a = append(*a, make([]uAddition, 0, 4096))
		n++
	}
	(*a)[n-1] = append((*a)[n-1], uAddition{int32(at), v})
}

// segment adds a coder's unit or gap to the margins.
func (u *uSums) segment(s segment) {
	l := s.length()
	u.margin[s.value] += l
	if s.value == 0 {
		u.self[0] += l
	} else {
		u.self[s.value] += l * l
	}
}

// coincidences turns the sums into what the coefficients read.
func (u *uSums) coincidences(categories []string) *uCoincidences {
	own := uSums{k: u.k, o: slices.Clone(u.o), margin: slices.Clone(u.margin), self: slices.Clone(u.self), valuedSelf: slices.Clone(u.valuedSelf)}
	return own.view(categories)
}

// view is coincidences reading u's memory, for coefficients computed
// before u changes: a document's sums are reused for the next document,
// and copying each document's table cost more than reading it.
func (u *uSums) view(categories []string) *uCoincidences {
	c := &uCoincidences{
		categories:   categories,
		o:            make([][]float64, u.k),
		margin:       u.margin,
		self:         u.self,
		valuedMargin: make([]float64, u.k),
		valuedSelf:   u.valuedSelf,
	}
	for k := range c.o {
		c.o[k] = u.o[k*u.k : (k+1)*u.k]
	}
	for k := 0; k < u.k; k++ {
		c.total += c.margin[k]
		c.selfTotal += c.self[k]
		c.valuedSelfT += c.valuedSelf[k]
		for v := 1; v < u.k && k > 0; v++ {
			c.valuedMargin[k] += c.o[k][v]
		}
		c.valuedTotal += c.valuedMargin[k]
	}
	return c
}

// unitized2016 holds the 2016 coincidences of the project's sets; a nil
// coincidence comes with the reason it is undefined.
type unitized2016 struct {
	all     *uCoincidences
	allWhy  Coefficient
	pair    []*uCoincidences
	pairWhy []Coefficient
	doc     []map[string]Coefficient // the three coefficients per document
}

// coincidences2016 computes the 2016 coincidences among the codes as
// applied over every set the report shows, for the coders of each set —
// unless a coder's units of different codes overlap in a document of it.
// The tallies' ranges of documents are computed side by side (each writes
// its documents' own coefficients) and merged in document order.
func (t *unitizedTallies) coincidences2016(s *agreementScope) *unitized2016 {
	// Values are the codes as applied in the order of their ids, as a
	// continuum's categories are.
	categories := slices.Clone(s.stack)
	slices.Sort(categories)
	valueOf := make([]int, len(s.stack))
	for i, id := range s.stack {
		valueOf[i], _ = slices.BinarySearch(categories, id)
		valueOf[i]++
	}
	K := len(categories) + 1
	res := &unitized2016{pair: make([]*uCoincidences, len(s.pairs)), pairWhy: make([]Coefficient, len(s.pairs)), doc: make([]map[string]Coefficient, len(s.docs))}
	ranges := make([]*range2016, len(t.ranges))
	parallel(len(ranges), func(r int) {
		ranges[r] = t.coincidencesRange(s, res, t.ranges[r][0], t.ranges[r][1], categories, valueOf)
	})

	// The first reason in document order is the one shown. The pairs'
	// sums are whole numbers (lengths, their squares and squared shared
	// lengths), which add exactly in any order; the sums over all coders
	// are weighted by 1/(k−1) and are added document by document in the
	// order a single pass would add them, so that no figure changes in its
	// last bit with the split.
	all, pairs := newUSums(K), ranges[0].pairs
	flat := all.flat()
	for _, rs := range ranges {
		if res.allWhy.Reason == "" {
			res.allWhy = rs.allWhy
		}
		for p := range s.pairs {
			if res.pairWhy[p].Reason == "" {
				res.pairWhy[p] = rs.pairWhy[p]
			}
			if rs != ranges[0] {
				pairs[p].addSame(rs.pairs[p])
			}
		}
		for _, chunk := range rs.all {
			for _, a := range chunk {
				*flat(int(a.at)) += a.v
			}
		}
		all.length += rs.allLength
	}
	none := undefined("no document has every compared coder taking part")
	switch {
	case res.allWhy.Reason != "":
	case all.length == 0:
		res.allWhy = none
	default:
		res.all = all.coincidences(categories)
	}
	for p := range s.pairs {
		switch {
		case res.pairWhy[p].Reason != "":
		case pairs[p].length == 0:
			res.pairWhy[p] = none
		default:
			res.pair[p] = pairs[p].coincidences(categories)
		}
	}
	return res
}

// range2016 is what a range of documents adds to the 2016 coincidences.
type range2016 struct {
	allWhy  Coefficient // the first reason, in document order
	pairWhy []Coefficient
	pairs   []*uSums
	// all holds what each document adds to the sums over all coders, in
	// document order, by place in uSums.flat; zeros, which change no sum,
	// are left out.
	all       uAdditions
	allLength int
}

// coincidencesRange computes the documents [lo, hi): their own
// coefficients into res.doc, and what they add to the sets of documents.
func (t *unitizedTallies) coincidencesRange(s *agreementScope, res *unitized2016, lo, hi int, categories []string, valueOf []int) *range2016 {
	k := s.k()
	K := len(categories) + 1
	out := &range2016{pairWhy: make([]Coefficient, len(s.pairs)), pairs: make([]*uSums, len(s.pairs))}
	doc := &uSums{}
	// A document's own sums hold only the values used in it (its
	// categories, as a continuum of it would have), so that its many
	// small tables cost what the document holds, not the codebook's size
	// squared. local maps a value to the document's, global back.
	local := make([]int, K)
	var global []int
	var docCategories []string
	clearLocal := func() {
		for _, g := range global {
			local[g] = 0
		}
	}
	pairs := out.pairs
	for p := range pairs {
		pairs[p] = newUSums(K)
	}
	overlapping := func(d int, bad uint64) Coefficient {
		return undefined("%s has overlapping units of different codes in %q, which these coefficients do not allow; see the figures per code",
			s.names[bits.TrailingZeros64(bad)], clip(s.docs[d].Title))
	}
	none := undefined("no document has every compared coder taking part")

	parts := make([][]segment, k)
	pairable := make([][]float64, k) // per coder and segment, the part other coders' units cover
	var pa, pb []float64
	for d := lo; d < hi; d++ {
		cover := s.cover[d]
		m := bits.OnesCount64(cover)
		if m < 2 {
			res.doc[d] = why2016(none)
			continue
		}
		full := k >= 2 && cover == t.all
		bad := t.overlap[d] & cover
		if bad != 0 {
			why := overlapping(d, bad)
			res.doc[d] = why2016(why)
			if full && out.allWhy.Reason == "" {
				out.allWhy = why
			}
		}
		for p, pr := range s.pairs {
			set := uint64(1)<<pr[0] | uint64(1)<<pr[1]
			if cover&set == set && t.overlap[d]&set != 0 && out.pairWhy[p].Reason == "" {
				out.pairWhy[p] = overlapping(d, t.overlap[d]&set)
			}
		}

		// Each coder's partition of the document into units and gaps.
		units := t.docUnits[d] // by coder, then start
		for c := cover &^ t.overlap[d]; c != 0; c &= c - 1 {
			i := bits.TrailingZeros64(c)
			parts[i] = parts[i][:0]
		}
		length := s.docs[d].Length
		pos, coder := 0, int32(-1)
		closeGap := func() {
			if coder >= 0 && pos < length {
				parts[coder] = append(parts[coder], segment{pos, length, 0})
			}
		}
		for _, u := range units {
			if t.overlap[d]&(1<<u.coder) != 0 {
				continue
			}
			if u.coder != coder {
				closeGap()
				coder, pos = u.coder, 0
			}
			if u.start > pos {
				parts[coder] = append(parts[coder], segment{pos, u.start, 0})
			}
			parts[coder] = append(parts[coder], segment{u.start, u.end, valueOf[s.groups[u.group].stack]})
			pos = u.end
		}
		closeGap()
		for c := cover &^ t.overlap[d]; c != 0; c &= c - 1 {
			i := bits.TrailingZeros64(c)
			if len(parts[i]) == 0 {
				parts[i] = append(parts[i], segment{0, length, 0})
			}
			pairable[i] = append(pairable[i][:0], make([]float64, len(parts[i]))...)
		}

		global = append(global[:0], 0)
		for c := cover &^ t.overlap[d]; c != 0; c &= c - 1 {
			for _, seg := range parts[bits.TrailingZeros64(c)] {
				if seg.value > 0 && local[seg.value] == 0 {
					local[seg.value] = 1
					global = append(global, seg.value)
				}
			}
		}
		slices.Sort(global)
		docCategories = docCategories[:0]
		for i, g := range global {
			local[g] = i
			if g > 0 {
				docCategories = append(docCategories, categories[g-1])
			}
		}
		dk := len(global)
		doc.reset(dk)
		doc.length = length
		for p, pr := range s.pairs {
			i, j := pr[0], pr[1]
			set := uint64(1)<<i | uint64(1)<<j
			if cover&set != set || t.overlap[d]&set != 0 {
				continue
			}
			ps := pairs[p]
			ps.length += length
			pa = append(pa[:0], make([]float64, len(parts[i]))...)
			pb = append(pb[:0], make([]float64, len(parts[j]))...)
			overlaps(parts[i], parts[j], func(a, b int, shared float64) {
				g, h := parts[i][a].value, parts[j][b].value
				ps.o[g*K+h] += shared
				ps.o[h*K+g] += shared
				lg, lh := local[g], local[h]
				doc.o[lg*dk+lh] += shared
				doc.o[lh*dk+lg] += shared
				if g > 0 && h > 0 {
					pa[a] += shared
					pb[b] += shared
				}
			})
			for a, seg := range parts[i] {
				ps.segment(seg)
				ps.valuedSelf[seg.value] += pa[a] * pa[a]
				pairable[i][a] += pa[a]
			}
			for b, seg := range parts[j] {
				ps.segment(seg)
				ps.valuedSelf[seg.value] += pb[b] * pb[b]
				pairable[j][b] += pb[b]
			}
		}
		if bad != 0 {
			clearLocal()
			continue
		}
		// The document's own sums, over the m coders taking part: each
		// coincidence and pairable part is weighted by 1/(m−1).
		w := 1 / float64(m-1)
		for i := range doc.o {
			doc.o[i] *= w
		}
		for c := cover; c != 0; c &= c - 1 {
			i := bits.TrailingZeros64(c)
			for a, seg := range parts[i] {
				v := local[seg.value]
				doc.segment(segment{seg.start, seg.end, v})
				if v > 0 {
					p := pairable[i][a] * w
					doc.valuedSelf[v] += p * p
				}
			}
		}
		res.doc[d] = map[string]Coefficient{}
		add2016(res.doc[d], doc.view(docCategories), Coefficient{})
		if full {
			doc.additions(global, K, &out.all)
			out.allLength += doc.length
		}
		clearLocal()
	}

	return out
}

// why2016 gives the three coefficients of a document the same reason.
func why2016(why Coefficient) map[string]Coefficient {
	cs := map[string]Coefficient{}
	add2016(cs, nil, why)
	return cs
}
