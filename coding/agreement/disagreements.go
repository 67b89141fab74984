package agreement

import "github.com/concordqda/concord/coding"

// Disagreement is a stretch of a document where two coders differ about a
// code: Coder coded it and the other coder did not — or, for the segments
// unit, did not code anything that matches it. Codings are the ids of
// Coder's codings there.
type Disagreement struct {
	Document string   `json:"document"`
	Start    int      `json:"start"`
	End      int      `json:"end"`
	Coder    string   `json:"coder"`
	Codings  []string `json:"codings"`
}

// Disagreements lists where coders a and b differ about opt.Code (with its
// descendants), in the documents both take part in, as opt.Unit sees it:
// characters and unitized give the maximal stretches one coded and the
// other did not; segments the codings the other coder has no match for;
// presence, in documents where only one applied the code, that coder's
// stretches. The list is in document order, then by position.
func Disagreements(in Input, opt Options, a, b string) ([]Disagreement, error) {
	if opt.Code == "" {
		return nil, coding.Errorf(coding.EINVALID, "choose the code whose disagreements to list")
	}
	if a == "" || b == "" || a == b {
		return nil, coding.Errorf(coding.EINVALID, "choose two different coders to compare")
	}
	opt.Coders = []string{a, b}
	opt.Bootstrap = 0
	s, err := newAgreementScope(in, &opt)
	if err != nil {
		return nil, err
	}
	row := -1
	for i, c := range s.rows {
		if c.ID == opt.Code {
			row = i
		}
	}
	out := []Disagreement{}
	if row < 0 {
		return out, nil
	}
	var w sweeper
	var matched []uint64
	var active []int
	s.runs(func(d int, g agreementGroup, es []agreementEntry) {
		if g.row != row || s.m(d) < 2 {
			return
		}
		doc := s.docs[d].ID
		add := func(coder int32, from, to int) {
			var ids []string
			for _, e := range es {
				if e.coder == coder && int(e.start) < to && from < int(e.end) {
					ids = append(ids, s.in.Codings[e.coding].ID)
				}
			}
			if n := len(out) - 1; n >= 0 && out[n].Document == doc && out[n].Coder == s.coders[coder] && out[n].End == from {
				out[n].End = to
				out[n].Codings = appendNew(out[n].Codings, ids)
				return
			}
			out = append(out, Disagreement{Document: doc, Start: from, End: to, Coder: s.coders[coder], Codings: ids})
		}
		switch s.opt.Unit {
		case UnitSegments:
			matched = matchSegments(es, s.opt.Overlap, matched, &active)
			for x, e := range es {
				if matched[x]&(1<<(1-e.coder)) == 0 {
					out = append(out, Disagreement{Document: doc, Start: int(e.start), End: int(e.end), Coder: s.coders[e.coder], Codings: []string{s.in.Codings[e.coding].ID}})
				}
			}
		case UnitPresence:
			var coders uint64
			for _, e := range es {
				coders |= 1 << e.coder
			}
			if coders == 3 {
				return
			}
			w.sweep(es, func(from, to int, _ uint64) { add(es[0].coder, from, to) })
		default:
			w.sweep(es, func(from, to int, coders uint64) {
				if coders != 3 {
					add(int32(coders>>1), from, to)
				}
			})
		}
	})
	return out, nil
}

// appendNew appends the ids of more that list does not hold yet.
func appendNew(list, more []string) []string {
	for _, id := range more {
		if !contains(list, id) {
			list = append(list, id)
		}
	}
	return list
}
