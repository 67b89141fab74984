package agreement

import (
	"fmt"
	"math/bits"
	"math/rand"
	"slices"
	"testing"

	"github.com/concordqda/concord/coding"
)

// randomUnits is a project whose coders mostly keep their units of
// different codes apart (as the 2016 coefficients need), sometimes
// repeat a code over an overlapping span (merged into one unit), and
// sometimes overlap two codes (which leaves the figures undefined). A
// coder takes part in a document when marked done there, coded or not.
func randomUnits(rng *rand.Rand, coders, docs int) Input {
	in := Input{Codebook: coding.NewCodebook([]coding.Code{
		{ID: "p", Name: "p", Codable: true},
		{ID: "x", Name: "x", ParentID: "p", Codable: true},
		{ID: "y", Name: "y", ParentID: "p", Codable: true},
		{ID: "z", Name: "z", Codable: true, Order: 1},
	})}
	codes := []string{"p", "x", "y", "z"}
	n := 0
	add := func(d coding.Document, coder string, code string, start, end int) {
		n++
		in.Codings = append(in.Codings, coding.Coding{ID: fmt.Sprintf("c%d", n), DocumentID: d.ID, CodeID: code, CoderID: coder, Start: start, End: end})
	}
	for i := 0; i < docs; i++ {
		d := coding.Document{ID: fmt.Sprintf("d%d", i), Title: fmt.Sprintf("Doc %d", i), Length: 5 + rng.Intn(60)}
		in.Documents = append(in.Documents, d)
		for j := 0; j < coders; j++ {
			coder := fmt.Sprintf("coder%d", j)
			if rng.Intn(5) == 0 {
				continue // not taking part
			}
			in.Assignments = append(in.Assignments, coding.Assignment{Document: d.ID, Coder: coder, Done: true})
			cuts := make([]int, 2*rng.Intn(4))
			for c := range cuts {
				cuts[c] = rng.Intn(d.Length + 1)
			}
			slices.Sort(cuts)
			for c := 0; c < len(cuts); c += 2 {
				if cuts[c] == cuts[c+1] {
					continue
				}
				code := codes[rng.Intn(len(codes))]
				add(d, coder, code, cuts[c], cuts[c+1])
				if rng.Intn(6) == 0 && cuts[c+1]-cuts[c] > 1 {
					add(d, coder, code, cuts[c]+1, cuts[c+1]) // merged into the unit
				}
			}
			if rng.Intn(12) == 0 {
				add(d, coder, codes[rng.Intn(len(codes))], 0, d.Length) // may overlap another code
			}
		}
	}
	return in
}

// joinedUnits lays the documents end to end as one continuum of the
// coders' units of each code as applied, merged where a coder's units of
// one code overlap.
func joinedUnits(in Input, coders []string, docs []int) Continuum {
	c := Continuum{Coders: coders}
	for _, d := range docs {
		doc := in.Documents[d]
		for _, coder := range coders {
			var spans []Span
			for _, x := range in.Codings {
				if x.DocumentID == doc.ID && x.CoderID == coder {
					spans = append(spans, Span{Coder: coder, Category: x.CodeID, Start: c.Length + x.Start, End: c.Length + x.End})
				}
			}
			slices.SortFunc(spans, func(a, b Span) int {
				if a.Category != b.Category {
					if a.Category < b.Category {
						return -1
					}
					return 1
				}
				return a.Start - b.Start
			})
			for _, s := range spans {
				if n := len(c.Spans) - 1; n >= 0 && c.Spans[n].Coder == coder && c.Spans[n].Category == s.Category && s.Start < c.Spans[n].End {
					c.Spans[n].End = max(c.Spans[n].End, s.End)
					continue
				}
				c.Spans = append(c.Spans, s)
			}
		}
		c.Length += doc.Length
	}
	return c
}

// The 2016 figures, which the report adds up document by document, equal
// those of the documents laid end to end as one continuum: overall, per
// document and per pair of coders, and (k)uα per code.
func TestUnitized2016SumsMatchTheJoinedContinuum(t *testing.T) {
	rng := rand.New(rand.NewSource(2016))
	defined := 0
	for i := 0; i < 400; i++ {
		k := 2 + rng.Intn(3)
		in := randomUnits(rng, k, 1+rng.Intn(5))
		r := mustAgree(t, in, Options{Unit: UnitUnitized, Bootstrap: 0})
		opt := Options{Unit: UnitUnitized}
		s, err := newAgreementScope(in, &opt)
		if err != nil {
			t.Fatal(err)
		}
		names := func(set uint64) []string {
			var out []string
			for x := set; x != 0; x &= x - 1 {
				out = append(out, s.coders[bits.TrailingZeros64(x)])
			}
			return out
		}
		docsWith := func(set uint64) []int {
			var out []int
			for d := range s.docs {
				if s.cover[d]&set == set {
					out = append(out, d)
				}
			}
			return out
		}
		check := func(what string, got Figures, c Continuum, rows []CodeAgreement, cells func(ri int) Figures) {
			t.Helper()
			for _, m := range []struct {
				name string
				want Coefficient
			}{{MetricUAlpha2016, UAlpha2016(c)}, {MetricBinaryUAlpha2016, BinaryUAlpha2016(c)}, {MetricCUAlpha2016, CUAlpha2016(c)}} {
				if g := got.Coefficients[m.name]; !sameCoefficient(g, m.want) {
					t.Fatalf("project %d, %s: %s = %v, on the joined continuum %v\n%+v", i, what, m.name, g, m.want, c)
				}
				if g := got.Coefficients[m.name]; g.Defined {
					defined++
				}
			}
			for ri, row := range rows {
				if row.Rollup {
					continue
				}
				if g, want := cells(ri).Coefficients[MetricKUAlpha2016], KUAlpha2016(c, row.Code); !sameCoefficient(g, want) {
					t.Fatalf("project %d, %s, code %s: (k)uα = %v, on the joined continuum %v\n%+v", i, what, row.Code, g, want, c)
				}
			}
		}
		all := uint64(1)<<len(s.coders) - 1
		check("overall", r.Overall, joinedUnits(in, names(all), docsWith(all)), r.Codes, func(ri int) Figures { return r.Codes[ri].Figures })
		for d, row := range r.Documents {
			check("document "+row.Title, row.Figures, joinedUnits(in, names(s.cover[d]), []int{d}), nil, nil)
		}
		// Matrix rows are in codebook order, as s.rows.
		rowsInOrder := make([]CodeAgreement, len(s.rows))
		for ri, code := range s.rows {
			rowsInOrder[ri] = CodeAgreement{Code: code.ID, Rollup: s.rollup[ri]}
		}
		for p, pr := range s.pairs {
			set := uint64(1)<<pr[0] | uint64(1)<<pr[1]
			check(fmt.Sprintf("pair %v", names(set)), r.Pairs[p].Figures, joinedUnits(in, names(set), docsWith(set)), rowsInOrder,
				func(ri int) Figures { return r.Matrix.Cells[ri][p] })
		}
	}
	if defined < 1000 {
		t.Fatalf("only %d defined figures were compared: the generator makes too few comparable projects", defined)
	}
}
