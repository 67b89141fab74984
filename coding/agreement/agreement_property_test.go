package agreement

import (
	"fmt"
	"math"
	"math/rand"
	"slices"
	"testing"

	"github.com/concordqda/concord/coding"
)

// randomProject returns a small project: a category "p" with children
// "x" and "y", a code "z", documents of up to 40 characters and codings
// that overlap freely. With skip, coders leave some documents alone.
func randomProject(rng *rand.Rand, coders, docs, codings int, skip bool) Input {
	in := Input{Codebook: coding.NewCodebook([]coding.Code{
		{ID: "p", Name: "p", Codable: rng.Intn(2) == 0},
		{ID: "x", Name: "x", ParentID: "p", Codable: true},
		{ID: "y", Name: "y", ParentID: "p", Codable: true},
		{ID: "z", Name: "z", Codable: true, Order: 1},
	})}
	for d := 0; d < docs; d++ {
		in.Documents = append(in.Documents, coding.Document{ID: fmt.Sprintf("d%d", d), Title: fmt.Sprintf("Doc %d", d), Length: 1 + rng.Intn(40)})
	}
	codes := []string{"x", "y", "z"}
	if p, _ := in.Codebook.Code("p"); p.Codable {
		codes = append(codes, "p")
	}
	for i := 0; i < codings; i++ {
		d := in.Documents[rng.Intn(docs)]
		coder := rng.Intn(coders)
		if skip && (d.Length+coder)%3 == 0 {
			continue
		}
		start := rng.Intn(d.Length)
		in.Codings = append(in.Codings, coding.Coding{
			ID: fmt.Sprintf("c%d", i), DocumentID: d.ID, CodeID: codes[rng.Intn(len(codes))],
			CoderID: fmt.Sprintf("coder%d", coder), Start: start, End: start + 1 + rng.Intn(d.Length-start),
		})
	}
	in.Assignments = doneWhereCoded(in)
	return in
}

// doneWhereCoded marks every document done by every coder who coded in
// it, so that a coder who left a document alone is missing there: the
// brute-force tables below take part where a coder coded.
func doneWhereCoded(in Input) []coding.Assignment {
	seen := map[[2]string]bool{}
	var out []coding.Assignment
	for _, c := range in.Codings {
		if k := [2]string{c.DocumentID, c.CoderID}; !seen[k] {
			seen[k] = true
			out = append(out, coding.Assignment{Document: c.DocumentID, Coder: c.CoderID, Done: true})
		}
	}
	return out
}

// bruteTable is the units × coders table of a code (with descendants),
// built the slow way: one row per character (or per document), "1" where
// the coder's codings cover it, "0" where the coder took part in the
// document but did not, "" where the coder did not take part.
func bruteTable(in Input, coders []string, codes map[string]bool, presence, codedOnly bool) Ratings {
	r := Ratings{Coders: coders}
	for _, d := range in.Documents {
		taking := map[string]bool{}
		for _, c := range in.Codings {
			if c.DocumentID == d.ID {
				taking[c.CoderID] = true
			}
		}
		n := d.Length
		if presence {
			n = 1
		}
		for pos := 0; pos < n; pos++ {
			u := make([]string, len(coders))
			any := false
			for j, coder := range coders {
				if !taking[coder] {
					continue
				}
				u[j] = "0"
				for _, c := range in.Codings {
					if c.DocumentID == d.ID && c.CoderID == coder && codes[c.CodeID] && (presence || (c.Start <= pos && pos < c.End)) {
						u[j] = "1"
						any = true
					}
				}
			}
			if !codedOnly || any {
				r.Units = append(r.Units, u)
			}
		}
	}
	return r
}

func sameCoefficient(a, b Coefficient) bool {
	if a.Defined != b.Defined {
		return false
	}
	return !a.Defined || math.Abs(a.Value-b.Value) <= 1e-9
}

func subtree(cb *coding.Codebook, id string) map[string]bool {
	m := map[string]bool{id: true}
	for _, d := range cb.Descendants(id) {
		m[d] = true
	}
	return m
}

// The sweep line gives the same tables as looking at every character.
func TestCharacterAgreementMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for i := 0; i < 300; i++ {
		coders := 2 + rng.Intn(3)
		in := randomProject(rng, coders, 1+rng.Intn(4), rng.Intn(25), rng.Intn(2) == 0)
		for _, unit := range []Unit{UnitCharacters, UnitPresence} {
			r := mustAgree(t, in, Options{Unit: unit})
			ids := r.Options.Coders
			for ri, row := range r.Codes {
				table := bruteTable(in, ids, subtree(in.Codebook, row.Code), unit == UnitPresence, false)
				for name, want := range map[string]Coefficient{
					MetricPercentAgreement:  PercentAgreement(table),
					MetricFleissKappa:       FleissKappa(table),
					MetricKrippendorffAlpha: KrippendorffAlpha(table, LevelNominal),
					MetricCohenKappa:        CohenKappa(table),
				} {
					if got := row.Coefficients[name]; !sameCoefficient(got, want) && (name != MetricCohenKappa || len(ids) == 2) {
						t.Fatalf("%s, code %s: %s = %v, per character %v\n%+v", unit, row.Code, name, got, want, in)
					}
				}
				_ = ri
			}
			// Every code × pair cell against the two coders' own table.
			for ci, code := range r.Matrix.Codes {
				for p, pair := range r.Matrix.Pairs {
					table := bruteTable(in, pair[:], subtree(in.Codebook, code), unit == UnitPresence, false)
					got := r.Matrix.Cells[ci][p].Coefficients[MetricCohenKappa]
					if want := CohenKappa(table); !sameCoefficient(got, want) {
						t.Fatalf("%s, code %s, coders %v: κ = %v, per character %v\n%+v", unit, code, pair, got, want, in)
					}
					// The cell's α is the pair's own α on the code, what
					// the dashboard colours the cell by.
					got = r.Matrix.Cells[ci][p].Coefficients[r.PairMetric]
					if want := KrippendorffAlpha(table, LevelNominal); r.PairMetric != MetricKrippendorffAlpha || !sameCoefficient(got, want) {
						t.Fatalf("%s, code %s, coders %v: %s = %v, per character α %v\n%+v", unit, code, pair, r.PairMetric, got, want, in)
					}
				}
			}
			// Overall: the codes as applied, stacked.
			var stacked Ratings
			stacked.Coders = ids
			for _, code := range r.Matrix.Codes {
				if !slices.ContainsFunc(in.Codings, func(c coding.Coding) bool { return c.CodeID == code && slices.Contains(ids, c.CoderID) }) {
					continue
				}
				stacked.Units = append(stacked.Units, bruteTable(in, ids, map[string]bool{code: true}, unit == UnitPresence, false).Units...)
			}
			if got, want := r.Overall.Coefficients[MetricKrippendorffAlpha], KrippendorffAlpha(stacked, LevelNominal); !sameCoefficient(got, want) {
				t.Fatalf("%s overall α = %v, per character %v\n%+v", unit, got, want, in)
			}
		}
	}
}

func TestCodedOnlyMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(12))
	for i := 0; i < 200; i++ {
		in := randomProject(rng, 2+rng.Intn(3), 1+rng.Intn(4), rng.Intn(25), true)
		r := mustAgree(t, in, Options{CodedOnly: true})
		for _, row := range r.Codes {
			table := bruteTable(in, r.Options.Coders, subtree(in.Codebook, row.Code), false, true)
			if got, want := row.Coefficients[MetricPercentAgreement], PercentAgreement(table); !sameCoefficient(got, want) {
				t.Fatalf("code %s: coded-only agreement %v, per character %v", row.Code, got, want)
			}
		}
	}
}

// bruteSegments counts, the slow way, segment comparisons and matches
// of one code (with descendants) among coders.
func bruteSegments(in Input, coders []string, codes map[string]bool, share float64) (compared, agreed int) {
	taking := map[[2]string]bool{}
	for _, c := range in.Codings {
		taking[[2]string{c.DocumentID, c.CoderID}] = true
	}
	for _, s := range in.Codings {
		if !codes[s.CodeID] || !slices.Contains(coders, s.CoderID) {
			continue
		}
		for _, other := range coders {
			if other == s.CoderID || !taking[[2]string{s.DocumentID, other}] {
				continue
			}
			compared++
			for _, o := range in.Codings {
				if o.CoderID == other && codes[o.CodeID] && o.DocumentID == s.DocumentID {
					shared := min(o.End, s.End) - max(o.Start, s.Start)
					if float64(shared) >= share*float64(min(o.End-o.Start, s.End-s.Start)) && shared > 0 {
						agreed++
						break
					}
				}
			}
		}
	}
	return compared, agreed
}

func TestSegmentAgreementMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(13))
	for i := 0; i < 300; i++ {
		in := randomProject(rng, 2+rng.Intn(3), 1+rng.Intn(3), rng.Intn(20), rng.Intn(2) == 0)
		share := []float64{0.5, 0.01, 0.9, 1}[rng.Intn(4)]
		r := mustAgree(t, in, Options{Unit: UnitSegments, Overlap: share})
		for _, row := range r.Codes {
			compared, agreed := bruteSegments(in, r.Options.Coders, subtree(in.Codebook, row.Code), share)
			if row.Counts.Compared != compared || row.Counts.Both != agreed {
				t.Fatalf("code %s at %g: %d compared, %d agreed; by brute force %d, %d\n%+v", row.Code, share, row.Counts.Compared, row.Counts.Both, compared, agreed, in)
			}
		}
	}
}

// identicalCoders gives every coder the codings of the first.
func identicalCoders(in Input, coders int) Input {
	var cs []coding.Coding
	for _, c := range in.Codings {
		if c.CoderID != "coder0" {
			continue
		}
		for j := 0; j < coders; j++ {
			c.CoderID = fmt.Sprintf("coder%d", j)
			c.ID = fmt.Sprintf("%s-%d", c.ID, j)
			cs = append(cs, c)
		}
	}
	in.Codings = cs
	return in
}

func allFigures(r *Report) map[string]Figures {
	out := map[string]Figures{"overall": r.Overall}
	for _, c := range r.Codes {
		out["code "+c.Code] = c.Figures
	}
	for _, d := range r.Documents {
		out["document "+d.Document] = d.Figures
	}
	for _, p := range r.Pairs {
		out["pair "+p.A+" "+p.B] = p.Figures
	}
	return out
}

func TestPerfectProjectAgreementIsOne(t *testing.T) {
	rng := rand.New(rand.NewSource(14))
	for i := 0; i < 200; i++ {
		coders := 2 + rng.Intn(3)
		in := identicalCoders(randomProject(rng, coders, 1+rng.Intn(4), 1+rng.Intn(20), false), coders)
		for _, opt := range []Options{{Unit: UnitCharacters}, {Unit: UnitCharacters, CodedOnly: true}, {Unit: UnitSegments}, {Unit: UnitPresence}, {Unit: UnitUnitized}} {
			r := mustAgree(t, in, opt)
			for what, f := range allFigures(r) {
				for m, c := range f.Coefficients {
					if c.Defined && math.Abs(c.Value-1) > 1e-9 {
						t.Fatalf("%+v: %s %s = %v with identical coders, want 1\n%+v", opt, what, m, c.Value, in)
					}
				}
			}
		}
	}
}

func TestSwappingCodersChangesNoAgreement(t *testing.T) {
	rng := rand.New(rand.NewSource(15))
	for i := 0; i < 150; i++ {
		coders := 2 + rng.Intn(3)
		in := randomProject(rng, coders, 1+rng.Intn(4), rng.Intn(25), rng.Intn(2) == 0)
		var ids []string
		for j := 0; j < coders; j++ {
			ids = append(ids, fmt.Sprintf("coder%d", j))
		}
		shuffled := slices.Clone(ids)
		rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		for _, unit := range Units {
			a := mustAgree(t, in, Options{Unit: unit, Coders: ids})
			b := mustAgree(t, in, Options{Unit: unit, Coders: shuffled})
			fa, fb := allFigures(a), allFigures(b)
			for _, p := range b.Pairs { // the same pairs, maybe named the other way round
				if _, ok := fa["pair "+p.A+" "+p.B]; !ok {
					fb["pair "+p.B+" "+p.A] = p.Figures
					delete(fb, "pair "+p.A+" "+p.B)
				}
			}
			for what, f := range fa {
				for m, c := range f.Coefficients {
					if d := fb[what].Coefficients[m]; !sameCoefficient(c, d) {
						t.Fatalf("%s: %s %s = %v with coders %v but %v with %v\n%+v", unit, what, m, c, ids, d, shuffled, in)
					}
				}
			}
		}
	}
}

// On one document the unitized figures are the continuum's own.
func TestUnitizedAgreementMatchesContinuum(t *testing.T) {
	rng := rand.New(rand.NewSource(16))
	for i := 0; i < 300; i++ {
		coders := 2 + rng.Intn(3)
		in := randomProject(rng, coders, 1, rng.Intn(12), false)
		r := mustAgree(t, in, Options{Unit: UnitUnitized})
		for _, row := range r.Codes {
			c := mergedContinuum(in, r.Options.Coders, subtree(in.Codebook, row.Code), row.Code)
			if got, want := row.Coefficients[MetricUnitizedAlpha1995Cat], UnitizedAlpha1995(c, row.Code); !sameCoefficient(got, want) {
				t.Fatalf("code %s: α_u = %v, on the continuum %v\n%+v", row.Code, got, want, c)
			}
			if got, want := row.Coefficients[MetricBinaryUAlpha2016], BinaryUAlpha2016(c); !sameCoefficient(got, want) {
				t.Fatalf("code %s: |uα = %v, on the continuum %v\n%+v", row.Code, got, want, c)
			}
		}
	}
}

// mergedContinuum is a one-document project's continuum of one code (with
// descendants), each coder's overlapping spans merged.
func mergedContinuum(in Input, coders []string, codes map[string]bool, category string) Continuum {
	c := Continuum{Length: in.Documents[0].Length, Coders: coders}
	for _, coder := range coders {
		var spans []Span
		for _, x := range in.Codings {
			if x.CoderID == coder && codes[x.CodeID] {
				spans = append(spans, Span{Coder: coder, Category: category, Start: x.Start, End: x.End})
			}
		}
		slices.SortFunc(spans, func(a, b Span) int { return a.Start - b.Start })
		for _, s := range spans {
			if n := len(c.Spans) - 1; n >= 0 && c.Spans[n].Coder == coder && s.Start < c.Spans[n].End {
				c.Spans[n].End = max(c.Spans[n].End, s.End)
				continue
			}
			c.Spans = append(c.Spans, s)
		}
	}
	return c
}

// Documents whose every coder has a unit at both ends can be laid end to
// end without any gap crossing a boundary: then the 1995 α over documents
// is the α of the joined continuum.
func TestUnitizedAgreementAcrossDocuments(t *testing.T) {
	rng := rand.New(rand.NewSource(17))
	for i := 0; i < 200; i++ {
		coders := 2 + rng.Intn(2)
		in := randomProject(rng, coders, 1+rng.Intn(4), rng.Intn(15), false)
		in.Codings = slices.DeleteFunc(in.Codings, func(c coding.Coding) bool { return c.CodeID != "x" })
		joined := Continuum{}
		for j := 0; j < coders; j++ {
			joined.Coders = append(joined.Coders, fmt.Sprintf("coder%d", j))
		}
		for d, doc := range in.Documents {
			in.Documents[d].Length += 4
			for j := 0; j < coders; j++ {
				coder := fmt.Sprintf("coder%d", j)
				in.Codings = append(in.Codings,
					coding.Coding{ID: fmt.Sprintf("s%d-%d", d, j), DocumentID: doc.ID, CodeID: "x", CoderID: coder, Start: 0, End: 1},
					coding.Coding{ID: fmt.Sprintf("e%d-%d", d, j), DocumentID: doc.ID, CodeID: "x", CoderID: coder, Start: doc.Length + 3, End: doc.Length + 4})
			}
		}
		for d := range in.Documents {
			// Shift the random codings clear of the end units.
			for x := range in.Codings {
				if c := &in.Codings[x]; c.DocumentID == in.Documents[d].ID && c.ID[0] == 'c' {
					c.Start, c.End = c.Start+2, c.End+2
				}
			}
		}
		offset := 0
		for _, doc := range in.Documents {
			one := in
			one.Documents = []coding.Document{doc}
			one.Codings = slices.DeleteFunc(slices.Clone(in.Codings), func(c coding.Coding) bool { return c.DocumentID != doc.ID })
			c := mergedContinuum(one, joined.Coders, map[string]bool{"x": true}, "x")
			for _, s := range c.Spans {
				s.Start += offset
				s.End += offset
				joined.Spans = append(joined.Spans, s)
			}
			offset += doc.Length
		}
		joined.Length = offset
		in.Assignments = nil // every coder has units in every document
		r := mustAgree(t, in, Options{Unit: UnitUnitized})
		if got, want := r.code("x").Coefficients[MetricUnitizedAlpha1995Cat], UnitizedAlpha1995(joined, "x"); !sameCoefficient(got, want) {
			t.Fatalf("α_u over documents %v, joined %v\n%+v", got, want, joined)
		}
		if got, want := r.code("x").Coefficients[MetricBinaryUAlpha2016], BinaryUAlpha2016(joined); !sameCoefficient(got, want) {
			t.Fatalf("|uα over documents %v, joined %v\n%+v", got, want, joined)
		}
	}
}

// A resample that draws a document n times is the same as a project
// that holds it n times.
func TestUnitizedResampleIsRepeatedDocuments(t *testing.T) {
	rng := rand.New(rand.NewSource(18))
	for i := 0; i < 200; i++ {
		coders := 2 + rng.Intn(2)
		in := randomProject(rng, coders, 1+rng.Intn(3), rng.Intn(15), false)
		opt := Options{Unit: UnitUnitized}
		s, err := newAgreementScope(in, &opt)
		if err != nil {
			t.Fatal(err)
		}
		tally := tallyUnitized(s)
		boot := &bootstrap{resamples: 1, draws: [][]int32{nil}}
		repeated := in
		repeated.Documents, repeated.Codings = nil, nil
		for d, doc := range in.Documents {
			if s.cover[d] != tally.all {
				continue
			}
			for n := rng.Intn(3); n > 0; n-- {
				boot.draws[0] = append(boot.draws[0], int32(d))
				copyDoc := doc
				copyDoc.ID = fmt.Sprintf("%s-%d", doc.ID, n)
				repeated.Documents = append(repeated.Documents, copyDoc)
				for _, c := range in.Codings {
					if c.DocumentID == doc.ID {
						c.DocumentID, c.ID = copyDoc.ID, fmt.Sprintf("%s-%d", c.ID, n)
						repeated.Codings = append(repeated.Codings, c)
					}
				}
			}
		}
		if len(repeated.Documents) == 0 {
			continue
		}
		results := tally.bootstrap(s, boot)
		repeated.Assignments = doneWhereCoded(repeated)
		r := mustAgree(t, repeated, Options{Unit: UnitUnitized, Coders: s.coders})
		for ri, code := range s.rows {
			row := r.code(code.ID)
			if row.Code == "" {
				continue
			}
			if got, want := results[ri][0].alpha(code.Name), row.Coefficients[MetricUnitizedAlpha1995Cat]; !sameCoefficient(got, want) {
				t.Fatalf("code %s drawn %v: %v, repeated %v", code.ID, boot.draws[0], got, want)
			}
		}
	}
}

func TestBootstrapIsReproducible(t *testing.T) {
	rng := rand.New(rand.NewSource(19))
	in := randomProject(rng, 3, 12, 120, false)
	for _, unit := range []Unit{UnitCharacters, UnitPresence, UnitUnitized} {
		a := mustAgree(t, in, Options{Unit: unit, Bootstrap: 200, Seed: 7})
		b := mustAgree(t, in, Options{Unit: unit, Bootstrap: 200, Seed: 7})
		c := mustAgree(t, in, Options{Unit: unit, Bootstrap: 200, Seed: 8})
		ca, cb, cc := a.Overall.AlphaCI, b.Overall.AlphaCI, c.Overall.AlphaCI
		if ca == nil || !ca.Defined {
			t.Fatalf("%s: overall interval %+v", unit, ca)
		}
		if *ca != *cb {
			t.Errorf("%s: the same seed gave %+v and %+v", unit, ca, cb)
		}
		if *ca == *cc {
			t.Errorf("%s: seeds 7 and 8 gave the same interval %+v", unit, ca)
		}
		if ca.Low > ca.High || ca.Used == 0 || ca.Resamples != 200 {
			t.Errorf("%s: interval %+v", unit, ca)
		}
		for _, row := range a.Codes {
			if row.AlphaCI == nil {
				t.Errorf("%s: code %s has no interval", unit, row.Code)
			}
		}
	}
}

func TestDisagreementsAddUp(t *testing.T) {
	rng := rand.New(rand.NewSource(20))
	for i := 0; i < 200; i++ {
		in := randomProject(rng, 2, 1+rng.Intn(3), rng.Intn(20), false)
		for _, unit := range []Unit{UnitCharacters, UnitSegments} {
			r := mustAgree(t, in, Options{Unit: unit, Coders: []string{"coder0", "coder1"}})
			for ci, code := range r.Matrix.Codes {
				ds, err := Disagreements(in, Options{Unit: unit, Code: code}, "coder0", "coder1")
				if err != nil {
					t.Fatal(err)
				}
				total := 0
				for _, d := range ds {
					if unit == UnitCharacters {
						total += d.End - d.Start
					} else {
						total++
					}
					if len(d.Codings) == 0 {
						t.Fatalf("%s %s: disagreement %+v names no coding", unit, code, d)
					}
				}
				if want := r.Matrix.Cells[ci][0].Counts.Either; total != want {
					t.Fatalf("%s %s: disagreements add up to %d, the table has %d\n%+v\n%+v", unit, code, total, want, ds, in)
				}
			}
		}
	}
}
