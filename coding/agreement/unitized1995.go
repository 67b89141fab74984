package agreement

import "sort"

// Krippendorff's unitizing α of 1995/2004 (Krippendorff, "On the
// reliability of unitizing contiguous data", Sociological Methodology 25,
// 1995; Content Analysis, 2nd ed., 2004, sect. 11.6), for one code at a
// time: each coder's continuum splits into units of the code and the gaps
// between them.
//
// Observed disagreement sums, over every pair of coders and every pair of
// their segments that intersect,
//
//	(b_g − b_h)² + (e_g − e_h)²   two units
//	l_g²                          unit g lies wholly inside a gap h
//	0                             otherwise
//
// and D_O = 2·Σ/(R(R−1)L²). Expected disagreement follows Krippendorff
// (1995) with the correction DKPro Agreement made to it (whose tests note a
// small error in the original's D_E): with N_c units of the code over all
// coders, G the gaps of all coders and L the continuum's length,
//
//	D_E = 2/L · Σ_units [ (N_c−1)(2l³−3l²+l)/3 + l² Σ_{g∈G, g≥l} (g−l+1) ]
//	      / (RL(RL−1) − Σ_units l(l−1))
//
// Units of one coder and code must not overlap; adjacent units stay
// separate units (merging them changes the value).

// UnitizedAlpha1995 returns Krippendorff's (1995) unitizing α for one code.
func UnitizedAlpha1995(c Continuum, category string) Coefficient {
	do, de, r := unitized1995(c, category)
	if !r.Defined {
		return r
	}
	if de == 0 {
		return undefined("expected disagreement is zero for %q", clip(category))
	}
	return defined(1 - do/de)
}

// UnitizedAlpha1995Overall returns the unitizing α over all codes of the
// continuum as DKPro Agreement defines it: 1 − ΣD_O/ΣD_E, the sums over
// codes, so that codes with more expected disagreement weigh more.
func UnitizedAlpha1995Overall(c Continuum) Coefficient {
	if err := c.Validate(); err != nil {
		return invalid(err)
	}
	cats := c.categories()
	if len(cats) == 0 {
		return undefined("nobody coded anything")
	}
	sumO, sumE := 0.0, 0.0
	for _, cat := range cats {
		do, de, r := unitized1995(c, cat)
		if !r.Defined {
			return r
		}
		sumO += do
		sumE += de
	}
	if sumE == 0 {
		return undefined("expected disagreement is zero")
	}
	return defined(1 - sumO/sumE)
}

// unitized1995 returns D_O and D_E for one code.
func unitized1995(c Continuum, category string) (do, de float64, r Coefficient) {
	if err := c.Validate(); err != nil {
		return 0, 0, invalid(err)
	}
	coders := c.coders()
	if len(coders) < 2 {
		return 0, 0, undefined("needs at least two coders (there are %d)", len(coders))
	}
	parts, overlapping := c.partitions(coders, func(s Span) int {
		if s.Category == category {
			return 1
		}
		return 0
	})
	if overlapping != "" {
		return 0, 0, undefined("%q has overlapping units of %q; merge or split them first", clip(overlapping), clip(category))
	}

	var units, gaps []float64
	for _, part := range parts {
		for _, s := range part {
			if s.value > 0 {
				units = append(units, s.length())
			} else {
				gaps = append(gaps, s.length())
			}
		}
	}
	if len(units) == 0 {
		return 0, 0, undefined("nobody coded %q", clip(category))
	}

	R, L := float64(len(coders)), float64(c.Length)
	sum := 0.0
	for i := range parts {
		for j := i + 1; j < len(parts); j++ {
			overlaps(parts[i], parts[j], func(a, b int, _ float64) {
				g, h := parts[i][a], parts[j][b]
				switch {
				case g.value > 0 && h.value > 0:
					sum += square(float64(g.start-h.start)) + square(float64(g.end-h.end))
				case g.value > 0 && h.start <= g.start && g.end <= h.end:
					sum += square(g.length())
				case h.value > 0 && g.start <= h.start && h.end <= g.end:
					sum += square(h.length())
				}
			})
		}
	}
	do = 2 * sum / (R * (R - 1) * L * L)

	// Σ_{g≥l} (g−l+1) for every unit length l, from gaps sorted once and
	// their suffix sums.
	sort.Float64s(gaps)
	suffix := make([]float64, len(gaps)+1)
	for i := len(gaps) - 1; i >= 0; i-- {
		suffix[i] = suffix[i+1] + gaps[i]
	}
	n := float64(len(units))
	num, selfPairs := 0.0, 0.0
	for _, l := range units {
		k := sort.SearchFloat64s(gaps, l)
		fits := suffix[k] - (l-1)*float64(len(gaps)-k)
		num += (n-1)*(2*l*l*l-3*l*l+l)/3 + l*l*fits
		selfPairs += l * (l - 1)
	}
	de = 2 / L * num / (R*L*(R*L-1) - selfPairs)
	if !finite(do) || !finite(de) {
		return 0, 0, undefined("the continuum is too long to compute with")
	}
	return do, de, Coefficient{Defined: true}
}
