package agreement

import (
	"math"
	"sort"
	"strconv"
	"strings"
)

// KrippendorffAlpha returns Krippendorff's α for any number of coders,
// missing values allowed, at the given level of measurement:
//
//	α = 1 − D_o/D_e
//	D_o = 1/n · Σ_u Σ_{i≠j} δ²(v_ui, v_uj)/(m_u − 1)
//	D_e = 1/(n(n−1)) · Σ_c Σ_k n_c n_k δ²(c, k)
//
// where m_u is the number of values in unit u, only units with m_u ≥ 2 take
// part (a lone value cannot be compared with anything), n_c counts value c
// in those units and n = Σ n_c. This is the coincidence-matrix form of
// Krippendorff (2011), computed without building the matrix.
//
// At the ordinal level the difference between c and k depends on the
// frequencies of the values between them, (Σ_{g=c..k} n_g − (n_c+n_k)/2)²,
// which equals the interval difference of the values' mid-ranks; at the
// ratio level it is ((c−k)/(c+k))² and values must not be negative.
//
// The cost is linear in the number of values except at the ratio level,
// whose expected disagreement takes time quadratic in the number of
// distinct values.
func KrippendorffAlpha(r Ratings, level Level) Coefficient {
	if err := r.Validate(); err != nil {
		return invalid(err)
	}
	if len(r.Coders) < 2 {
		return undefined("needs at least two coders (the table has %d)", len(r.Coders))
	}
	units, values, c := alphaValues(r, level)
	if !c.Defined {
		return c
	}
	counts := make([]float64, len(values))
	n := 0.0
	for _, u := range units {
		for _, v := range u {
			counts[v]++
		}
		n += float64(len(u))
	}
	if n == 0 {
		return undefined("no unit has values from two or more coders")
	}
	if level == LevelOrdinal {
		values = midRanks(counts)
		level = LevelInterval
	}
	delta := differenceFunc(level, values)

	do := 0.0
	for _, u := range units {
		sum := 0.0
		for i, a := range u {
			for _, b := range u[i+1:] {
				if a != b {
					sum += 2 * delta(a, b)
				}
			}
		}
		do += sum / float64(len(u)-1)
	}
	do /= n

	de := 0.0
	switch level {
	case LevelNominal:
		de = n * n
		for _, c := range counts {
			de -= c * c
		}
	case LevelInterval:
		// Σ_c Σ_k n_c n_k (x_c − x_k)² = 2n Σ_c n_c (x_c − x̄)², which is
		// linear in the number of values and keeps its precision when
		// the values are large and close together.
		mean := 0.0
		for i, c := range counts {
			mean += c * values[i]
		}
		mean /= n
		for i, c := range counts {
			d := values[i] - mean
			de += c * d * d
		}
		de *= 2 * n
	default:
		for i, a := range counts {
			for j := i + 1; j < len(counts); j++ {
				de += 2 * a * counts[j] * delta(i, j)
			}
		}
	}
	de /= n * (n - 1)
	if de == 0 {
		return undefined("expected disagreement is zero: every pairable value is the same")
	}
	return defined(1 - do/de)
}

// alphaValues returns, for each pairable unit, the indices of its values,
// and the numeric value of each index in increasing order (all zero at the
// nominal level, where only equality matters). Numeric levels group values
// by number, so "3" and "3.0" are the same value.
func alphaValues(r Ratings, level Level) ([][]int, []float64, Coefficient) {
	var units [][]int
	switch level {
	case LevelNominal:
		t := nominal(r)
		for _, u := range t.units {
			if vs := present(u); len(vs) >= 2 {
				units = append(units, vs)
			}
		}
		return units, make([]float64, len(t.names)), Coefficient{Defined: true}
	case LevelOrdinal, LevelInterval, LevelRatio:
	default:
		return nil, nil, undefined("unknown level of measurement %q", string(level))
	}
	parsed := make([][]float64, 0, len(r.Units))
	index := map[float64]int{}
	for i, u := range r.Units {
		var xs []float64
		for _, s := range u {
			if s == "" {
				continue
			}
			x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, nil, undefined("value %q of unit %d is not a number, as the %s level needs", clip(s), i+1, level)
			}
			if level == LevelRatio && x < 0 {
				return nil, nil, undefined("value %q of unit %d is negative, which the ratio level does not allow", clip(s), i+1)
			}
			xs = append(xs, x)
		}
		if len(xs) >= 2 {
			parsed = append(parsed, xs)
			for _, x := range xs {
				index[x] = 0
			}
		}
	}
	// Index values in numeric order, which ordinal mid-ranks need.
	values := make([]float64, 0, len(index))
	for x := range index {
		values = append(values, x)
	}
	sort.Float64s(values)
	for k, x := range values {
		index[x] = k
	}
	units = make([][]int, len(parsed))
	for i, xs := range parsed {
		vs := make([]int, len(xs))
		for j, x := range xs {
			vs[j] = index[x]
		}
		units[i] = vs
	}
	return units, values, Coefficient{Defined: true}
}

func present(u []int) []int {
	var vs []int
	for _, v := range u {
		if v >= 0 {
			vs = append(vs, v)
		}
	}
	return vs
}

// midRanks maps each value to its mid-rank among the pairable values:
// the number of values below it plus half its own count. Ordinal
// differences are differences of mid-ranks.
func midRanks(counts []float64) []float64 {
	// counts is indexed in numeric order of the values (alphaValues).
	ranks := make([]float64, len(counts))
	below := 0.0
	for i, c := range counts {
		ranks[i] = below + c/2
		below += c
	}
	return ranks
}

// differenceFunc returns δ² between value indices at level.
func differenceFunc(level Level, values []float64) func(a, b int) float64 {
	switch level {
	case LevelInterval:
		return func(a, b int) float64 {
			d := values[a] - values[b]
			return d * d
		}
	case LevelRatio:
		return func(a, b int) float64 {
			s := values[a] + values[b]
			if s == 0 {
				return 0
			}
			d := (values[a] - values[b]) / s
			return d * d
		}
	default:
		return func(a, b int) float64 { return 1 }
	}
}

// clip shortens a user-supplied value for an error message.
func clip(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:37]) + "..."
	}
	return s
}
