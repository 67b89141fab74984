package coding

import "sort"

// Meeting keeps the codings that meet at least one of partners: share a
// character with it or, with gap > 0, come within gap characters of it —
// the rule CooccurrenceWithin counts pairs by. A coding never meets a
// partner of its own code, as a co-occurrence count never pairs a code
// with itself. Both lists may be long: partners are sorted once per
// document (and per code left out), so the cost grows with n log m, not
// with n × m.
func Meeting(codings, partners []Coding, gap int) []Coding {
	if gap < 0 {
		gap = 0
	}
	byDoc := map[string][]*Coding{}
	for i := range partners {
		p := &partners[i]
		byDoc[p.DocumentID] = append(byDoc[p.DocumentID], p)
	}
	type key struct{ doc, code string }
	reaches := map[key]*reach{}
	out := []Coding{}
	for _, c := range codings {
		k := key{c.DocumentID, c.CodeID}
		r := reaches[k]
		if r == nil {
			r = newReach(byDoc[c.DocumentID], c.CodeID)
			reaches[k] = r
		}
		if r.meets(c.Start-gap, c.End+gap) {
			out = append(out, c)
		}
	}
	return out
}

// reach answers "does any span meet [from, to)?" for a fixed set of spans:
// their starts in order, and for each prefix the furthest end.
type reach struct{ starts, far []int }

// newReach indexes the spans of ps whose code is not except.
func newReach(ps []*Coding, except string) *reach {
	var spans [][2]int
	for _, p := range ps {
		if p.CodeID != except {
			spans = append(spans, [2]int{p.Start, p.End})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
	r := &reach{}
	far := 0
	for _, s := range spans {
		far = max(far, s[1])
		r.starts = append(r.starts, s[0])
		r.far = append(r.far, far)
	}
	return r
}

// meets reports whether a span starting before to ends after from.
func (r *reach) meets(from, to int) bool {
	k := sort.SearchInts(r.starts, to)
	return k > 0 && r.far[k-1] > from
}
