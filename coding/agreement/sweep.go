package agreement

import (
	"cmp"
	"slices"

	"github.com/concordqda/concord/coding"
)

// sweeper finds, in the spans of one code in one document, the stretches
// that each set of coders covers, by sweeping over the spans' boundaries:
// its cost grows with the number of spans, never with the length of the
// text. It keeps its buffers between calls.
type sweeper struct {
	ends []agreementEntry
	open [coding.MaxAgreementCoders]int32
}

// sweep calls fn for every stretch [from, to) covered by at least one
// coder, with the covering coders as bits. es must be sorted by start. A
// coder's overlapping spans count once; stretches next to each other may
// have the same coders.
func (w *sweeper) sweep(es []agreementEntry, fn func(from, to int, coders uint64)) {
	w.ends = append(w.ends[:0], es...)
	slices.SortFunc(w.ends, func(a, b agreementEntry) int { return cmp.Compare(a.end, b.end) })
	var mask uint64
	i, j := 0, 0
	var pos int32
	for j < len(w.ends) {
		next := w.ends[j].end
		if i < len(es) && es[i].start < next {
			next = es[i].start
		}
		if mask != 0 && next > pos {
			fn(int(pos), int(next), mask)
		}
		pos = next
		for j < len(w.ends) && w.ends[j].end == pos {
			c := w.ends[j].coder
			if w.open[c]--; w.open[c] == 0 {
				mask &^= 1 << c
			}
			j++
		}
		for i < len(es) && es[i].start == pos {
			c := es[i].coder
			w.open[c]++
			mask |= 1 << c
			i++
		}
	}
}
