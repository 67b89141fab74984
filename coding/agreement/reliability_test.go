package agreement

import (
	"fmt"
	"math"
	"math/rand"
	"strings"
	"testing"
)

var levels = []Level{LevelNominal, LevelOrdinal, LevelInterval, LevelRatio}

// tableCoefficients are the table coefficients by the name failure messages
// use, at a given level where it matters.
func tableCoefficients(r Ratings, level Level) map[string]Coefficient {
	return map[string]Coefficient{
		"PercentAgreement":     PercentAgreement(r),
		"CohenKappa":           CohenKappa(r),
		"ScottPi":              ScottPi(r),
		"BrennanPredigerKappa": BrennanPredigerKappa(r),
		"FleissKappa":          FleissKappa(r),
		"RandolphKappa":        RandolphKappa(r),
		"KrippendorffAlpha":    KrippendorffAlpha(r, level),
	}
}

// randomRatings returns a table of small numbers, some missing.
func randomRatings(rng *rand.Rand, coders, units, values int, missing float64) Ratings {
	r := Ratings{}
	for j := 0; j < coders; j++ {
		r.Coders = append(r.Coders, fmt.Sprintf("c%d", j))
	}
	for i := 0; i < units; i++ {
		u := make([]string, coders)
		for j := range u {
			if rng.Float64() >= missing {
				u[j] = fmt.Sprint(rng.Intn(values))
			}
		}
		r.Units = append(r.Units, u)
	}
	return r
}

func TestPerfectAgreementIsOne(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	for i := 0; i < 300; i++ {
		coders := 2 + rng.Intn(4)
		r := randomRatings(rng, coders, 1+rng.Intn(20), 1+rng.Intn(4), 0)
		for _, u := range r.Units {
			for j := range u {
				u[j] = u[0]
			}
			// Missing values do not spoil perfect agreement, except
			// for the two-coder coefficients, which drop the unit.
			if coders > 2 && rng.Intn(3) == 0 {
				u[rng.Intn(coders)] = ""
			}
		}
		for _, level := range levels {
			for name, c := range tableCoefficients(r, level) {
				if c.Defined && math.Abs(c.Value-1) > 1e-12 {
					t.Fatalf("%s(%v) = %v at %s level, want 1", name, r.Units, c.Value, level)
				}
			}
		}
	}
}

func TestSwappingCodersChangesNothing(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for i := 0; i < 300; i++ {
		coders := 2 + rng.Intn(4)
		r := randomRatings(rng, coders, 1+rng.Intn(30), 1+rng.Intn(5), 0.2)
		a, b := rng.Intn(coders), rng.Intn(coders)
		s := Ratings{Coders: append([]string(nil), r.Coders...)}
		s.Coders[a], s.Coders[b] = s.Coders[b], s.Coders[a]
		for _, u := range r.Units {
			v := append([]string(nil), u...)
			v[a], v[b] = v[b], v[a]
			s.Units = append(s.Units, v)
		}
		for _, level := range levels {
			before, after := tableCoefficients(r, level), tableCoefficients(s, level)
			for name, x := range before {
				y := after[name]
				if x.Defined != y.Defined || math.Abs(x.Value-y.Value) > 1e-9 {
					t.Fatalf("%s(%v) = %v, but %v with coders %d and %d swapped", name, r.Units, x, y, a, b)
				}
			}
		}
	}
}

// TestKrippendorffAlphaMatchesCoincidenceMatrix checks the matrix-free
// computation against Krippendorff's coincidence-matrix definition,
// including the ordinal metric written as in Krippendorff (2011).
func TestKrippendorffAlphaMatchesCoincidenceMatrix(t *testing.T) {
	rng := rand.New(rand.NewSource(6))
	for i := 0; i < 300; i++ {
		r := randomRatings(rng, 2+rng.Intn(4), 1+rng.Intn(25), 1+rng.Intn(6), 0.3)
		for _, level := range levels {
			got := KrippendorffAlpha(r, level)
			want, ok := coincidenceAlpha(r, level)
			if got.Defined != ok || (ok && math.Abs(got.Value-want) > 1e-9) {
				t.Fatalf("KrippendorffAlpha(%v, %s) = %v, want %v (defined %v)", r.Units, level, got, want, ok)
			}
		}
	}
}

// coincidenceAlpha is α straight from the textbook, for small integer
// values 0..9.
func coincidenceAlpha(r Ratings, level Level) (float64, bool) {
	var o [10][10]float64
	for _, u := range r.Units {
		var vs []int
		for _, s := range u {
			if s != "" {
				vs = append(vs, int(s[0]-'0'))
			}
		}
		for i := range vs {
			for j := range vs {
				if i != j {
					o[vs[i]][vs[j]] += 1 / float64(len(vs)-1)
				}
			}
		}
	}
	var nc [10]float64
	n := 0.0
	for c := range o {
		for k := range o {
			nc[c] += o[c][k]
		}
		n += nc[c]
	}
	delta := func(c, k int) float64 {
		switch level {
		case LevelNominal:
			if c == k {
				return 0
			}
			return 1
		case LevelOrdinal:
			lo, hi := min(c, k), max(c, k)
			s := 0.0
			for g := lo; g <= hi; g++ {
				s += nc[g]
			}
			s -= (nc[c] + nc[k]) / 2
			return s * s
		case LevelInterval:
			return float64((c - k) * (c - k))
		default:
			if c+k == 0 {
				return 0
			}
			d := float64(c-k) / float64(c+k)
			return d * d
		}
	}
	do, de := 0.0, 0.0
	for c := range o {
		for k := range o {
			do += o[c][k] * delta(c, k)
			de += nc[c] * nc[k] * delta(c, k)
		}
	}
	if n == 0 || de == 0 {
		return 0, false
	}
	return 1 - (n-1)*do/de, true
}

func TestKrippendorffAlphaNumericValues(t *testing.T) {
	// "3", " 3" and "3.0" are one value at numeric levels, three at the
	// nominal level.
	raw := Ratings{Coders: []string{"a", "b"}, Units: [][]string{{"3", "3.0"}, {" 3", "3"}, {"1", "2"}, {"5", "5"}}}
	clean := Ratings{Coders: []string{"a", "b"}, Units: [][]string{{"3", "3"}, {"3", "3"}, {"1", "2"}, {"5", "5"}}}
	for _, level := range levels[1:] {
		if got, want := KrippendorffAlpha(raw, level), KrippendorffAlpha(clean, level); got != want {
			t.Errorf("KrippendorffAlpha(%q, %s) = %v, want %v as for %q", raw.Units, level, got, want, clean.Units)
		}
	}
	if got, clean := KrippendorffAlpha(raw, LevelNominal), KrippendorffAlpha(clean, LevelNominal); got.Value >= clean.Value {
		t.Errorf("KrippendorffAlpha(%q, nominal) = %v, want less than %v: the strings differ", raw.Units, got, clean)
	}
}

func TestUndefinedTableCoefficients(t *testing.T) {
	two := func(units ...[]string) Ratings { return Ratings{Coders: []string{"a", "b"}, Units: units} }
	three := Ratings{Coders: []string{"a", "b", "c"}, Units: [][]string{{"x", "y", "x"}, {"y", "y", "x"}}}
	one := Ratings{Coders: []string{"a"}, Units: [][]string{{"x"}, {"y"}}}
	same := two([]string{"x", "x"}, []string{"x", "x"})
	tests := []struct {
		name string
		got  Coefficient
	}{
		{"PercentAgreement(one coder)", PercentAgreement(one)},
		{"PercentAgreement(no units)", PercentAgreement(two())},
		{"PercentAgreement(no coders)", PercentAgreement(Ratings{})},
		{"PercentAgreement(ragged row)", PercentAgreement(two([]string{"x"}))},
		{"CohenKappa(three coders)", CohenKappa(three)},
		{"CohenKappa(one coder)", CohenKappa(one)},
		{"CohenKappa(no units)", CohenKappa(two())},
		{"CohenKappa(no unit rated by both)", CohenKappa(two([]string{"x", ""}, []string{"", "y"}))},
		{"CohenKappa(one value only)", CohenKappa(same)},
		{"ScottPi(one value only)", ScottPi(same)},
		{"ScottPi(three coders)", ScottPi(three)},
		{"BrennanPredigerKappa(one category)", BrennanPredigerKappa(same)},
		{"BrennanPredigerKappa(three coders)", BrennanPredigerKappa(three)},
		{"FleissKappa(one coder)", FleissKappa(one)},
		{"FleissKappa(one value only)", FleissKappa(same)},
		{"FleissKappa(only lone ratings)", FleissKappa(two([]string{"x", ""}))},
		{"RandolphKappa(one category)", RandolphKappa(same)},
		{"RandolphKappa(no units)", RandolphKappa(two())},
		{"KrippendorffAlpha(no units)", KrippendorffAlpha(two(), LevelNominal)},
		{"KrippendorffAlpha(one coder)", KrippendorffAlpha(one, LevelNominal)},
		{"KrippendorffAlpha(zero expected disagreement)", KrippendorffAlpha(same, LevelNominal)},
		{"KrippendorffAlpha(zero expected disagreement, interval)", KrippendorffAlpha(two([]string{"2", "2.0"}, []string{"2", ""}), LevelInterval)},
		{"KrippendorffAlpha(non-numeric, interval)", KrippendorffAlpha(two([]string{"1", "two"}), LevelInterval)},
		{"KrippendorffAlpha(non-numeric, ordinal)", KrippendorffAlpha(two([]string{"low", "high"}), LevelOrdinal)},
		{"KrippendorffAlpha(NaN, interval)", KrippendorffAlpha(two([]string{"1", "NaN"}, []string{"2", "3"}), LevelInterval)},
		{"KrippendorffAlpha(Inf, ratio)", KrippendorffAlpha(two([]string{"1", "Inf"}, []string{"2", "3"}), LevelRatio)},
		{"KrippendorffAlpha(negative, ratio)", KrippendorffAlpha(two([]string{"1", "-2"}, []string{"2", "3"}), LevelRatio)},
		{"KrippendorffAlpha(unknown level)", KrippendorffAlpha(two([]string{"1", "2"}, []string{"2", "2"}), Level("cardinal"))},
		{"KrippendorffAlpha(huge values)", KrippendorffAlpha(two([]string{"1e300", "-1e300"}, []string{"1e300", "1e300"}), LevelInterval)},
	}
	for _, tt := range tests {
		if tt.got.Defined || tt.got.Reason == "" || tt.got.Value != 0 {
			t.Errorf("%s = %+v, want undefined with a reason", tt.name, tt.got)
		}
	}
}

func TestReliabilityKeys(t *testing.T) {
	r := Ratings{Coders: []string{"a", "b", "c"}, Units: [][]string{{"1", "2", "1"}, {"2", "2", "2"}, {"3", "1", ""}}}
	got := Reliability(r, LevelInterval)
	for _, name := range []string{MetricPercentAgreement, MetricCohenKappa, MetricScottPi, MetricBrennanPrediger,
		MetricFleissKappa, MetricRandolphKappa, MetricKrippendorffAlpha} {
		if _, ok := got[name]; !ok {
			t.Errorf("Reliability(...) has no %s", name)
		}
	}
	if c := got[MetricCohenKappa]; c.Defined || !strings.Contains(c.Reason, "two coders") {
		t.Errorf("Reliability(3 coders)[%s] = %v, want undefined for three coders", MetricCohenKappa, c)
	}
	if c := got[MetricKrippendorffAlpha]; c != KrippendorffAlpha(r, LevelInterval) {
		t.Errorf("Reliability(...)[%s] = %v, want the interval α %v", MetricKrippendorffAlpha, c, KrippendorffAlpha(r, LevelInterval))
	}
}

// fuzzTable reads a small table from fuzz input: cells separated by ",",
// coders from the first byte, "" cells missing.
func fuzzTable(coders uint8, cells string) Ratings {
	n := int(coders % 6)
	r := Ratings{}
	for j := 0; j < n; j++ {
		r.Coders = append(r.Coders, fmt.Sprint(j))
	}
	values := strings.Split(cells, ",")
	if len(values) > 200 {
		values = values[:200]
	}
	for n > 0 && len(values) > 0 {
		u := make([]string, n)
		copy(u, values)
		values = values[min(n, len(values)):]
		r.Units = append(r.Units, u)
	}
	return r
}

func FuzzReliability(f *testing.F) {
	f.Add(uint8(2), "a,a,b,b,a,b")
	f.Add(uint8(3), "1,2,,3,3,3,1,,2")
	f.Add(uint8(2), "1,1,1,1")
	f.Add(uint8(1), "x,y")
	f.Add(uint8(4), "0,-1,2.5,1e308,NaN,3,,x")
	f.Add(uint8(2), "1e300,-1e300,1e300,1e300")
	f.Fuzz(func(t *testing.T, coders uint8, cells string) {
		r := fuzzTable(coders, cells)
		for _, level := range levels {
			for name, c := range Reliability(r, level) {
				switch {
				case !c.Defined && (c.Reason == "" || c.Value != 0):
					t.Fatalf("%s(%q) at %s = %+v: undefined needs a reason and value 0", name, r.Units, level, c)
				case c.Defined && (math.IsNaN(c.Value) || math.IsInf(c.Value, 0) || c.Value > 1+1e-9):
					t.Fatalf("%s(%q) at %s = %v, want a finite value at most 1", name, r.Units, level, c.Value)
				case c.Defined && name == MetricPercentAgreement && c.Value < 0:
					t.Fatalf("%s(%q) = %v, want a share", name, r.Units, c.Value)
				}
			}
		}
	})
}

func BenchmarkKrippendorffAlpha10k(b *testing.B) {
	rng := rand.New(rand.NewSource(7))
	r := randomRatings(rng, 4, 10_000, 7, 0.1)
	for _, level := range levels {
		b.Run(string(level), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if a := KrippendorffAlpha(r, level); !a.Defined {
					b.Fatal(a.Reason)
				}
			}
		})
	}
}
