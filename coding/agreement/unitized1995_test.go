package agreement

import (
	"fmt"
	"math"
	"math/rand"
	"strings"
	"testing"
)

// randomPartition returns a continuum on which no coder's units overlap,
// as the unitizing coefficients need; adjacent units happen often.
func randomPartition(rng *rand.Rand, coders, categories int) Continuum {
	c := Continuum{Begin: rng.Intn(11) - 5, Length: 1 + rng.Intn(40)}
	for i := 0; i < coders; i++ {
		name := fmt.Sprintf("coder%d", i)
		c.Coders = append(c.Coders, name)
		for pos := c.Begin; pos < c.Begin+c.Length; {
			l := 1 + rng.Intn(8)
			end := min(pos+l, c.Begin+c.Length)
			if rng.Intn(2) == 0 {
				c.Spans = append(c.Spans, Span{Coder: name, Category: fmt.Sprint(rng.Intn(categories)), Start: pos, End: end})
			}
			pos = end
		}
	}
	return c
}

// unitizedCoefficients are the unitizing coefficients of a continuum by
// the name failure messages use.
func unitizedCoefficients(c Continuum) map[string]Coefficient {
	out := map[string]Coefficient{
		"UnitizedAlpha1995Overall": UnitizedAlpha1995Overall(c),
		"UAlpha2016":               UAlpha2016(c),
		"BinaryUAlpha2016":         BinaryUAlpha2016(c),
		"CUAlpha2016":              CUAlpha2016(c),
	}
	for _, cat := range []string{"0", "1", "2", "x"} {
		out[fmt.Sprintf("UnitizedAlpha1995(%s)", cat)] = UnitizedAlpha1995(c, cat)
		out[fmt.Sprintf("KUAlpha2016(%s)", cat)] = KUAlpha2016(c, cat)
		out[fmt.Sprintf("NVivoKappa(%s)", cat)] = NVivoKappa(c, cat, "coder0", "coder1")
		out[fmt.Sprintf("NVivoPercentAgreement(%s)", cat)] = NVivoPercentAgreement(c, cat, "coder0", "coder1")
	}
	return out
}

func TestUnitizedPerfectAgreementIsOne(t *testing.T) {
	rng := rand.New(rand.NewSource(8))
	for i := 0; i < 500; i++ {
		c := randomPartition(rng, 1, 3)
		coders := 2 + rng.Intn(3)
		first := c.Spans
		c.Coders = nil
		for j := 0; j < coders; j++ {
			name := fmt.Sprintf("coder%d", j)
			c.Coders = append(c.Coders, name)
			for _, s := range first[:len(first):len(first)] {
				if j > 0 {
					s.Coder = name
					c.Spans = append(c.Spans, s)
				}
			}
		}
		for name, got := range unitizedCoefficients(c) {
			if got.Defined && math.Abs(got.Value-1) > 1e-9 {
				t.Fatalf("%s(%+v) = %v, want 1", name, c, got.Value)
			}
		}
	}
}

func TestUnitizedRenamingCodersChangesNothing(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	for i := 0; i < 500; i++ {
		c := randomPartition(rng, 2+rng.Intn(3), 3)
		// Reverse the coders' order and names; the coefficients must
		// not care which coder is which.
		r := Continuum{Begin: c.Begin, Length: c.Length}
		rename := map[string]string{}
		for j := len(c.Coders) - 1; j >= 0; j-- {
			rename[c.Coders[j]] = fmt.Sprintf("z%d", len(c.Coders)-j)
			r.Coders = append(r.Coders, rename[c.Coders[j]])
		}
		for j := len(c.Spans) - 1; j >= 0; j-- {
			s := c.Spans[j]
			s.Coder = rename[s.Coder]
			r.Spans = append(r.Spans, s)
		}
		before, after := unitizedCoefficients(c), unitizedCoefficients(r)
		for name, x := range before {
			if strings.HasPrefix(name, "NVivo") {
				continue // names its coders, which were renamed
			}
			y := after[name]
			if x.Defined != y.Defined || math.Abs(x.Value-y.Value) > 1e-9 {
				t.Fatalf("%s(%+v) = %v, but %v after renaming coders", name, c, x, y)
			}
		}
	}
}

func TestUnitizedRandomInputIsSafe(t *testing.T) {
	rng := rand.New(rand.NewSource(10))
	for i := 0; i < 3000; i++ {
		var c Continuum
		if i%2 == 0 {
			c = randomPartition(rng, 1+rng.Intn(4), 1+rng.Intn(4))
		} else {
			c = randomContinuum(rng, 1+rng.Intn(3), rng.Intn(10))
			if rng.Intn(5) == 0 && len(c.Spans) > 0 {
				// Broken spans, as a user file might have them.
				s := &c.Spans[rng.Intn(len(c.Spans))]
				s.Start, s.End = s.End, s.Start-rng.Intn(3)
			}
		}
		for name, got := range unitizedCoefficients(c) {
			switch {
			case !got.Defined && got.Reason == "":
				t.Fatalf("%s(%+v) is undefined without a reason", name, c)
			case got.Defined && (!finite(got.Value) || got.Value > 1+1e-9):
				t.Fatalf("%s(%+v) = %v, want a finite value at most 1", name, c, got.Value)
			}
		}
	}
}

func TestTwoCodersCUAlphaReadingsAgree(t *testing.T) {
	// For two coders the part of a unit others can pair with is simply its
	// intersection with the other coder's units, however one reads the
	// 2016 definition; cuα must then equal a direct computation.
	rng := rand.New(rand.NewSource(11))
	for i := 0; i < 300; i++ {
		c := randomPartition(rng, 2, 3)
		got := CUAlpha2016(c)
		want, ok := directCUAlpha(c)
		if got.Defined != ok || (ok && math.Abs(got.Value-want) > 1e-9) {
			t.Fatalf("CUAlpha2016(%+v) = %v, want %v (defined %v)", c, got, want, ok)
		}
	}
}

// directCUAlpha computes cuα for two coders position by position.
func directCUAlpha(c Continuum) (float64, bool) {
	value := func(coder string, p int) string {
		for _, s := range c.Spans {
			if s.Coder == coder && s.Start <= p && p < s.End {
				return s.Category
			}
		}
		return ""
	}
	// o_ck over positions where both coded; each position is one pair
	// in each direction (m − 1 = 1).
	o := map[[2]string]float64{}
	margin := map[string]float64{}
	for p := c.Begin; p < c.Begin+c.Length; p++ {
		a, b := value("coder0", p), value("coder1", p)
		if a != "" && b != "" {
			o[[2]string{a, b}]++
			o[[2]string{b, a}]++
			margin[a]++
			margin[b]++
		}
	}
	// S*_c: squared intersections of each unit with the other's units.
	self := map[string]float64{}
	for _, g := range c.Spans {
		other := "coder1"
		if g.Coder == "coder1" {
			other = "coder0"
		}
		n := 0.0
		for p := g.Start; p < g.End; p++ {
			if value(other, p) != "" {
				n++
			}
		}
		self[g.Category] += n * n
	}
	total, selfTotal := 0.0, 0.0
	for k, m := range margin {
		total += m
		selfTotal += self[k]
	}
	if total == 0 {
		return 0, false
	}
	do, de := total, 0.0
	for k, m := range margin {
		do -= o[[2]string{k, k}]
		for c, n := range margin {
			if c != k {
				de += m * n / (total - selfTotal/total)
			}
		}
	}
	if de == 0 {
		return 0, false
	}
	return 1 - do/de, true
}

func TestUndefinedUnitizedCoefficients(t *testing.T) {
	span := func(coder, cat string, start, end int) Span { return Span{coder, cat, start, end} }
	ok := Continuum{Length: 10, Spans: []Span{span("a", "x", 1, 4), span("b", "x", 2, 5), span("b", "y", 6, 8)}}
	oneCoder := Continuum{Length: 10, Spans: []Span{span("a", "x", 1, 4), span("a", "y", 5, 6)}}
	overlapping := Continuum{Length: 10, Spans: []Span{span("a", "x", 1, 4), span("a", "x", 3, 5), span("b", "x", 1, 4)}}
	overlappingCodes := Continuum{Length: 10, Spans: []Span{span("a", "x", 1, 4), span("a", "y", 3, 5), span("b", "x", 1, 4)}}
	full := Continuum{Length: 4, Spans: []Span{span("a", "x", 0, 4), span("b", "x", 0, 2), span("b", "y", 2, 4)}}
	apart := Continuum{Length: 10, Spans: []Span{span("a", "x", 0, 2), span("b", "y", 5, 7)}}
	oneValue := Continuum{Length: 10, Spans: []Span{span("a", "x", 0, 4), span("b", "x", 2, 6)}}
	tests := []struct {
		name string
		got  Coefficient
	}{
		{"NVivoKappa(empty continuum)", NVivoKappa(Continuum{}, "x", "a", "b")},
		{"NVivoKappa(nobody coded)", NVivoKappa(Continuum{Length: 5}, "x", "a", "b")},
		{"NVivoKappa(both coded everything)", NVivoKappa(Continuum{Length: 3, Spans: []Span{span("a", "x", 0, 3), span("b", "x", 0, 3)}}, "x", "a", "b")},
		{"NVivoKappa(span outside)", NVivoKappa(Continuum{Length: 5, Spans: []Span{span("a", "x", 3, 9)}}, "x", "a", "b")},
		{"NVivoKappa(span before begin)", NVivoKappa(Continuum{Begin: 10, Length: 5, Spans: []Span{span("a", "x", 3, 12)}}, "x", "a", "b")},
		{"NVivoKappa(empty span)", NVivoKappa(Continuum{Length: 5, Spans: []Span{span("a", "x", 3, 3)}}, "x", "a", "b")},
		{"NVivoKappa(reversed span)", NVivoKappa(Continuum{Length: 5, Spans: []Span{span("a", "x", 3, 1)}}, "x", "a", "b")},
		{"NVivoKappa(unlisted coder)", NVivoKappa(Continuum{Length: 5, Coders: []string{"a", "b"}}, "x", "a", "c")},
		{"NVivoKappa(span by unlisted coder)", NVivoKappa(Continuum{Length: 5, Coders: []string{"a", "b"}, Spans: []Span{span("c", "x", 0, 1)}}, "x", "a", "b")},
		{"NVivoKappa(span without code)", NVivoKappa(Continuum{Length: 5, Spans: []Span{span("a", "", 0, 1)}}, "x", "a", "b")},
		{"NVivoKappa(too long)", NVivoKappa(Continuum{Length: math.MaxInt}, "x", "a", "b")},
		{"NVivoPercentAgreement(empty continuum)", NVivoPercentAgreement(Continuum{}, "x", "a", "b")},
		{"UnitizedAlpha1995(one coder)", UnitizedAlpha1995(oneCoder, "x")},
		{"UnitizedAlpha1995(code nobody used)", UnitizedAlpha1995(ok, "z")},
		{"UnitizedAlpha1995(overlapping units)", UnitizedAlpha1995(overlapping, "x")},
		{"UnitizedAlpha1995(empty continuum)", UnitizedAlpha1995(Continuum{}, "x")},
		{"UnitizedAlpha1995Overall(nothing coded)", UnitizedAlpha1995Overall(Continuum{Length: 5, Coders: []string{"a", "b"}})},
		{"UnitizedAlpha1995Overall(one coder)", UnitizedAlpha1995Overall(oneCoder)},
		{"UAlpha2016(one coder)", UAlpha2016(oneCoder)},
		{"UAlpha2016(overlapping codes)", UAlpha2016(overlappingCodes)},
		{"UAlpha2016(nothing coded)", UAlpha2016(Continuum{Length: 5, Coders: []string{"a", "b"}})},
		{"BinaryUAlpha2016(no gaps)", BinaryUAlpha2016(full)},
		{"BinaryUAlpha2016(one coder)", BinaryUAlpha2016(oneCoder)},
		{"CUAlpha2016(units never intersect)", CUAlpha2016(apart)},
		{"CUAlpha2016(one value)", CUAlpha2016(oneValue)},
		{"CUAlpha2016(overlapping codes)", CUAlpha2016(overlappingCodes)},
		{"KUAlpha2016(code nobody used)", KUAlpha2016(ok, "z")},
		{"KUAlpha2016(code never intersecting)", KUAlpha2016(apart, "x")},
		{"KUAlpha2016(one coder)", KUAlpha2016(oneCoder, "x")},
	}
	for _, tt := range tests {
		if tt.got.Defined || tt.got.Reason == "" || tt.got.Value != 0 {
			t.Errorf("%s = %+v, want undefined with a reason", tt.name, tt.got)
		}
	}
	// Continuum.Only turns overlapping codes into per-code problems.
	if got := UAlpha2016(overlappingCodes.Only("x")); !got.Defined {
		t.Errorf("UAlpha2016(Only(x)) = %v, want a value", got)
	}
}

// FuzzUnitized reads spans from fuzz input, four bytes each (coder, code,
// start, length, signed so that broken spans occur), and checks that no
// continuum coefficient panics or returns nonsense.
func FuzzUnitized(f *testing.F) {
	f.Add(int8(0), int8(20), []byte{0, 0, 1, 5, 1, 0, 2, 5, 1, 1, 8, 3})
	f.Add(int8(-3), int8(10), []byte{0, 0, 0, 10, 1, 0, 0, 10})
	f.Add(int8(0), int8(0), []byte{0, 0, 250, 255})
	f.Fuzz(func(t *testing.T, begin, length int8, data []byte) {
		c := Continuum{Begin: int(begin), Length: int(length)}
		for i := 0; i+4 <= len(data) && i < 4*64; i += 4 {
			start := c.Begin + int(int8(data[i+2]))
			c.Spans = append(c.Spans, Span{
				Coder:    fmt.Sprint(data[i] % 3),
				Category: fmt.Sprint(data[i+1] % 3),
				Start:    start,
				End:      start + int(int8(data[i+3])),
			})
		}
		for name, got := range unitizedCoefficients(c) {
			switch {
			case !got.Defined && (got.Reason == "" || got.Value != 0):
				t.Fatalf("%s(%+v) = %+v: undefined needs a reason and value 0", name, c, got)
			case got.Defined && (!finite(got.Value) || got.Value > 1+1e-9):
				t.Fatalf("%s(%+v) = %v, want a finite value at most 1", name, c, got.Value)
			}
		}
	})
}

func TestUnitizedShiftingTheContinuumChangesNothing(t *testing.T) {
	rng := rand.New(rand.NewSource(12))
	for i := 0; i < 300; i++ {
		c := randomPartition(rng, 2+rng.Intn(2), 3)
		d := rng.Intn(2001) - 1000
		s := c
		s.Begin += d
		s.Spans = nil
		for _, sp := range c.Spans {
			sp.Start += d
			sp.End += d
			s.Spans = append(s.Spans, sp)
		}
		before, after := unitizedCoefficients(c), unitizedCoefficients(s)
		for name, x := range before {
			if y := after[name]; x.Defined != y.Defined || math.Abs(x.Value-y.Value) > 1e-9 {
				t.Fatalf("%s(%+v) = %v, but %v with the continuum shifted by %d", name, c, x, y, d)
			}
		}
	}
}
