package agreement

// The unitizing α family of Krippendorff, Mathet, Bouvry and Widlöcher
// ("On the reliability of unitizing textual continua: Further
// developments", Quality & Quantity 50, 2016; Krippendorff, Content
// Analysis, 4th ed., 2019, ch. 12), nominal values only.
//
// Each coder partitions the continuum into valued units and gaps (value 0).
// Segments of coders i ≠ j that intersect add |g∩h|/(m−1) to the
// coincidence o_ck of their values c and k, so the margins l_c. are the
// lengths given to each value and l.. = mL. Expected coincidences are
//
//	e_ck = (l_c. l_k. − [c=k] S_c) / (l.. − S/l..)
//
// where S_c sums l² over the units of value c (a unit can only be paired
// with positions outside itself) and l over the gaps (a gap has no
// structure, so each of its positions is its own unit), and S = Σ_c S_c.
//
//   - uα compares all values and gaps: 1 − (l.. − Σo_cc)/(l.. − Σe_cc).
//   - |uα compares coded with not coded: 1 − (l_0. − o_00)/(e_0. − e_00).
//   - cuα compares the values of intersecting units only: the same form
//     over the coincidences between valued units, l*_c = Σ_{k≠0} o_ck,
//     with S*_c = Σ p_g² over the units g of value c, where p_g, the part
//     of g that other coders' units can pair with, is Σ_{j≠i}|g∩V_j|/(m−1)
//     for V_j coder j's valued units.
//   - (k)uα is cuα's agreement on one value k:
//     1 − (e*_k./l*_k.)·(l*_k. − o_kk)/(e*_k. − e*_kk).
//
// The 2016 paper leaves open how p_g extends beyond two coders; the mean
// over the other coders used here reproduces the book's cuα of 0.724 for
// its three-coder example (Fig. 12.11), where a union over the other
// coders (0.728) and a mean of squares (0.726) do not. All three agree for
// two coders.
//
// A coder's units must not overlap. Qualitative codes often do; compute
// each code as its own unit-versus-gap problem with Continuum.Only.

// UAlpha2016 returns Krippendorff's uα for the whole partition into valued
// units and gaps.
func UAlpha2016(c Continuum) Coefficient {
	u, r := uCoincidencesOf(c)
	if !r.Defined {
		return r
	}
	return u.uAlpha()
}

func (u *uCoincidences) uAlpha() Coefficient {
	// Disagreements are summed off the diagonal rather than subtracted
	// from totals, so that perfect agreement and a single value give
	// exact zeros instead of rounding noise.
	do, de := 0.0, 0.0
	for c := range u.o {
		for k := range u.o {
			if c != k {
				do += u.o[c][k]
				de += u.expected(c, k)
			}
		}
	}
	return ratio(do, de, "expected disagreement is zero")
}

// BinaryUAlpha2016 returns |uα: agreement on what was coded at all, all
// values taken together against the gaps.
func BinaryUAlpha2016(c Continuum) Coefficient {
	u, r := uCoincidencesOf(c)
	if !r.Defined {
		return r
	}
	return u.binaryUAlpha()
}

func (u *uCoincidences) binaryUAlpha() Coefficient {
	if u.margin[0] == 0 {
		return undefined("no coder left any gap, so there is no coded-versus-uncoded distinction")
	}
	do, de := 0.0, 0.0
	for k := 1; k < len(u.o); k++ {
		do += u.o[0][k]
		de += u.expected(0, k)
	}
	return ratio(do, de, "expected disagreement is zero")
}

// CUAlpha2016 returns cuα: agreement on the values of units where coders'
// units intersect, ignoring where they placed the boundaries.
func CUAlpha2016(c Continuum) Coefficient {
	u, r := uCoincidencesOf(c)
	if !r.Defined {
		return r
	}
	return u.cuAlpha()
}

func (u *uCoincidences) cuAlpha() Coefficient {
	if u.valuedTotal == 0 {
		return undefined("no coder's unit intersects another coder's unit")
	}
	do, de := 0.0, 0.0
	for c := 1; c < len(u.o); c++ {
		for k := 1; k < len(u.o); k++ {
			if c != k {
				do += u.o[c][k]
				de += u.valuedExpected(c, k)
			}
		}
	}
	return ratio(do, de, "expected disagreement is zero: only one value occurs where units intersect")
}

// KUAlpha2016 returns (k)uα, cuα's agreement on one value (code).
func KUAlpha2016(c Continuum, category string) Coefficient {
	u, r := uCoincidencesOf(c)
	if !r.Defined {
		return r
	}
	return u.kuAlpha(category)
}

func (u *uCoincidences) kuAlpha(category string) Coefficient {
	k := u.index(category)
	if k == 0 || u.margin[k] == 0 {
		return undefined("nobody coded %q", clip(category))
	}
	lk := u.valuedMargin[k]
	if lk == 0 {
		return undefined("no unit coded %q intersects another coder's unit", clip(category))
	}
	// (l*_k − o_kk) and (e*_k − e*_kk), summed off the diagonal.
	ek, offO, offE := 0.0, 0.0, 0.0
	for c := 1; c < len(u.o); c++ {
		e := u.valuedExpected(k, c)
		ek += e
		if c != k {
			offO += u.o[k][c]
			offE += e
		}
	}
	return ratio(ek*offO, lk*offE, "expected disagreement on "+clip(category)+" is zero")
}

// Only returns the continuum with the spans of one category, for
// evaluating a code as its own unit-versus-gap problem.
func (c Continuum) Only(category string) Continuum {
	out := c
	out.Spans = nil
	for _, s := range c.Spans {
		if s.Category == category {
			out.Spans = append(out.Spans, s)
		}
	}
	return out
}

// ratio returns 1 − do/de, or undefined with reason when de is zero.
func ratio(do, de float64, reason string) Coefficient {
	if de == 0 {
		return undefined("%s", reason)
	}
	return defined(1 - do/de)
}

// uCoincidences holds the observed coincidences of a continuum and what
// the expected ones are computed from. Index 0 is the gap; value k ≥ 1 is
// categories[k−1].
type uCoincidences struct {
	categories []string
	o          [][]float64
	margin     []float64 // l_c.
	total      float64   // l..
	self       []float64 // S_c
	selfTotal  float64   // S

	valuedMargin []float64 // l*_c.
	valuedTotal  float64   // l*..
	valuedSelf   []float64 // S*_c
	valuedSelfT  float64   // S*
}

func (u *uCoincidences) index(category string) int {
	for i, name := range u.categories {
		if name == category {
			return i + 1
		}
	}
	return 0
}

func (u *uCoincidences) expected(c, k int) float64 {
	e := u.margin[c] * u.margin[k]
	if c == k {
		e -= u.self[c]
	}
	return e / (u.total - u.selfTotal/u.total)
}

func (u *uCoincidences) valuedExpected(c, k int) float64 {
	e := u.valuedMargin[c] * u.valuedMargin[k]
	if c == k {
		e -= u.valuedSelf[c]
	}
	return e / (u.valuedTotal - u.valuedSelfT/u.valuedTotal)
}

func uCoincidencesOf(c Continuum) (*uCoincidences, Coefficient) {
	if err := c.Validate(); err != nil {
		return nil, invalid(err)
	}
	coders := c.coders()
	m := len(coders)
	if m < 2 {
		return nil, undefined("needs at least two coders (there are %d)", m)
	}
	cats := c.categories()
	index := make(map[string]int, len(cats))
	for i, name := range cats {
		index[name] = i + 1
	}
	parts, overlapping := c.partitions(coders, func(s Span) int { return index[s.Category] })
	if overlapping != "" {
		return nil, undefined("%q has overlapping units, which these coefficients do not allow; compute them one code at a time", clip(overlapping))
	}

	u := newUSums(len(cats) + 1)
	// pairable[i][g] sums, over the other coders, the part of coder i's
	// unit g that their units cover.
	pairable := make([][]float64, m)
	for i := range parts {
		pairable[i] = make([]float64, len(parts[i]))
	}
	w := 1 / float64(m-1)
	for i := range parts {
		for j := i + 1; j < m; j++ {
			overlaps(parts[i], parts[j], func(a, b int, shared float64) {
				g, h := parts[i][a].value, parts[j][b].value
				u.o[g*u.k+h] += shared * w
				u.o[h*u.k+g] += shared * w
				if g > 0 && h > 0 {
					pairable[i][a] += shared
					pairable[j][b] += shared
				}
			})
		}
	}
	for i, part := range parts {
		for a, s := range part {
			u.segment(s)
			if s.value > 0 {
				p := pairable[i][a] * w
				u.valuedSelf[s.value] += p * p
			}
		}
	}
	return u.coincidences(cats), Coefficient{Defined: true}
}
