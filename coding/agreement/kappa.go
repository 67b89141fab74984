package agreement

// The kappa family: agreement on nominal categories, corrected for the
// agreement expected by chance, (p_o − p_e)/(1 − p_e). They differ only in
// how they model chance.

// PercentAgreement returns the share of agreeing pairs of values. For two
// coders this is the share of units both rated on which they agree; for
// more it is the mean, over units rated by at least two coders, of the
// share of agreeing coder pairs within the unit (Fleiss' P̄).
func PercentAgreement(r Ratings) Coefficient {
	t, c := multiTable(r)
	if !c.Defined {
		return c
	}
	return defined(t.meanPairAgreement())
}

// CohenKappa returns Cohen's (1960) κ for exactly two coders: chance is the
// product of each coder's own category proportions. Units either coder left
// unrated are left out.
func CohenKappa(r Ratings) Coefficient {
	p, c := pairTable(r)
	if !c.Defined {
		return c
	}
	pe := 0.0
	for k := range p.a {
		pe += p.a[k] * p.b[k]
	}
	return chanceCorrected(p.po, pe)
}

// ScottPi returns Scott's (1955) π for exactly two coders: chance is the
// square of the category proportions pooled over both coders.
func ScottPi(r Ratings) Coefficient {
	p, c := pairTable(r)
	if !c.Defined {
		return c
	}
	pe := 0.0
	for k := range p.a {
		m := (p.a[k] + p.b[k]) / 2
		pe += m * m
	}
	return chanceCorrected(p.po, pe)
}

// BrennanPredigerKappa returns Brennan and Prediger's (1981) free-marginal
// κ (Bennett's S) for exactly two coders: chance is 1/q for q categories,
// counted as described at Ratings.Categories.
func BrennanPredigerKappa(r Ratings) Coefficient {
	p, c := pairTable(r)
	if !c.Defined {
		return c
	}
	q := categoryCount(r)
	if q < 2 {
		return undefined("needs at least two categories for chance agreement below 1")
	}
	return chanceCorrected(p.po, 1/float64(q))
}

// FleissKappa returns Fleiss' (1971) κ for two or more coders: chance is the
// square of the category proportions pooled over all ratings. Fleiss
// assumed every unit rated by the same number of coders; with missing
// values each unit's agreement uses its own number of ratings and units
// with fewer than two drop out, which reduces to Fleiss' formula on
// complete tables.
func FleissKappa(r Ratings) Coefficient {
	t, c := multiTable(r)
	if !c.Defined {
		return c
	}
	pe := 0.0
	for _, n := range t.totals {
		p := n / t.ratings
		pe += p * p
	}
	return chanceCorrected(t.meanPairAgreement(), pe)
}

// RandolphKappa returns Randolph's (2005) free-marginal multirater κ:
// Fleiss' observed agreement with chance 1/q, q counted as described at
// Ratings.Categories.
func RandolphKappa(r Ratings) Coefficient {
	t, c := multiTable(r)
	if !c.Defined {
		return c
	}
	q := categoryCount(r)
	if q < 2 {
		return undefined("needs at least two categories for chance agreement below 1")
	}
	return chanceCorrected(t.meanPairAgreement(), 1/float64(q))
}

// categoryCount is q for the free-marginal coefficients: the declared
// categories together with every value in the table.
func categoryCount(r Ratings) int {
	seen := map[string]bool{}
	for _, c := range r.Categories {
		if c != "" {
			seen[c] = true
		}
	}
	for _, u := range r.Units {
		for _, v := range u {
			if v != "" {
				seen[v] = true
			}
		}
	}
	return len(seen)
}

// pairProportions is what the two-coder coefficients need: the observed
// agreement and each coder's category proportions over the units both
// coders rated.
type pairProportions struct {
	po   float64
	a, b []float64
}

func pairTable(r Ratings) (pairProportions, Coefficient) {
	if err := r.Validate(); err != nil {
		return pairProportions{}, invalid(err)
	}
	if len(r.Coders) != 2 {
		return pairProportions{}, undefined("needs exactly two coders (the table has %d)", len(r.Coders))
	}
	t := nominal(r)
	p := pairProportions{a: make([]float64, len(t.names)), b: make([]float64, len(t.names))}
	n, agree := 0, 0
	for _, u := range t.units {
		if u[0] < 0 || u[1] < 0 {
			continue
		}
		n++
		if u[0] == u[1] {
			agree++
		}
		p.a[u[0]]++
		p.b[u[1]]++
	}
	if n == 0 {
		return pairProportions{}, undefined("no unit was rated by both coders")
	}
	p.po = float64(agree) / float64(n)
	for k := range p.a {
		p.a[k] /= float64(n)
		p.b[k] /= float64(n)
	}
	return p, Coefficient{Defined: true}
}

// multiCounts is what the multi-coder coefficients need: per unit the
// number of coders choosing each category, for units with at least two
// ratings.
type multiCounts struct {
	units   []map[int]float64
	sizes   []float64
	totals  []float64 // ratings per category over the units kept
	ratings float64   // all ratings over the units kept
}

func multiTable(r Ratings) (multiCounts, Coefficient) {
	if err := r.Validate(); err != nil {
		return multiCounts{}, invalid(err)
	}
	if len(r.Coders) < 2 {
		return multiCounts{}, undefined("needs at least two coders (the table has %d)", len(r.Coders))
	}
	t := nominal(r)
	m := multiCounts{totals: make([]float64, len(t.names))}
	for _, u := range t.units {
		counts := map[int]float64{}
		n := 0.0
		for _, v := range u {
			if v >= 0 {
				counts[v]++
				n++
			}
		}
		if n < 2 {
			continue
		}
		m.units = append(m.units, counts)
		m.sizes = append(m.sizes, n)
		for k, c := range counts {
			m.totals[k] += c
		}
		m.ratings += n
	}
	if len(m.units) == 0 {
		return multiCounts{}, undefined("no unit was rated by two or more coders")
	}
	return m, Coefficient{Defined: true}
}

// meanPairAgreement is Fleiss' P̄: the mean over units of the share of
// agreeing ordered pairs of ratings.
func (m multiCounts) meanPairAgreement() float64 {
	sum := 0.0
	for i, counts := range m.units {
		n := m.sizes[i]
		agree := 0.0
		for _, c := range counts {
			agree += c * (c - 1)
		}
		sum += agree / (n * (n - 1))
	}
	return sum / float64(len(m.units))
}
