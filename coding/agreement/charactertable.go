package agreement

import (
	"cmp"
	"slices"
)

// characterTable is the per-character 2×2 table of one code and two coders
// on a continuum: how many positions both coded, only A, only B, neither.
type characterTable struct {
	both, onlyA, onlyB, neither float64
}

// characterAgreement builds the table with a sweep over span boundaries, so
// its cost grows with the number of spans, not with the continuum's length.
// A coder's overlapping spans of the code count once, as the characters
// they cover.
func characterAgreement(c Continuum, category, coderA, coderB string) (characterTable, Coefficient) {
	if err := c.Validate(); err != nil {
		return characterTable{}, invalid(err)
	}
	if len(c.Coders) > 0 {
		for _, name := range []string{coderA, coderB} {
			if !contains(c.Coders, name) {
				return characterTable{}, undefined("%q is not among the coders", clip(name))
			}
		}
	}
	// An event changes the number of open spans of coder who by delta at pos.
	type event struct {
		pos   int
		who   int // 0 is A, 1 is B
		delta int
	}
	events := make([]event, 0, 2*len(c.Spans))
	for _, s := range c.Spans {
		if s.Category != category {
			continue
		}
		// Both checks, not else: a coder compared with itself.
		if s.Coder == coderA {
			events = append(events, event{s.Start, 0, 1}, event{s.End, 0, -1})
		}
		if s.Coder == coderB {
			events = append(events, event{s.Start, 1, 1}, event{s.End, 1, -1})
		}
	}
	slices.SortFunc(events, func(x, y event) int { return cmp.Compare(x.pos, y.pos) })

	var t characterTable
	var open [2]int
	pos := c.Begin
	for _, e := range events {
		if e.pos > pos {
			n := float64(e.pos - pos)
			switch a, b := open[0] > 0, open[1] > 0; {
			case a && b:
				t.both += n
			case a:
				t.onlyA += n
			case b:
				t.onlyB += n
			}
			pos = e.pos
		}
		open[e.who] += e.delta
	}
	t.neither = float64(c.Length) - t.both - t.onlyA - t.onlyB
	return t, Coefficient{Defined: true}
}

// NVivoPercentAgreement returns the share of the continuum's characters on
// which coders A and B agree about category: both coded it or neither did.
// This is the "Agreement (%)" of NVivo's coding comparison, as a fraction.
func NVivoPercentAgreement(c Continuum, category, coderA, coderB string) Coefficient {
	t, r := characterAgreement(c, category, coderA, coderB)
	if !r.Defined {
		return r
	}
	return defined((t.both + t.neither) / float64(c.Length))
}

// NVivoKappa returns the κ of NVivo's coding comparison for one code and
// two coders: Cohen's κ on the per-character table, which NVivo writes as
// (TA − ΣEF)/(TU − ΣEF) with TA the characters agreed on, TU all
// characters and EF the expected frequencies of agreement on "coded" and
// on "not coded". Where NVivo shows 1 because neither coder coded anything
// (or both coded everything), κ is undefined here: chance alone explains
// such agreement.
func NVivoKappa(c Continuum, category, coderA, coderB string) Coefficient {
	t, r := characterAgreement(c, category, coderA, coderB)
	if !r.Defined {
		return r
	}
	// Cohen's κ of a 2×2 table in a form whose denominator is zero exactly
	// when the table is degenerate, with no rounding on the way there.
	den := (t.both+t.onlyA)*(t.onlyA+t.neither) + (t.both+t.onlyB)*(t.onlyB+t.neither)
	if den == 0 {
		return undefined("expected agreement is 100%%: the coders coded all of the text or none of it with %q", clip(category))
	}
	return defined(2 * (t.both*t.neither - t.onlyA*t.onlyB) / den)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
